package io.soci4j.registry;

import java.util.Objects;

/**
 * Which HTTP request failed: the registry and repository it was about, the method and the URL
 * without its query string (which can carry signatures or upload state). Carried by
 * {@link RegistryException} and {@link RegistryNotFoundException}.
 *
 * @param registry the registry, {@code host[:port]}
 * @param repository the repository; empty for registry-level requests
 * @param method the HTTP method
 * @param url the URL without query, fragment or user info
 */
public record RegistryCall(String registry, String repository, String method, String url) {

  /**
   * Validates.
   *
   * @param registry see the record component
   * @param repository see the record component
   * @param method see the record component
   * @param url see the record component
   */
  public RegistryCall {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    if (url.indexOf('?') >= 0 || url.indexOf('#') >= 0 || url.indexOf('@') >= 0) {
      throw new IllegalArgumentException("the URL of a RegistryCall must have no query, fragment or user info");
    }
  }

  /** {@return {@code METHOD url}} */
  @Override
  public String toString() {
    return method + " " + url;
  }
}
