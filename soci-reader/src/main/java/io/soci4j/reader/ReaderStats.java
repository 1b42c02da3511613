package io.soci4j.reader;

import java.util.List;

/**
 * Fetch statistics of an image, a snapshot: totals over its layers plus the metadata (manifests,
 * SOCI index, zTOCs, prefetch artifacts) read to open it.
 *
 * @param bytesFetched all bytes received from the store: metadata and layers
 * @param requests all requests sent to the store (retries included)
 * @param metadataBytes bytes of manifests, index, zTOCs and prefetch artifacts
 * @param metadataRequests requests for them
 * @param cacheHits spans served from a cache
 * @param cacheMisses spans not in a cache
 * @param spansFetched spans fetched and verified
 * @param spansDecompressed spans decompressed
 * @param wholeLayerFetches layers fetched whole
 * @param checkpointsRead checkpoint records of zTOCs read by range that were read as spans needed
 *     them (zTOCs fetched whole hold all theirs and are not counted)
 * @param openNanos nanoseconds the open took
 * @param firstByteNanos nanoseconds from the start of the open to the first file byte handed out,
 *     -1 when none was yet
 * @param layers per layer, in image order (bottom first)
 */
public record ReaderStats(long bytesFetched, long requests, long metadataBytes, long metadataRequests,
    long cacheHits, long cacheMisses, long spansFetched, long spansDecompressed, long wholeLayerFetches,
    long checkpointsRead, long openNanos, long firstByteNanos, List<LayerStats> layers) {

  /**
   * Copies the list.
   *
   * @param bytesFetched see the record component
   * @param requests see the record component
   * @param metadataBytes see the record component
   * @param metadataRequests see the record component
   * @param cacheHits see the record component
   * @param cacheMisses see the record component
   * @param spansFetched see the record component
   * @param spansDecompressed see the record component
   * @param wholeLayerFetches see the record component
   * @param checkpointsRead see the record component
   * @param openNanos see the record component
   * @param firstByteNanos see the record component
   * @param layers see the record component
   */
  public ReaderStats {
    layers = List.copyOf(layers);
  }

  /** {@return a multi-line human-readable summary, one line per layer} */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("fetched %,d bytes in %,d requests (metadata %,d bytes in %,d); spans: %,d fetched, "
        + "%,d cache hits, %,d misses, %,d decompressed; %d layer(s) fetched whole; %,d checkpoints read%n",
        bytesFetched, requests, metadataBytes, metadataRequests, spansFetched, cacheHits, cacheMisses,
        spansDecompressed, wholeLayerFetches, checkpointsRead));
    sb.append(String.format(java.util.Locale.ROOT, "time: open %.3f s, first byte %s%n", openNanos / 1e9,
        firstByteNanos < 0 ? "none yet" : String.format(java.util.Locale.ROOT, "%.3f s", firstByteNanos / 1e9)));
    for (LayerStats l : layers) {
      sb.append(String.format("  %s %s: %,d bytes in %,d requests, %,d spans fetched, %,d hits, %,d misses, "
          + "%,d decompressed, %,d retries%n", l.layer(), l.indexed() ? "(zTOC)" : "(whole)", l.bytesFetched(),
          l.requests(), l.spansFetched(), l.cacheHits(), l.cacheMisses(), l.spansDecompressed(), l.retries()));
    }
    return sb.toString();
  }

  /** {@return how long the open took} */
  public java.time.Duration openTime() {
    return java.time.Duration.ofNanos(Math.max(0, openNanos));
  }

  /** {@return the time from the start of the open to the first file byte handed out, if any was} */
  public java.util.Optional<java.time.Duration> firstByteTime() {
    return firstByteNanos < 0 ? java.util.Optional.empty() : java.util.Optional.of(java.time.Duration.ofNanos(firstByteNanos));
  }
}
