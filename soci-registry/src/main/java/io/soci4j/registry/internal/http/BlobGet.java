package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, following redirects (to object storage, without the
 * registry's credentials): a stream that verifies size and digest as it is read, and resumes
 * where it was cut ({@link ResumingBlobInput}).
 */
public final class BlobGet implements Operation<InputStream> {
  private final Endpoint endpoint;
  private final String repository;
  private final Descriptor blob;
  private final RegistryCaller caller;

  /**
   * @param caller runs the requests that resume a cut download
   * @param endpoint the registry
   * @param repository the repository
   * @param blob the blob
   */
  public BlobGet(RegistryCaller caller, Endpoint endpoint, String repository, Descriptor blob) {
    this.caller = caller;
    this.endpoint = endpoint;
    this.repository = repository;
    this.blob = blob;
  }

  private String what() {
    return "blob " + blob.digest() + " in " + endpoint.registry() + "/" + repository;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("fetch", what(), endpoint, repository, "GET", endpoint.blob(repository, blob.digest()),
        ScopeSet.of(Scope.pull(repository)));
  }

  @Override
  public boolean accepts(int status) {
    return status == 200;
  }

  @Override
  public InputStream handle(Response response) throws IOException {
    long length = response.body().contentLength();
    if (length >= 0 && length != blob.size()) {
      throw new IOException(what() + ": the server sends " + length + " bytes, the descriptor says " + blob.size());
    }
    return new VerifyingInputStream(new ResumingBlobInput(response.body().byteStream(), caller, endpoint, repository,
        blob), blob, what());
  }

  @Override
  public boolean keepsResponseOpen() {
    return true;
  }
}
