package io.soci4j.ztoc.internal.zinfo;

import com.google.flatbuffers.FlatBufferBuilder;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.flat.FlatBuffer;
import io.soci4j.ztoc.internal.flat.FlatTable;

/**
 * The zinfo of an uncompressed (plain tar) layer (SOCI format spec §3): a flatbuffers table
 * {@code TarZinfo} {0 {@code version} int (2), 1 {@code span_size} long, 2 {@code size} long}
 * without file identifier. Spans are fixed slices of {@code span_size} bytes of the layer; the
 * last one runs to the layer's end. Compressed and uncompressed offsets are the same.
 */
public final class TarZinfo implements SpanGeometry {
  /** The version upstream writes. */
  public static final int VERSION = 2;

  private static final int SLOT_VERSION = 0;
  private static final int SLOT_SPAN_SIZE = 1;
  private static final int SLOT_SIZE = 2;

  private final long spanSize;
  private final long size;
  private final int spanCount;

  private TarZinfo(long spanSize, long size, int spanCount) {
    this.spanSize = spanSize;
    this.size = size;
    this.spanCount = spanCount;
  }

  /**
   * The highest span id of a layer, as upstream computes it.
   *
   * @param spanSize span size, positive
   * @param size layer size, positive
   * @return {@code size / spanSize}, minus one when {@code spanSize} divides {@code size}
   */
  public static long maxSpanId(long spanSize, long size) {
    return size / spanSize - (size % spanSize == 0 ? 1 : 0);
  }

  /**
   * Encodes the blob exactly as upstream's Go flatbuffers builder does.
   *
   * @param spanSize span size, positive
   * @param size layer size, positive
   * @return the blob (48 bytes)
   */
  public static byte[] encode(long spanSize, long size) {
    if (spanSize <= 0 || size <= 0) {
      throw new IllegalArgumentException("span size " + spanSize + " and layer size " + size
          + " must both be positive");
    }
    FlatBufferBuilder b = new FlatBufferBuilder(64);
    b.startTable(3);
    b.addInt(SLOT_VERSION, VERSION, 0);
    b.addLong(SLOT_SPAN_SIZE, spanSize, 0);
    b.addLong(SLOT_SIZE, size, 0);
    b.finish(b.endTable());
    return b.sizedByteArray();
  }

  /**
   * Decodes and validates a blob against the zTOC it came from. Offsets in errors are relative to
   * the blob.
   *
   * @param blob the blob
   * @param spanCount max_span_id + 1 from the zTOC
   * @param compressedSize the zTOC's compressed_archive_size: the layer size
   * @param uncompressedSize the zTOC's uncompressed_archive_size, at most the layer size
   * @return the span geometry
   * @throws ZtocFormatException when the blob is malformed or does not match the zTOC
   */
  public static TarZinfo decode(byte[] blob, int spanCount, long compressedSize,
      long uncompressedSize) throws ZtocFormatException {
    FlatTable t = new FlatBuffer(blob, "checkpoints").root();
    int version = t.getInt(SLOT_VERSION, "version", 0);
    if (version != VERSION) {
      throw new ZtocFormatException("checkpoints.version", t.fieldPosition(SLOT_VERSION),
          "tar zinfo version " + version + " is not " + VERSION);
    }
    long spanSize = t.getLong(SLOT_SPAN_SIZE, "span_size", 0);
    if (spanSize <= 0) {
      throw new ZtocFormatException("checkpoints.span_size", t.fieldPosition(SLOT_SPAN_SIZE),
          "span size " + spanSize + " is not positive");
    }
    long size = t.getLong(SLOT_SIZE, "size", 0);
    if (size != compressedSize) {
      throw new ZtocFormatException("checkpoints.size", t.fieldPosition(SLOT_SIZE), "tar size "
          + size + " is not the layer size (compressed_archive_size " + compressedSize + ")");
    }
    if (uncompressedSize > size) {
      throw new ZtocFormatException("checkpoints.size", t.fieldPosition(SLOT_SIZE),
          "uncompressed_archive_size " + uncompressedSize + " is larger than the tar layer ("
              + size + " bytes)");
    }
    long maxSpanId = maxSpanId(spanSize, size);
    if (maxSpanId != spanCount - 1L) {
      throw new ZtocFormatException("checkpoints.span_size", t.fieldPosition(SLOT_SPAN_SIZE),
          "a " + size + "-byte layer in spans of " + spanSize + " has max span id " + maxSpanId
              + ", but max_span_id is " + (spanCount - 1));
    }
    return new TarZinfo(spanSize, size, spanCount);
  }

  /** {@return the span size} */
  public long spanSize() {
    return spanSize;
  }

  /** {@return the layer size} */
  public long size() {
    return size;
  }

  @Override
  public int spanCount() {
    return spanCount;
  }

  @Override
  public long compressedStart(int span) {
    return span * spanSize;
  }

  @Override
  public long compressedEnd(int span) {
    return span == spanCount - 1 ? size : (span + 1) * spanSize;
  }

  @Override
  public long uncompressedStart(int span) {
    return compressedStart(span);
  }

  @Override
  public long uncompressedEnd(int span) {
    return compressedEnd(span);
  }

  @Override
  public int bits(int span) {
    return 0;
  }

  @Override
  public int spanOf(long uncompressedOffset) {
    return (int) Math.min(uncompressedOffset / spanSize, spanCount - 1);
  }
}
