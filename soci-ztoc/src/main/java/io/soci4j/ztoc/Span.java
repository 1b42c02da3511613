package io.soci4j.ztoc;

import io.soci4j.api.Digest;

/**
 * One span of a layer: a stretch that decompresses on its own from its checkpoint.
 *
 * @param id span number, 0 based
 * @param compressedStart first byte of the layer blob needed to decompress the span
 * @param compressedEnd end (exclusive) of the compressed range; consecutive gzip spans can share
 *     one byte
 * @param uncompressedStart first uncompressed byte the span produces
 * @param uncompressedEnd end (exclusive) of the uncompressed bytes it produces
 * @param bits for gzip, the number of bits of byte {@code compressedStart} that belong to this
 *     span (0 when the span starts on a byte boundary)
 * @param digest sha256 of the compressed range
 */
public record Span(
    int id,
    long compressedStart,
    long compressedEnd,
    long uncompressedStart,
    long uncompressedEnd,
    int bits,
    Digest digest) {

  /** {@return compressed bytes in the span's range} */
  public long compressedLength() {
    return compressedEnd - compressedStart;
  }

  /** {@return uncompressed bytes the span produces} */
  public long uncompressedLength() {
    return uncompressedEnd - uncompressedStart;
  }
}
