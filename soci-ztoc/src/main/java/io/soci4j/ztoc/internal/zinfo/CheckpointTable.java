package io.soci4j.ztoc.internal.zinfo;

import io.soci4j.api.ZtocFormatException;

/**
 * Span geometry from a table of checkpoints (compressed offset {@code in}, uncompressed offset
 * {@code out}), shared by the formats whose spans start at checkpoints: span i covers compressed
 * {@code [in_i, in_{i+1})} (the blob's end for the last) and uncompressed {@code [out_i,
 * out_{i+1})} (for the last, the tar's end, or the checkpoint itself when it lies past it).
 */
abstract class CheckpointTable implements SpanGeometry {
  private final long spanSize;
  /** Compressed offset of each checkpoint. */
  final long[] in;
  private final long[] out;
  private final long compressedSize;
  private final long uncompressedSize;

  CheckpointTable(long spanSize, long[] in, long[] out, long compressedSize, long uncompressedSize) {
    this.spanSize = spanSize;
    this.in = in;
    this.out = out;
    this.compressedSize = compressedSize;
    this.uncompressedSize = uncompressedSize;
  }

  /** @return the span size recorded in the blob */
  public long spanSize() {
    return spanSize;
  }

  @Override
  public int spanCount() {
    return in.length;
  }

  @Override
  public long compressedStart(int span) {
    return in[span];
  }

  @Override
  public long compressedEnd(int span) {
    return span + 1 < in.length ? in[span + 1] : compressedSize;
  }

  @Override
  public long uncompressedStart(int span) {
    return out[span];
  }

  @Override
  public long uncompressedEnd(int span) {
    return span + 1 < out.length ? out[span + 1] : Math.max(out[span], uncompressedSize);
  }

  @Override
  public int bits(int span) {
    return 0;
  }

  /**
   * Checks a blob's checkpoint count against the zTOC's span count.
   *
   * @param count count stored in the blob
   * @param spanCount max_span_id + 1
   * @param offset where the count is in the blob
   * @throws ZtocFormatException when it is not positive or does not match
   */
  static void checkCount(int count, int spanCount, int offset) throws ZtocFormatException {
    if (count <= 0) {
      throw new ZtocFormatException("checkpoints.count", offset, "checkpoint count " + count + " is not positive");
    }
    if (count != spanCount) {
      throw new ZtocFormatException("checkpoints.count", offset,
          "checkpoint count " + count + " does not match max_span_id + 1 = " + spanCount);
    }
  }

  /**
   * Checks checkpoint i's uncompressed offset and that both offsets increase. A checkpoint may lie
   * past the tar's end-of-archive blocks (padding inside the compressed stream; upstream places
   * checkpoints there too), so it is bounded by what the compressed bytes before it can produce.
   *
   * @param i checkpoint index
   * @param pos its offset in the blob (in at pos, out at pos + 8)
   * @param in compressed offsets read so far
   * @param out uncompressed offsets read so far
   * @param uncompressedSize the tar's size
   * @param maxRatio most uncompressed bytes one compressed byte can produce in the format
   * @throws ZtocFormatException naming the field
   */
  static void checkOffsets(int i, long pos, long[] in, long[] out, long uncompressedSize, long maxRatio)
      throws ZtocFormatException {
    String field = "checkpoints[" + i + "]";
    if (out[i] < 0 || (out[i] > uncompressedSize && out[i] > in[i] * maxRatio)) {
      throw new ZtocFormatException(field + ".out", pos + 8, "uncompressed offset " + out[i]
          + " is past the tar stream (size " + uncompressedSize + ") and more than " + in[i]
          + " compressed bytes can produce");
    }
    if (i > 0 && (in[i] <= in[i - 1] || out[i] <= out[i - 1])) {
      throw new ZtocFormatException(field, pos, "offsets (in " + in[i] + ", out " + out[i]
          + ") do not increase from checkpoint " + (i - 1) + " (in " + in[i - 1] + ", out " + out[i - 1] + ")");
    }
  }
}
