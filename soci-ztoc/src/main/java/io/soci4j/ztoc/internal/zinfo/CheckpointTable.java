package io.soci4j.ztoc.internal.zinfo;

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
}
