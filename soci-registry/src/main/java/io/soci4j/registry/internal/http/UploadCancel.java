package io.soci4j.registry.internal.http;

import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Response;

/** {@code DELETE <location>}: abandons an upload session. Any answer is accepted. */
public final class UploadCancel implements Operation<Void> {
  private final Endpoint endpoint;
  private final String repository;
  private final HttpUrl location;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param location the newest upload URL
   */
  public UploadCancel(Endpoint endpoint, String repository, HttpUrl location) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.location = location;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("cancel", "an upload to " + endpoint.registry() + "/" + repository, endpoint, repository,
        "DELETE", location, ScopeSet.of(Scope.pullPush(repository))).withFollowRedirects(false);
  }

  @Override
  public boolean accepts(int status) {
    return true;
  }

  @Override
  public Void handle(Response response) throws IOException {
    return null;
  }
}
