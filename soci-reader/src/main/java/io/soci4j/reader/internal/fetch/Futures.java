package io.soci4j.reader.internal.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for futures and rethrows their failure as it was thrown. */
public final class Futures {
  private Futures() {}

  /**
   * @param f a future
   * @param what what it computes, for the message when the wait is interrupted ("a span")
   * @param <T> its result type
   * @return its result
   * @throws IOException its failure, unwrapped ({@link #failure})
   */
  public static <T> T join(Future<T> f, String what) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + what);
    } catch (ExecutionException e) {
      throw failure(e);
    }
  }

  /**
   * The failure of a future as it was thrown: an {@link IOException} (also out of an {@link
   * UncheckedIOException} or {@link CompletionException}) is returned; a runtime exception or
   * an error is thrown; anything else is wrapped.
   *
   * @param e what {@code get} threw
   * @return the I/O failure to throw
   */
  public static IOException failure(ExecutionException e) {
    Throwable c = e.getCause();
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof UncheckedIOException u) {
      return u.getCause();
    }
    if (c instanceof IOException io) {
      return io;
    }
    if (c instanceof RuntimeException re) {
      throw re;
    }
    if (c instanceof Error err) {
      throw err;
    }
    return new IOException(c);
  }
}
