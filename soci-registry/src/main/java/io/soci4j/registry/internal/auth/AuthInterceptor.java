package io.soci4j.registry.internal.auth;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds credentials before the first challenge when the registry's origin asked for them earlier
 * (Basic, or a cached or freshly fetched bearer token for the request's scopes). An application
 * interceptor: it sees each request once, never a redirect target.
 */
public final class AuthInterceptor implements Interceptor {
  private final Authorizer authorizer;

  /**
   * @param authorizer the client's auth state
   */
  public AuthInterceptor(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (request.header("Authorization") == null) {
      String header = authorizer.preemptive(request);
      if (header != null) {
        request = request.newBuilder().header("Authorization", header).build();
      }
    }
    return chain.proceed(request);
  }
}
