package io.soci4j.reader.internal.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests and bytes of metadata (manifests, index, zTOCs and their checkpoints), and times
 * the open and the first byte of file data handed out; thread-safe.
 */
public final class MetadataCounters {
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final long started = System.nanoTime();
  private volatile long opened = -1;
  private final java.util.concurrent.atomic.AtomicLong firstByte = new java.util.concurrent.atomic.AtomicLong(-1);

  /** Marks the open done. */
  public void opened() {
    opened = System.nanoTime() - started;
  }

  /** Marks file bytes handed out: the first call only counts. */
  public void firstByte() {
    if (firstByte.get() < 0) {
      firstByte.compareAndSet(-1, System.nanoTime() - started);
    }
  }

  /** {@return nanoseconds from the start of the open to its end, or -1 while opening} */
  public long openNanos() {
    return opened;
  }

  /** {@return nanoseconds from the start of the open to the first file byte handed out, or -1} */
  public long firstByteNanos() {
    return firstByte.get();
  }

  /** @param n bytes of one metadata fetch */
  public void fetched(long n) {
    requests.increment();
    bytes.add(n);
  }

  /** Counts a request that returned no bytes (resolve, referrers, a failure). */
  public void request() {
    requests.increment();
  }

  /** {@return bytes fetched} */
  public long bytes() {
    return bytes.sum();
  }

  /** {@return requests sent} */
  public long requests() {
    return requests.sum();
  }
}
