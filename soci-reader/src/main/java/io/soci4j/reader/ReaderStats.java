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
 * @param layers per layer, in image order (bottom first)
 */
public record ReaderStats(long bytesFetched, long requests, long metadataBytes, long metadataRequests,
    long cacheHits, long cacheMisses, long spansFetched, long spansDecompressed, long wholeLayerFetches,
    List<LayerStats> layers) {

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
   * @param layers see the record component
   */
  public ReaderStats {
    layers = List.copyOf(layers);
  }

  /** {@return a multi-line human-readable summary, one line per layer} */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("fetched %,d bytes in %,d requests (metadata %,d bytes in %,d); spans: %,d fetched, "
        + "%,d cache hits, %,d misses, %,d decompressed; %d layer(s) fetched whole%n", bytesFetched, requests,
        metadataBytes, metadataRequests, spansFetched, cacheHits, cacheMisses, spansDecompressed, wholeLayerFetches));
    for (LayerStats l : layers) {
      sb.append(String.format("  %s %s: %,d bytes in %,d requests, %,d spans fetched, %,d hits, %,d misses, "
          + "%,d decompressed, %,d retries%n", l.layer(), l.indexed() ? "(zTOC)" : "(whole)", l.bytesFetched(),
          l.requests(), l.spansFetched(), l.cacheHits(), l.cacheMisses(), l.spansDecompressed(), l.retries()));
    }
    return sb.toString();
  }
}
