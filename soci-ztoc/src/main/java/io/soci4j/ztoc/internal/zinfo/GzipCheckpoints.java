package io.soci4j.ztoc.internal.zinfo;

import io.soci4j.api.ZtocFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The gzip checkpoint blob (SOCI format spec §3): int32 count, int64 span size, then per
 * checkpoint int64 in, int64 out, uint8 bits, 32 KiB window; all little-endian. Decodes the
 * current form and the older "v1" form (checkpoint 0 implied), validates it against the layer's
 * sizes, and encodes the current form.
 */
public final class GzipCheckpoints extends CheckpointTable implements DeflateCheckpoints {
  /** Deflate window size. */
  public static final int WINDOW_SIZE = 32768;
  /** Bytes of the blob header. */
  public static final int HEADER_SIZE = 12;
  /** Most uncompressed bytes one compressed byte of deflate can produce (258 bytes per 2 bits, rounded up). */
  static final long MAX_DEFLATE_RATIO = 1032;
  /** Bytes of one stored checkpoint. */
  public static final int ENTRY_SIZE = 8 + 8 + 1 + WINDOW_SIZE;
  /** The window of the implied v1 checkpoint 0; never modified. */
  private static final byte[] ZERO_WINDOW = new byte[WINDOW_SIZE];

  private final byte[] blob;
  private final byte[] bits;
  /** Offset of checkpoint i's window in {@link #blob}, or -1 for the implied v1 checkpoint 0. */
  private final int[] windowOffset;

  private GzipCheckpoints(byte[] blob, long spanSize, long[] in, long[] out, byte[] bits,
      int[] windowOffset, long compressedSize, long uncompressedSize) {
    super(spanSize, in, out, compressedSize, uncompressedSize);
    this.blob = blob;
    this.bits = bits;
    this.windowOffset = windowOffset;
  }

  /**
   * Decodes and validates a checkpoint blob.
   *
   * @param blob the blob (not copied; callers must not modify it)
   * @param spanCount max_span_id + 1 from the zTOC
   * @param compressedSize layer blob size
   * @param uncompressedSize uncompressed tar size
   * @return the checkpoints
   * @throws ZtocFormatException when the blob is malformed or does not fit the sizes
   */
  public static GzipCheckpoints decode(byte[] blob, int spanCount, long compressedSize,
      long uncompressedSize) throws ZtocFormatException {
    if (blob.length < HEADER_SIZE) {
      throw new ZtocFormatException("checkpoints", -1,
          "blob of " + blob.length + " bytes is shorter than its " + HEADER_SIZE + "-byte header");
    }
    ByteBuffer bb = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int count = bb.getInt(0);
    long spanSize = bb.getLong(4);
    checkCount(count, spanCount, 0);
    if (spanSize <= 0) {
      throw new ZtocFormatException("checkpoints.span_size", 4, "span size " + spanSize + " is not positive");
    }
    long current = HEADER_SIZE + (long) count * ENTRY_SIZE;
    boolean v1 = blob.length == current - ENTRY_SIZE;
    if (blob.length != current && !v1) {
      throw new ZtocFormatException("checkpoints", -1, "blob is " + blob.length + " bytes; "
          + count + " checkpoints need " + current + " (or " + (current - ENTRY_SIZE) + " in the v1 form)");
    }
    long[] in = new long[count];
    long[] out = new long[count];
    byte[] bits = new byte[count];
    int[] window = new int[count];
    int pos = HEADER_SIZE;
    for (int i = 0; i < count; i++) {
      if (i == 0 && v1) {
        in[0] = 10;
        window[0] = -1;
        continue;
      }
      in[i] = bb.getLong(pos);
      out[i] = bb.getLong(pos + 8);
      bits[i] = blob[pos + 16];
      window[i] = pos + 17;
      validate(i, pos, in, out, bits, compressedSize, uncompressedSize);
      pos += ENTRY_SIZE;
    }
    return new GzipCheckpoints(blob, spanSize, in, out, bits, window, compressedSize, uncompressedSize);
  }

  static void validate(int i, long pos, long[] in, long[] out, byte[] bits,
      long compressedSize, long uncompressedSize) throws ZtocFormatException {
    String field = "checkpoints[" + i + "]";
    if (bits[i] < 0 || bits[i] > 7) {
      throw new ZtocFormatException(field + ".bits", pos + 16, "bits " + bits[i] + " is not in 0..7");
    }
    long minIn = bits[i] != 0 ? 1 : 0;
    if (in[i] < minIn || in[i] > compressedSize) {
      throw new ZtocFormatException(field + ".in", pos,
          "compressed offset " + in[i] + " is outside the layer (size " + compressedSize + ")");
    }
    checkOffsets(i, pos, in, out, uncompressedSize, MAX_DEFLATE_RATIO);
  }

  /**
   * Encodes checkpoints in the current form.
   *
   * @param spanSize span size to record
   * @param checkpoints checkpoints in order
   * @return the blob
   */
  public static byte[] encode(long spanSize, List<Checkpoint> checkpoints) {
    int n = checkpoints.size();
    ByteBuffer bb = ByteBuffer.allocate(HEADER_SIZE + n * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(n).putLong(spanSize);
    for (Checkpoint c : checkpoints) {
      bb.putLong(c.in()).putLong(c.out()).put((byte) c.bits()).put(c.window());
    }
    return bb.array();
  }

  /** One checkpoint for {@link #encode}. @param in compressed offset @param out uncompressed
   * offset @param bits unused bits of byte in-1 @param window the 32 KiB before out */
  public record Checkpoint(long in, long out, int bits, byte[] window) {
    /** Validates the window length. */
    public Checkpoint {
      if (window.length != WINDOW_SIZE) {
        throw new IllegalArgumentException("window must be " + WINDOW_SIZE + " bytes, got " + window.length);
      }
    }
  }

  /** @param span span id @return the compressed offset of the checkpoint (first byte not fully consumed) */
  public long in(int span) {
    return in[span];
  }

  /**
   * Copies a checkpoint's window (zeros for the implied v1 checkpoint 0).
   *
   * @param span span id
   * @param dst destination of {@link #WINDOW_SIZE} bytes
   * @param dstOffset where in dst
   */
  public void copyWindow(int span, byte[] dst, int dstOffset) {
    if (windowOffset[span] < 0) {
      java.util.Arrays.fill(dst, dstOffset, dstOffset + WINDOW_SIZE, (byte) 0);
    } else {
      System.arraycopy(blob, windowOffset[span], dst, dstOffset, WINDOW_SIZE);
    }
  }

  /**
   * Sets a checkpoint's window (zeros for the implied v1 checkpoint 0) as the preset dictionary of
   * a raw inflater, straight from the blob: nothing is copied or allocated.
   *
   * @param span span id
   * @param inflater a raw ({@code nowrap}) inflater, new or just reset
   */
  @Override
  public void setDictionary(int span, java.util.zip.Inflater inflater) {
    if (windowOffset[span] < 0) {
      inflater.setDictionary(ZERO_WINDOW);
    } else {
      inflater.setDictionary(blob, windowOffset[span], WINDOW_SIZE);
    }
  }

  @Override
  public long compressedStart(int span) {
    return in[span] - (bits[span] != 0 ? 1 : 0);
  }

  @Override
  public int bits(int span) {
    return bits[span];
  }
}
