package io.soci4j.registry.internal.http;

import io.soci4j.api.Digest;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import java.net.ProtocolException;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * {@code POST /v2/<name>/blobs/uploads/}, optionally with {@code ?mount=<digest>&from=<repo>}:
 * 202 opens an upload session at {@code Location}, 201 means the mount succeeded. Repeated only
 * when the registry certainly did not act (see {@link Retry#IF_NOT_PROCESSED}). A mount asks for
 * pull on the source repository in the same token.
 */
public final class UploadStart implements Operation<UploadSession> {
  private final Endpoint endpoint;
  private final String repository;
  private final Digest digest;
  private final String mountFrom;

  /**
   * @param endpoint the registry
   * @param repository the target repository
   * @param digest the blob
   * @param mountFrom the repository to mount from, or null for a plain upload
   */
  public UploadStart(Endpoint endpoint, String repository, Digest digest, String mountFrom) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.digest = digest;
    this.mountFrom = mountFrom;
  }

  @Override
  public RegistryRequest request() {
    HttpUrl url = endpoint.uploads(repository);
    ScopeSet scopes = ScopeSet.of(Scope.pullPush(repository));
    String what = "blob " + digest + " to " + endpoint.registry() + "/" + repository;
    if (mountFrom != null) {
      url = url.newBuilder().addQueryParameter("mount", digest.toString()).addQueryParameter("from", mountFrom).build();
      scopes = scopes.merge(ScopeSet.of(Scope.pull(mountFrom)));
      what += " from " + mountFrom;
    }
    return RegistryRequest.of(mountFrom != null ? "mount" : "start the upload of", what, endpoint, repository, "POST",
        url, scopes).withRetry(Retry.IF_NOT_PROCESSED).withFollowRedirects(false);
  }

  @Override
  public boolean accepts(int status) {
    return status == 201 || status == 202;
  }

  @Override
  public UploadSession handle(Response response) throws IOException {
    if (response.code() == 201) {
      return new UploadSession(null, true, 0);
    }
    String min = response.header("OCI-Chunk-Min-Length");
    long minChunk = 0;
    if (min != null) {
      try {
        minChunk = Long.parseLong(min.trim());
      } catch (NumberFormatException e) {
        minChunk = 0;
      }
    }
    return new UploadSession(location(response), false, minChunk);
  }

  /**
   * @param response an upload step's answer
   * @return its {@code Location}, resolved against the request URL
   * @throws ProtocolException when it is missing or invalid
   */
  static HttpUrl location(Response response) throws ProtocolException {
    String location = response.header("Location");
    HttpUrl url = location == null ? null : response.request().url().resolve(location);
    if (url == null) {
      throw new ProtocolException("upload answer " + response.code() + " without a valid Location");
    }
    return url;
  }
}
