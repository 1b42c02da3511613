package io.soci4j.reader.internal.stats;

import io.soci4j.api.Digest;
import io.soci4j.reader.LayerStats;
import java.util.concurrent.atomic.LongAdder;

/** Live fetch counters of one layer; thread-safe. */
public final class LayerCounters {
  private final Digest layer;
  private final boolean indexed;
  private final LongAdder bytes = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder fetched = new LongAdder();
  private final LongAdder decompressed = new LongAdder();
  private final LongAdder whole = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder verificationFailures = new LongAdder();

  /**
   * @param layer the layer digest
   * @param indexed whether it is read through a zTOC
   */
  public LayerCounters(Digest layer, boolean indexed) {
    this.layer = layer;
    this.indexed = indexed;
  }

  /** @param n bytes received in one successful request */
  public void received(long n) {
    bytes.add(n);
  }

  /** Counts one request sent. */
  public void request() {
    requests.increment();
  }

  /** Counts a span found in a cache. */
  public void hit() {
    hits.increment();
  }

  /** Counts a span not found in a cache. */
  public void miss() {
    misses.increment();
  }

  /** Counts a span fetched and verified. */
  public void spanFetched() {
    fetched.increment();
  }

  /** Counts a span decompressed. */
  public void spanDecompressed() {
    decompressed.increment();
  }

  /** Counts a whole-layer fetch. */
  public void wholeFetch() {
    whole.increment();
  }

  /** Counts a retried request. */
  public void retry() {
    retries.increment();
  }

  /** Counts a span digest mismatch. */
  public void verificationFailure() {
    verificationFailures.increment();
  }

  /** {@return a snapshot} */
  public LayerStats snapshot() {
    return new LayerStats(layer, indexed, bytes.sum(), requests.sum(), hits.sum(), misses.sum(), fetched.sum(),
        decompressed.sum(), whole.sum(), retries.sum(), verificationFailures.sum());
  }
}
