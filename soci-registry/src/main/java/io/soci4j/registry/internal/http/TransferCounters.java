package io.soci4j.registry.internal.http;

import io.soci4j.registry.TransferStats;
import java.util.concurrent.atomic.LongAdder;

/** Counts retries, resumes and Range-ignored blobs of one client; thread-safe. */
public final class TransferCounters {
  private final LongAdder retries = new LongAdder();
  private final LongAdder resumes = new LongAdder();
  private final LongAdder resumedBytes = new LongAdder();
  private final LongAdder rangeIgnored = new LongAdder();

  void retry() {
    retries.increment();
  }

  void resume(long bytesKept) {
    resumes.increment();
    resumedBytes.add(bytesKept);
  }

  void rangeIgnored() {
    rangeIgnored.increment();
  }

  /** {@return the counts so far} */
  public TransferStats snapshot() {
    return new TransferStats(retries.sum(), resumes.sum(), resumedBytes.sum(), rangeIgnored.sum());
  }
}
