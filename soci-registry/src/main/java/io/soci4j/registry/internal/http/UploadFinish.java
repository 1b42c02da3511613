package io.soci4j.registry.internal.http;

import io.soci4j.api.Digest;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code PUT <location>&digest=<digest>}, with the whole blob (monolithic upload) or with an empty
 * body after PATCHes; 201 completes the upload. The {@code digest} parameter is appended to the
 * Location's query ({@code _state} and friends kept verbatim). Never retried by the caller.
 */
public final class UploadFinish implements Operation<Void> {
  private final Endpoint endpoint;
  private final String repository;
  private final String what;
  private final HttpUrl location;
  private final Digest digest;
  private final RequestBody body;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param what the blob, for messages
   * @param location the newest upload URL
   * @param digest the blob's digest
   * @param body the whole blob, or null after PATCHes
   */
  public UploadFinish(Endpoint endpoint, String repository, String what, HttpUrl location, Digest digest,
      RequestBody body) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.what = what;
    this.location = location;
    this.digest = digest;
    this.body = body;
  }

  @Override
  public RegistryRequest request() {
    HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
    RegistryRequest r = RegistryRequest.of("upload", what, endpoint, repository, "PUT", url,
        ScopeSet.of(Scope.pullPush(repository))).withRetry(Retry.NEVER).withFollowRedirects(false);
    return body == null ? r : r.withBody(body);
  }

  @Override
  public boolean accepts(int status) {
    return status == 201 || status == 204 || status == 200;
  }

  @Override
  public Void handle(Response response) throws IOException {
    return null;
  }
}
