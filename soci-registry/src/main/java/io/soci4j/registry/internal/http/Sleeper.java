package io.soci4j.registry.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits between retries; the client's instance wakes up when the client is closed. */
public interface Sleeper {

  /**
   * @param delay how long to wait
   * @throws InterruptedIOException when the thread is interrupted (the interrupt flag stays set)
   * @throws IOException when the client was closed meanwhile
   */
  void sleep(Duration delay) throws IOException;

  /**
   * A sleeper that {@code close} cuts short.
   *
   * @param closed counted down when the client closes
   * @return the sleeper
   */
  static Sleeper until(CountDownLatch closed) {
    return delay -> {
      try {
        if (closed.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new IOException("the registry client was closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry");
      }
    };
  }
}
