package io.soci4j.registry.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand (token and credential expiry). */
public final class MutableClock extends Clock {
  /** The current instant; set it to move time. */
  public volatile Instant now;

  /**
   * @param now the starting instant
   */
  public MutableClock(Instant now) {
    this.now = now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
