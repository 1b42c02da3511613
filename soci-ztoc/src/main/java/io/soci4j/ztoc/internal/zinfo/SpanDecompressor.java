package io.soci4j.ztoc.internal.zinfo;

import java.io.IOException;

/** Decompresses one span of a layer from its compressed bytes; one implementation per format. */
public interface SpanDecompressor {
  /**
   * Decompresses part of a span.
   *
   * @param span span id
   * @param src holds the span's compressed range {@code [compressedStart, compressedEnd)}
   * @param srcOff where that range starts in src
   * @param srcLen its length
   * @param skip uncompressed bytes of the span to drop before writing
   * @param dst destination
   * @param dstOff where to write
   * @param len uncompressed bytes to write (skip + len at most the span's uncompressed length)
   * @throws IOException {@link io.soci4j.api.LayerFormatException} when the bytes do not decode
   */
  void decompress(int span, byte[] src, int srcOff, int srcLen, long skip, byte[] dst, int dstOff, int len)
      throws IOException;

  /**
   * Decompresses a whole span; the last span of a layer runs to the end of its compressed bytes,
   * so bytes after the tar's end-of-archive (record padding) are included and the spans of a
   * layer, concatenated, are exactly its decompressed stream.
   *
   * @param span span id
   * @param src holds the span's compressed range
   * @param srcOff where that range starts in src
   * @param srcLen its length
   * @param expectedLen the span's uncompressed length from the geometry (a minimum for the last
   *     span)
   * @return the uncompressed bytes
   * @throws IOException {@link io.soci4j.api.LayerFormatException} when the bytes do not decode
   */
  byte[] decompressToEnd(int span, byte[] src, int srcOff, int srcLen, int expectedLen) throws IOException;
}
