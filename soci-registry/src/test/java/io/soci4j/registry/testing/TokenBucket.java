package io.soci4j.registry.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A byte-rate limit shared by every stream it wraps (all connections of a {@link FaultProxy}, as
 * one network link): a token bucket of {@code bytesPerSecond} with a burst of {@code burstBytes},
 * kept as a "theoretical arrival time" (GCRA) so that it is exact in integer nanoseconds:
 *
 * <pre>{@code
 * TokenBucket link = TokenBucket.of(50_000_000);     // ~50 MB/s
 * try (OutputStream out = link.throttle(socketOut)) { ... }
 * }</pre>
 *
 * <p>Each byte costs {@code 1e9 / bytesPerSecond} ns; {@link #reserve} books the bytes after those
 * booked before (never earlier than now) and returns how long the caller must wait before sending
 * them: the time by which the booking runs ahead of now, less the burst allowance. The clock and
 * the sleep are injected, so tests check the arithmetic with a fake clock instead of timing.
 */
public final class TokenBucket {
  /** Waits, in nanoseconds. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * @param nanos how long
     * @throws InterruptedException when interrupted
     */
    void sleep(long nanos) throws InterruptedException;
  }

  /** Bytes written per wait, at most. */
  static final int CHUNK = 16 << 10;

  private final long bytesPerSecond;
  private final long burstNanos;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private long arrival;
  private long bytes;

  /**
   * @param bytesPerSecond the rate
   * @param burstBytes bytes that may go at once after an idle period
   * @param clock a nanosecond clock ({@code System::nanoTime})
   * @param sleeper how to wait
   */
  public TokenBucket(long bytesPerSecond, long burstBytes, LongSupplier clock, Sleeper sleeper) {
    if (bytesPerSecond <= 0 || burstBytes < 0) {
      throw new IllegalArgumentException("rate must be positive and burst not negative: " + bytesPerSecond + ", "
          + burstBytes);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burstNanos = cost(burstBytes);
    this.clock = clock;
    this.sleeper = sleeper;
    this.arrival = clock.getAsLong();
  }

  /**
   * @param bytesPerSecond the rate
   * @return a bucket on the real clock with a 64 KiB burst
   */
  public static TokenBucket of(long bytesPerSecond) {
    return new TokenBucket(bytesPerSecond, 64 << 10, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  /** {@return the rate} */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** {@return bytes reserved so far} */
  public synchronized long bytes() {
    return bytes;
  }

  /**
   * Books bytes.
   *
   * @param n bytes about to be sent
   * @return nanoseconds to wait before sending them (0 when within the rate and burst)
   */
  public synchronized long reserve(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative byte count " + n);
    }
    long now = clock.getAsLong();
    arrival = Math.max(arrival, now) + cost(n);
    bytes += n;
    return Math.max(0, arrival - now - burstNanos);
  }

  /**
   * Books bytes and waits as {@link #reserve} says.
   *
   * @param n bytes about to be sent
   * @throws InterruptedIOException when interrupted
   */
  public void acquire(long n) throws InterruptedIOException {
    long wait = reserve(n);
    if (wait > 0) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while throttled");
      }
    }
  }

  /**
   * @param out a stream
   * @return a stream writing to {@code out} at this bucket's rate (in chunks of 16 KiB at most);
   *     closing it closes {@code out}
   */
  public OutputStream throttle(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        acquire(1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int done = 0; done < len; ) {
          int n = Math.min(CHUNK, len - done);
          acquire(n);
          out.write(b, off + done, n);
          done += n;
        }
      }
    };
  }

  /** Nanoseconds that {@code n} bytes take at the rate, rounded up. */
  private long cost(long n) {
    return (Math.multiplyExact(n, 1_000_000_000L) + bytesPerSecond - 1) / bytesPerSecond;
  }
}
