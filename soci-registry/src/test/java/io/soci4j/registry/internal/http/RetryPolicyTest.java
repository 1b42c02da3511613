package io.soci4j.registry.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Backoff with jitter, Retry-After in seconds and as an HTTP date, capped; which statuses retry. */
class RetryPolicyTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

  private static RetryPolicy policy(double jitter) {
    return new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30), () -> jitter,
        CLOCK);
  }

  @Test
  void backoffDoublesWithJitterBetweenHalfAndFullAndIsCapped() {
    assertThat(policy(0).delay(0, null)).isEqualTo(Duration.ofMillis(50));
    assertThat(policy(0.999999).delay(0, null)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(policy(0).delay(2, null)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy(0).delay(10, null)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy(0.999999).delay(63, null)).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void retryAfterSecondsAndHttpDateReplaceTheBackoffUpToTheCap() {
    RetryPolicy p = policy(0);
    assertThat(p.delay(0, "3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.delay(0, "Fri, 27 Nov 2026 10:00:07 GMT")).isEqualTo(Duration.ofSeconds(7));
    assertThat(p.delay(0, "Fri, 27 Nov 2026 09:00:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(p.delay(0, "3600")).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delay(0, "99999999999999999999999")).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delay(1, "soon")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void onlyTransientStatusesRetryAndPostsOnlyWhenTheServerDidNotAct() {
    for (int s : new int[] {429, 500, 502, 503, 504}) {
      assertThat(RetryPolicy.retryable(s, Retry.IDEMPOTENT)).as("status %d", s).isTrue();
    }
    for (int s : new int[] {400, 401, 403, 404, 405, 416, 501}) {
      assertThat(RetryPolicy.retryable(s, Retry.IDEMPOTENT)).as("status %d", s).isFalse();
    }
    assertThat(RetryPolicy.retryable(500, Retry.IF_NOT_PROCESSED)).isFalse();
    assertThat(RetryPolicy.retryable(503, Retry.IF_NOT_PROCESSED)).isTrue();
    assertThat(RetryPolicy.retryable(503, Retry.NEVER)).isFalse();
  }
}
