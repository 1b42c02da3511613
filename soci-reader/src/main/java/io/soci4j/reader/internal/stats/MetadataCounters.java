package io.soci4j.reader.internal.stats;

import java.util.concurrent.atomic.LongAdder;

/** Counts requests and bytes of metadata (manifests, index, zTOCs); thread-safe. */
public final class MetadataCounters {
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requests = new LongAdder();

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
