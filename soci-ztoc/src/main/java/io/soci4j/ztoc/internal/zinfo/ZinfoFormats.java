package io.soci4j.ztoc.internal.zinfo;

import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.Compression;

/**
 * Picks the checkpoint codec of each compression format: the one place a new format (zstd) plugs
 * in. TOC code only sees the resulting {@link SpanGeometry}.
 */
public final class ZinfoFormats {
  private ZinfoFormats() {}

  /**
   * Decodes and validates a zTOC's checkpoint blob. Offsets in errors are relative to the blob.
   *
   * @param compression the zTOC's compression algorithm
   * @param blob the checkpoints bytes (not copied; must not change afterwards)
   * @param spanCount max_span_id + 1
   * @param compressedSize compressed_archive_size
   * @param uncompressedSize uncompressed_archive_size
   * @return the span geometry, an instance of the format's class ({@link GzipCheckpoints}, {@link
   *     TarZinfo}, {@link ZstdCheckpoints})
   * @throws ZtocFormatException when the blob is malformed, does not fit the sizes or its first
   *     span does not start at uncompressed offset 0
   */
  public static SpanGeometry geometry(Compression compression, byte[] blob, int spanCount,
      long compressedSize, long uncompressedSize) throws ZtocFormatException {
    SpanGeometry g = switch (compression) {
      case GZIP -> GzipCheckpoints.decode(blob, spanCount, compressedSize, uncompressedSize);
      case UNCOMPRESSED -> TarZinfo.decode(blob, spanCount, compressedSize, uncompressedSize);
      case ZSTD -> ZstdCheckpoints.decode(blob, spanCount, compressedSize, uncompressedSize);
    };
    if (g.uncompressedStart(0) != 0) {
      throw new ZtocFormatException("checkpoints", 0,
          "span 0 starts at uncompressed offset " + g.uncompressedStart(0) + ", not 0");
    }
    return g;
  }

  /**
   * The span decompressor of a format.
   *
   * @param compression the zTOC's compression algorithm
   * @param geometry the geometry {@link #geometry} returned for it
   * @return the decompressor
   */
  public static SpanDecompressor decompressor(Compression compression, SpanGeometry geometry) {
    return switch (compression) {
      case GZIP -> new io.soci4j.ztoc.internal.gzip.GzipSpanDecompressor((DeflateCheckpoints) geometry);
      case UNCOMPRESSED -> new UncompressedSpanDecompressor();
      case ZSTD -> new io.soci4j.ztoc.internal.zstd.ZstdSpanDecompressor((ZstdCheckpoints) geometry);
    };
  }
}
