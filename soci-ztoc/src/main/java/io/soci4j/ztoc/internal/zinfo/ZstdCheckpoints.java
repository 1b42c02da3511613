package io.soci4j.ztoc.internal.zinfo;

import io.soci4j.api.ZtocFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The zstd checkpoint blob, a soci4j extension (docs/zstd.md). All integers little-endian:
 *
 * <pre>
 * offset  size      field
 * 0       4         magic "ZSCP" (5A 53 43 50)
 * 4       4         version, uint32 = 1
 * 8       8         span size, int64
 * 16      4         checkpoint count, int32 (= max_span_id + 1)
 * 20      16 each   per checkpoint: int64 in (compressed offset of the span's first byte, a frame
 *                   start), int64 out (uncompressed offset)
 * </pre>
 *
 * Size = 20 + 16 × count. Checkpoint 0 is (0, 0); offsets strictly increase. Span i covers
 * compressed bytes {@code [in_i, in_{i+1})} (the last one to the end of the layer): whole zstd
 * frames, with any skippable frames between them. No window is stored: zstd frames decode on their
 * own.
 */
public final class ZstdCheckpoints extends CheckpointTable {
  /** The magic, as a little-endian int ("ZSCP" in the file). */
  public static final int MAGIC = 0x5043535A;
  /** The only version. */
  public static final int VERSION = 1;
  /** Bytes of the blob header. */
  public static final int HEADER_SIZE = 20;
  /** Bytes of one stored checkpoint. */
  public static final int ENTRY_SIZE = 16;
  /**
   * Most uncompressed bytes one compressed byte of zstd can produce: an RLE block is 4 bytes (3
   * of header, 1 of content) for at most 128 KiB.
   */
  static final long MAX_ZSTD_RATIO = (128 << 10) / 4;

  private ZstdCheckpoints(long spanSize, long[] in, long[] out, long compressedSize, long uncompressedSize) {
    super(spanSize, in, out, compressedSize, uncompressedSize);
  }

  /**
   * Encodes checkpoints.
   *
   * @param spanSize span size to record
   * @param checkpoints checkpoints in order, the first at (0, 0)
   * @return the blob
   */
  public static byte[] encode(long spanSize, List<Checkpoint> checkpoints) {
    int n = checkpoints.size();
    ByteBuffer bb = ByteBuffer.allocate(HEADER_SIZE + n * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(MAGIC).putInt(VERSION).putLong(spanSize).putInt(n);
    for (Checkpoint c : checkpoints) {
      bb.putLong(c.in()).putLong(c.out());
    }
    return bb.array();
  }

  /**
   * Decodes and validates a blob against the zTOC it came from. Offsets in errors are relative to
   * the blob.
   *
   * @param blob the blob (not kept)
   * @param spanCount max_span_id + 1 from the zTOC
   * @param compressedSize layer blob size
   * @param uncompressedSize uncompressed tar size
   * @return the checkpoints
   * @throws ZtocFormatException when the blob is malformed or does not fit the sizes, naming the
   *     field
   */
  public static ZstdCheckpoints decode(byte[] blob, int spanCount, long compressedSize,
      long uncompressedSize) throws ZtocFormatException {
    if (blob.length < HEADER_SIZE) {
      throw new ZtocFormatException("checkpoints", -1,
          "zstd checkpoint blob of " + blob.length + " bytes is shorter than its " + HEADER_SIZE + "-byte header");
    }
    ByteBuffer bb = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    if (bb.getInt(0) != MAGIC) {
      throw new ZtocFormatException("checkpoints.magic", 0, String.format(
          "magic %08x is not the zstd checkpoint magic %08x (\"ZSCP\")", Integer.reverseBytes(bb.getInt(0)),
          Integer.reverseBytes(MAGIC)));
    }
    int version = bb.getInt(4);
    if (version != VERSION) {
      throw new ZtocFormatException("checkpoints.version", 4, "zstd checkpoint version " + version + " is not "
          + VERSION);
    }
    long spanSize = bb.getLong(8);
    if (spanSize <= 0) {
      throw new ZtocFormatException("checkpoints.span_size", 8, "span size " + spanSize + " is not positive");
    }
    int count = bb.getInt(16);
    checkCount(count, spanCount, 16);
    long expected = HEADER_SIZE + (long) count * ENTRY_SIZE;
    if (blob.length != expected) {
      throw new ZtocFormatException("checkpoints", -1, "zstd checkpoint blob is " + blob.length + " bytes; "
          + count + " checkpoints need " + expected);
    }
    long[] in = new long[count];
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      int pos = HEADER_SIZE + i * ENTRY_SIZE;
      in[i] = bb.getLong(pos);
      out[i] = bb.getLong(pos + 8);
      validate(i, pos, in, out, compressedSize, uncompressedSize);
    }
    return new ZstdCheckpoints(spanSize, in, out, compressedSize, uncompressedSize);
  }

  private static void validate(int i, int pos, long[] in, long[] out, long compressedSize, long uncompressedSize)
      throws ZtocFormatException {
    String field = "checkpoints[" + i + "]";
    if (i == 0 && in[0] != 0) {
      throw new ZtocFormatException(field + ".in", pos, "span 0 starts at compressed offset " + in[0] + ", not 0");
    }
    if (in[i] < 0 || in[i] >= compressedSize) {
      throw new ZtocFormatException(field + ".in", pos,
          "compressed offset " + in[i] + " is outside the layer (size " + compressedSize + ")");
    }
    checkOffsets(i, pos, in, out, uncompressedSize, MAX_ZSTD_RATIO);
  }

  /**
   * One checkpoint for {@link #encode}.
   *
   * @param in compressed offset of the span's first byte
   * @param out uncompressed offset
   */
  public record Checkpoint(long in, long out) {}

}
