package io.soci4j.reader.internal.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a second copy of a range request that takes far longer than this image's requests have
 * been taking for their size (a stalled connection, a server that went quiet): the first answer
 * wins; the other is left to finish or time out on its own and its bytes are dropped. A stalled
 * request then costs about {@link #MIN_DELAY_NANOS a second} instead of the read timeout, and a
 * pull whose output waits for it in order goes on.
 *
 * <p>The wait before the copy is {@value #FACTOR} times the expected time of the request (its
 * length times an average of the time per byte of the requests answered so far), kept between
 * 1 and 10 s; before any answer it is 10 s. Each attempt runs on a daemon thread of its own
 * (threads end after a few idle seconds); the caller waits for the winner.
 */
public final class HedgedReads {
  /** Shortest wait before a copy is sent. */
  static final long MIN_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Longest wait before a copy is sent (also the wait before anything is known). */
  static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** How many times its expected duration a request may take before it is copied. */
  static final int FACTOR = 4;

  private static final HedgedReads OFF = new HedgedReads(null, 0, 0);

  private final ExecutorService threads;
  private final long minDelay;
  private final long maxDelay;
  private double nanosPerByte = -1;

  private HedgedReads(ExecutorService threads, long minDelay, long maxDelay) {
    this.threads = threads;
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
  }

  /** {@return reads that are never copied: each runs on the caller's thread} */
  public static HedgedReads off() {
    return OFF;
  }

  /**
   * @param name thread name prefix
   * @return hedged reads with their own daemon threads
   */
  public static HedgedReads start(String name) {
    return start(name, MIN_DELAY_NANOS, MAX_DELAY_NANOS);
  }

  /** With other bounds of the wait before a copy (tests). */
  static HedgedReads start(String name, long minDelay, long maxDelay) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor t = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread th = new Thread(r, name + "-" + n.incrementAndGet());
          th.setDaemon(true);
          return th;
        });
    return new HedgedReads(t, minDelay, maxDelay);
  }

  /**
   * Runs a read, copied once if it is late.
   *
   * @param length bytes it reads
   * @param read the read (retries included)
   * @param onCopy run when a copy is sent (to count it)
   * @return the bytes of the first read that succeeded
   * @throws IOException the failure of the read, or of both when copied
   */
  public byte[] read(long length, RetryPolicy.IoCall<byte[]> read, Runnable onCopy) throws IOException {
    if (threads == null) {
      return read.call();
    }
    CompletableFuture<byte[]> first = submit(length, read);
    try {
      return first.get(delayFor(length), TimeUnit.NANOSECONDS);
    } catch (TimeoutException late) {
      onCopy.run();
      CompletableFuture<byte[]> second = submit(length, read);
      return firstSuccess(first, second);
    } catch (ExecutionException e) {
      throw Futures.failure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a range read");
    }
  }

  private synchronized long delayFor(long length) {
    if (nanosPerByte < 0) {
      return maxDelay;
    }
    double expected = nanosPerByte * Math.max(1, length);
    return (long) Math.min(maxDelay, Math.max(minDelay, FACTOR * expected));
  }

  private synchronized void answered(long length, long nanos) {
    double sample = (double) nanos / Math.max(1, length);
    nanosPerByte = nanosPerByte < 0 ? sample : 0.8 * nanosPerByte + 0.2 * sample;
  }

  private CompletableFuture<byte[]> submit(long length, RetryPolicy.IoCall<byte[]> read) {
    return CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      try {
        byte[] b = read.call();
        answered(length, System.nanoTime() - start);
        return b;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, threads);
  }

  /** The first of two reads to succeed; when both fail, the first one's failure. */
  private static byte[] firstSuccess(CompletableFuture<byte[]> a, CompletableFuture<byte[]> b) throws IOException {
    LinkedBlockingQueue<CompletableFuture<byte[]>> done = new LinkedBlockingQueue<>();
    a.whenComplete((v, t) -> done.add(a));
    b.whenComplete((v, t) -> done.add(b));
    IOException failure = null;
    try {
      for (int i = 0; i < 2; i++) {
        CompletableFuture<byte[]> f = done.take();
        try {
          return f.get();
        } catch (ExecutionException e) {
          IOException io = Futures.failure(e);
          if (failure == null) {
            failure = io;
          } else {
            failure.addSuppressed(io);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a range read");
    }
    throw failure;
  }
}
