package io.soci4j.reader.internal.fetch;

import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.LayerFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Retries store calls that fail transiently: any {@link IOException} except content not found, a
 * digest mismatch (handled by the caller), a malformed layer and an interruption. The wait
 * doubles from {@code backoff} after each failure.
 *
 * @param retries attempts after the first, at most
 * @param backoff wait before the first retry
 */
public record RetryPolicy(int retries, Duration backoff) {

  /**
   * A call to the store.
   *
   * @param <T> its result
   */
  @FunctionalInterface
  public interface IoCall<T> {
    /**
     * @return the result
     * @throws IOException on failure
     */
    T call() throws IOException;
  }

  /**
   * Validates.
   *
   * @param retries see the record component
   * @param backoff see the record component
   */
  public RetryPolicy {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative, got " + retries);
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("retry backoff must not be negative, got " + backoff);
    }
  }

  /**
   * Runs a call, retrying transient failures.
   *
   * @param call the call
   * @param onAttempt run before every attempt (to count requests)
   * @param onRetry run before every retry (to count retries)
   * @param <T> result type
   * @return the result
   * @throws IOException the last failure, or the first one that is not transient
   */
  public <T> T run(IoCall<T> call, Runnable onAttempt, Runnable onRetry) throws IOException {
    long wait = backoff.toMillis();
    for (int attempt = 0; ; attempt++) {
      onAttempt.run();
      try {
        return call.call();
      } catch (ContentNotFoundException | DigestMismatchException | LayerFormatException
          | InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (attempt >= retries) {
          throw e;
        }
      }
      onRetry.run();
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to retry");
        }
        wait = Math.min(wait * 2, 10_000);
      }
    }
  }
}
