package io.soci4j.registry.internal.auth;

import java.io.IOException;
import okhttp3.Authenticator;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/** OkHttp's hook for 401 answers: reads {@link Response#challenges()} through {@link Authorizer}. */
public final class RegistryAuthenticator implements Authenticator {
  private final Authorizer authorizer;

  /**
   * @param authorizer the client's auth state
   */
  public RegistryAuthenticator(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  @Override
  public Request authenticate(Route route, Response response) throws IOException {
    return authorizer.onChallenge(response);
  }
}
