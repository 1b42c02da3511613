package io.soci4j.registry.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often and how long to wait before retrying: exponential backoff from {@code baseDelay},
 * doubled per attempt up to {@code maxDelay}, with jitter (a random 50-100% of the delay); a
 * {@code Retry-After} header (seconds or an HTTP date) replaces the backoff, capped at
 * {@code maxRetryAfter}.
 *
 * @param maxRetries retries after the first attempt
 * @param baseDelay the first backoff
 * @param maxDelay the longest backoff
 * @param maxRetryAfter the longest wait a Retry-After header may ask for
 * @param jitter random numbers in [0, 1)
 * @param clock the clock HTTP dates are compared with
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
    DoubleSupplier jitter, Clock clock) {

  /**
   * Validates.
   *
   * @param maxRetries see the record component
   * @param baseDelay see the record component
   * @param maxDelay see the record component
   * @param maxRetryAfter see the record component
   * @param jitter see the record component
   * @param clock see the record component
   */
  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries is negative: " + maxRetries);
    }
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param status an HTTP status
   * @param retry the request's retry rule
   * @return whether the status may be retried under the rule
   */
  public static boolean retryable(int status, Retry retry) {
    return switch (retry) {
      case IDEMPOTENT -> status == 408 || status == 429 || status == 500 || status == 502 || status == 503
          || status == 504;
      case IF_NOT_PROCESSED -> status == 429 || status == 502 || status == 503 || status == 504;
      case NEVER -> false;
    };
  }

  /**
   * @param attempt the attempt that failed, from 0
   * @param retryAfter the Retry-After header, or null
   * @return how long to wait before the next attempt
   */
  public Duration delay(int attempt, String retryAfter) {
    Duration asked = parseRetryAfter(retryAfter);
    if (asked != null) {
      return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
    }
    long base = baseDelay.toMillis() << Math.min(attempt, 20);
    long capped = Math.min(base, maxDelay.toMillis());
    return Duration.ofMillis(capped / 2 + (long) (jitter.getAsDouble() * (capped - capped / 2)));
  }

  /**
   * @param value a Retry-After header: delay-seconds or an HTTP date
   * @return the wait it asks for (zero for dates in the past), or null when absent or unreadable
   */
  Duration parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException e) {
        return maxRetryAfter; // absurdly many digits
      }
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
