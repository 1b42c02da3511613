package io.soci4j.reader;

import io.soci4j.api.Digest;

/**
 * Fetch statistics of one layer, a snapshot.
 *
 * @param layer the layer digest
 * @param indexed whether the layer has a zTOC (read by spans) rather than being fetched whole
 * @param bytesFetched compressed bytes received from the store for this layer
 * @param requests range requests and whole-blob fetches sent for it (retries included)
 * @param cacheHits spans served from a cache without fetching
 * @param cacheMisses spans that had to be fetched (or waited for while another reader fetched them)
 * @param spansFetched spans fetched and verified
 * @param spansDecompressed spans decompressed
 * @param wholeLayerFetches times the whole layer blob was fetched (layers without zTOC, once)
 * @param retries requests repeated after a transient failure or a span digest mismatch, and copies
 *     of late requests ({@link SociImageOptions.Builder#hedgedRequests})
 * @param verificationFailures spans whose fetched bytes did not match their digest
 */
public record LayerStats(Digest layer, boolean indexed, long bytesFetched, long requests, long cacheHits,
    long cacheMisses, long spansFetched, long spansDecompressed, long wholeLayerFetches, long retries,
    long verificationFailures) {}
