package io.soci4j.registry.internal.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token and when to stop using it. {@link #toString()} hides the value.
 *
 * @param value the token
 * @param expiresAt when it must no longer be sent (already shortened by a safety margin)
 */
public record BearerToken(String value, Instant expiresAt) {

  /**
   * Validates.
   *
   * @param value see the record component
   * @param expiresAt see the record component
   */
  public BearerToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** {@return the Authorization header value} */
  public String header() {
    return "Bearer " + value;
  }

  /**
   * @param now the current time
   * @return whether the token may still be sent
   */
  public boolean usableAt(Instant now) {
    return now.isBefore(expiresAt);
  }

  /** {@return the expiry only; the value is redacted} */
  @Override
  public String toString() {
    return "BearerToken[value=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
