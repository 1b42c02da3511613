package io.soci4j.registry.internal.auth;

import java.util.Objects;

/**
 * Attached to every registry request (as an OkHttp tag): which registry the request belongs to
 * and which scopes it needs. Credentials are only ever attached to requests whose URL has the
 * registry's origin; a redirect to another host gets none.
 *
 * @param registryOrigin {@code scheme://host:port} of the registry's API
 * @param registry the registry name, as in image references ({@code docker.io}, {@code host:port})
 * @param scopes the scopes the request needs
 */
public record AuthTag(String registryOrigin, String registry, ScopeSet scopes) {

  /**
   * Validates.
   *
   * @param registryOrigin see the record component
   * @param registry see the record component
   * @param scopes see the record component
   */
  public AuthTag {
    Objects.requireNonNull(registryOrigin, "registryOrigin");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(scopes, "scopes");
  }
}
