package io.soci4j.registry.internal.http;

import io.soci4j.api.Digest;
import io.soci4j.registry.internal.auth.Origins;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Where one registry's API lives, and its routes (distribution spec endpoints end-1 to end-13).
 *
 * @param registry the registry name as in references ({@code docker.io}, {@code host:port})
 * @param base {@code scheme://apiHost[:port]/}
 */
public record Endpoint(String registry, HttpUrl base) {

  /**
   * Validates.
   *
   * @param registry see the record component
   * @param base see the record component
   */
  public Endpoint {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(base, "base");
  }

  /** {@return {@code scheme://host:port} of the API} */
  public String origin() {
    return Origins.of(base);
  }

  private HttpUrl.Builder repo(String repository) {
    return base.newBuilder().encodedPath("/").addPathSegment("v2").addPathSegments(repository);
  }

  /**
   * @param repository the repository
   * @param reference a tag or digest
   * @return {@code /v2/<name>/manifests/<reference>}
   */
  public HttpUrl manifest(String repository, String reference) {
    return repo(repository).addPathSegment("manifests").addPathSegment(reference).build();
  }

  /**
   * @param repository the repository
   * @param digest the blob digest
   * @return {@code /v2/<name>/blobs/<digest>}
   */
  public HttpUrl blob(String repository, Digest digest) {
    return repo(repository).addPathSegment("blobs").addPathSegment(digest.toString()).build();
  }

  /**
   * @param repository the repository
   * @return {@code /v2/<name>/blobs/uploads/}
   */
  public HttpUrl uploads(String repository) {
    return repo(repository).addPathSegment("blobs").addPathSegment("uploads").addPathSegment("").build();
  }

  /**
   * @param repository the repository
   * @param subject the subject digest
   * @param artifactType the filter; empty for none
   * @return {@code /v2/<name>/referrers/<digest>[?artifactType=]}
   */
  public HttpUrl referrers(String repository, Digest subject, String artifactType) {
    HttpUrl.Builder b = repo(repository).addPathSegment("referrers").addPathSegment(subject.toString());
    if (!artifactType.isEmpty()) {
      b.addQueryParameter("artifactType", artifactType);
    }
    return b.build();
  }

  /**
   * @param repository the repository
   * @param pageSize tags asked for per page
   * @return {@code /v2/<name>/tags/list?n=}
   */
  public HttpUrl tags(String repository, int pageSize) {
    return repo(repository).addPathSegment("tags").addPathSegment("list")
        .addQueryParameter("n", Integer.toString(pageSize)).build();
  }
}
