package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.SociException;
import io.soci4j.registry.InvalidManifestException;
import io.soci4j.registry.ManifestContent;
import io.soci4j.registry.RegistryNotFoundException;
import io.soci4j.registry.internal.model.Referrers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import okhttp3.HttpUrl;

/**
 * Lists referrers: the OCI 1.1 API, every page (at most {@value #MAX_PAGES}, a repeated page URL is
 * an error), filtered on the client when the registry did not say it filtered; or, when the
 * registry lacks the API, the index under the fallback tag {@code sha256-<hex>} (no tag means no
 * referrers). Whether a repository has the API is remembered per client.
 */
public final class ReferrersLister {
  /** Most pages read for one listing. */
  public static final int MAX_PAGES = 1000;

  private final RegistryCaller caller;
  private final Endpoint endpoint;
  private final String repository;
  private final ConcurrentMap<String, Boolean> apiSupport;
  private final long limit;

  /**
   * @param caller runs the requests
   * @param endpoint the registry
   * @param repository the repository
   * @param apiSupport the client's memory of which repositories have the API
   * @param limit the largest page or index accepted, in bytes
   */
  public ReferrersLister(RegistryCaller caller, Endpoint endpoint, String repository,
      ConcurrentMap<String, Boolean> apiSupport, long limit) {
    this.caller = caller;
    this.endpoint = endpoint;
    this.repository = repository;
    this.apiSupport = apiSupport;
    this.limit = limit;
  }

  /** {@return the key of this repository in the support memory} */
  String key() {
    return endpoint.registry() + "/" + repository;
  }

  /**
   * @param subject the subject digest
   * @param artifactType only this artifact type, or empty for all
   * @return the referrers' descriptors
   * @throws IOException on failure
   */
  public List<Descriptor> list(Digest subject, String artifactType) throws IOException {
    if (!Boolean.FALSE.equals(apiSupport.get(key()))) {
      List<Descriptor> viaApi = fromApi(subject, artifactType);
      if (viaApi != null) {
        apiSupport.put(key(), true);
        return viaApi;
      }
    }
    return filter(fromFallbackTag(subject), artifactType);
  }

  private List<Descriptor> fromApi(Digest subject, String artifactType) throws IOException {
    List<Descriptor> out = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    HttpUrl url = endpoint.referrers(repository, subject, artifactType);
    for (int page = 0; url != null; page++) {
      if (page >= MAX_PAGES || !seen.add(url)) {
        throw new SociException("referrers of " + subject + " in " + key() + ": "
            + (page >= MAX_PAGES ? "more than " + MAX_PAGES + " pages" : "the pages loop back to " + url.encodedPath()));
      }
      ReferrersPage.Page p = caller.call(new ReferrersPage(endpoint, repository, subject, url, limit));
      if (!p.supported()) {
        if (!p.repositoryUnknown()) {
          apiSupport.put(key(), false);
        }
        if (page > 0) {
          throw new SociException("referrers of " + subject + " in " + key() + ": page " + (page + 1)
              + " is not a referrers index");
        }
        return null;
      }
      out.addAll(p.filtered() ? p.manifests() : filter(p.manifests(), artifactType));
      url = p.next();
    }
    return out;
  }

  /**
   * @param subject the subject digest
   * @return the fallback index's bytes, or null when the tag does not exist
   * @throws IOException on failure, or when the tag holds something other than an image index
   */
  ManifestContent fallbackIndex(Digest subject) throws IOException {
    String tag = Referrers.fallbackTag(subject);
    ManifestContent content;
    try {
      content = caller.call(new ManifestGet(endpoint, repository, tag, limit));
    } catch (RegistryNotFoundException e) {
      return null;
    }
    if (!content.isIndex() || !content.descriptor().mediaType().equals(io.soci4j.api.MediaTypes.OCI_INDEX)) {
      throw new InvalidManifestException("fallback referrers tag " + tag + " in " + key(),
          "holds a " + content.descriptor().mediaType() + ", not an OCI image index");
    }
    return content;
  }

  private List<Descriptor> fromFallbackTag(Digest subject) throws IOException {
    ManifestContent index = fallbackIndex(subject);
    return index == null ? List.of() : index.asImageIndex().manifests();
  }

  private static List<Descriptor> filter(List<Descriptor> all, String artifactType) {
    if (artifactType.isEmpty()) {
      return all;
    }
    return all.stream().filter(d -> d.artifactType().equals(artifactType)).toList();
  }
}
