package io.soci4j.registry.internal.http;

import java.io.IOException;
import okhttp3.Response;

/**
 * One registry operation: the request it sends and how it reads the answer. {@link RegistryCaller}
 * runs it and owns everything else: auth, redirects, retries, and turning other statuses into
 * exceptions with the registry's error body.
 *
 * @param <T> the result
 */
public interface Operation<T> {

  /** {@return the request to send} */
  RegistryRequest request();

  /**
   * @param status an HTTP status (after redirects)
   * @return whether {@link #handle} reads answers with this status; others are failures
   */
  boolean accepts(int status);

  /**
   * Reads an accepted answer. The caller closes the response afterwards unless
   * {@link #keepsResponseOpen()}.
   *
   * @param response the response
   * @return the result
   * @throws IOException when the answer is unusable
   */
  T handle(Response response) throws IOException;

  /** {@return whether the result owns the response (a stream), so the caller must not close it} */
  default boolean keepsResponseOpen() {
    return false;
  }
}
