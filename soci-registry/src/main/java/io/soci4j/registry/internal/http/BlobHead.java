package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>}: 200 means it exists (when a {@code Content-Length} is
 * sent it must be the descriptor's size), 404 that it does not. A redirect (registries that keep
 * blobs in object storage, like distribution with its redirect middleware) also means it exists:
 * it is not followed.
 */
public final class BlobHead implements Operation<Boolean> {
  private final Endpoint endpoint;
  private final String repository;
  private final Descriptor blob;
  private final ScopeSet scopes;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param blob the blob
   * @param push whether to ask for push scope too (before an upload, so one token serves both)
   */
  public BlobHead(Endpoint endpoint, String repository, Descriptor blob, boolean push) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.blob = blob;
    this.scopes = ScopeSet.of(push ? Scope.pullPush(repository) : Scope.pull(repository));
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("check", "blob " + blob.digest() + " in " + endpoint.registry() + "/" + repository,
        endpoint, repository, "HEAD", endpoint.blob(repository, blob.digest()), scopes).withFollowRedirects(false);
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 404 || status == 301 || status == 302 || status == 303 || status == 307
        || status == 308;
  }

  @Override
  public Boolean handle(Response response) throws IOException {
    if (response.code() == 404) {
      return false;
    }
    if (response.code() == 200) {
      String length = response.header("Content-Length");
      if (length != null && !length.trim().equals(Long.toString(blob.size()))) {
        throw new IOException("blob " + blob.digest() + " in " + endpoint.registry() + "/" + repository + " is "
            + length.trim() + " bytes, the descriptor says " + blob.size());
      }
    }
    return true;
  }
}
