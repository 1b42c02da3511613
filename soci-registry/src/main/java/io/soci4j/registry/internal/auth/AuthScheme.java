package io.soci4j.registry.internal.auth;

/** What an origin asked for in its last challenge: Basic, or Bearer with a realm and service. */
public sealed interface AuthScheme {

  /** HTTP Basic with the configured credential. */
  record Basic() implements AuthScheme {}

  /**
   * A token from a token server.
   *
   * @param realm the token server URL
   * @param service the service parameter; empty when none
   */
  record Bearer(String realm, String service) implements AuthScheme {}
}
