package io.soci4j.registry.internal.http;

import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code PATCH <location>} with one chunk ({@code Content-Range: <first>-<last>}) or, for a
 * streamed upload, the whole blob without {@code Content-Range}. Accepts 202, and 201/204 as some
 * registries (ECR) send; the result is the next {@code Location}. Never retried by the caller.
 */
public final class UploadChunk implements Operation<HttpUrl> {
  private final Endpoint endpoint;
  private final String repository;
  private final String what;
  private final HttpUrl location;
  private final RequestBody body;
  private final long first;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param what the blob, for messages
   * @param location the newest upload URL
   * @param body the bytes (with a known length)
   * @param first position of the chunk's first byte, or -1 to send no Content-Range (streaming)
   */
  public UploadChunk(Endpoint endpoint, String repository, String what, HttpUrl location, RequestBody body,
      long first) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.what = what;
    this.location = location;
    this.body = body;
    this.first = first;
  }

  @Override
  public RegistryRequest request() {
    RegistryRequest r = RegistryRequest.of("upload", what, endpoint, repository, "PATCH", location,
        ScopeSet.of(Scope.pullPush(repository))).withBody(body).withRetry(Retry.NEVER).withFollowRedirects(false);
    if (first >= 0) {
      try {
        r = r.withHeader("Content-Range", first + "-" + (first + body.contentLength() - 1));
      } catch (IOException e) {
        throw new IllegalStateException("chunk bodies have a known length", e);
      }
    }
    return r;
  }

  @Override
  public boolean accepts(int status) {
    return status == 202 || status == 201 || status == 204;
  }

  @Override
  public HttpUrl handle(Response response) throws IOException {
    return response.header("Location") == null ? location : UploadStart.location(response);
  }
}
