package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import io.soci4j.registry.internal.model.ErrorBody;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * One page of {@code GET /v2/<name>/referrers/<digest>} (OCI 1.1). Supported only when the answer
 * is a 200 with the OCI index Content-Type; a 404 (whatever its body: 2.8 sends text), a 405, or a
 * 200 of another type (a login page after a redirect) means the registry lacks the API. The next
 * page is the {@code Link: <...>; rel="next"} target.
 */
public final class ReferrersPage implements Operation<ReferrersPage.Page> {

  /**
   * @param supported whether the registry has the API
   * @param manifests the referrers on this page
   * @param next the next page, or null
   * @param filtered whether the registry applied the artifactType filter
   * @param repositoryUnknown a 404 {@code NAME_UNKNOWN}: the repository does not exist, so whether
   *     the registry has the API is still unknown
   */
  public record Page(boolean supported, List<Descriptor> manifests, HttpUrl next, boolean filtered,
      boolean repositoryUnknown) {}

  private final Endpoint endpoint;
  private final String repository;
  private final Digest subject;
  private final HttpUrl url;
  private final long limit;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param subject the subject digest
   * @param url this page's URL
   * @param limit the largest page accepted, in bytes
   */
  public ReferrersPage(Endpoint endpoint, String repository, Digest subject, HttpUrl url, long limit) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.subject = subject;
    this.url = url;
    this.limit = limit;
  }

  private String what() {
    return "referrers of " + subject + " in " + endpoint.registry() + "/" + repository;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("list", what(), endpoint, repository, "GET", url, ScopeSet.of(Scope.pull(repository)))
        .withHeader("Accept", MediaTypes.OCI_INDEX);
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 404 || status == 405;
  }

  @Override
  public Page handle(Response response) throws IOException {
    String type = response.header("Content-Type");
    if (response.code() == 404) {
      boolean nameUnknown = ErrorBody.parse(Bodies.readPrefix(response.body(), ErrorBody.MAX_BYTES)).stream()
          .anyMatch(e -> e.code().equals("NAME_UNKNOWN"));
      return new Page(false, List.of(), null, false, nameUnknown);
    }
    if (response.code() != 200 || type == null || !ManifestCodec.baseType(type).equals(MediaTypes.OCI_INDEX)) {
      return new Page(false, List.of(), null, false, false);
    }
    byte[] body = Bodies.readAtMost(response.body(), limit, what());
    List<Descriptor> manifests = ManifestCodec.parseIndex(body, MediaTypes.OCI_INDEX, what()).manifests();
    String next = LinkHeader.next(response.headers("Link"));
    HttpUrl nextUrl = next == null ? null : response.request().url().resolve(next);
    String filters = response.header("OCI-Filters-Applied", "");
    boolean filtered = List.of(filters.replace(" ", "").split(",")).contains("artifactType");
    return new Page(true, manifests, nextUrl, filtered, false);
  }
}
