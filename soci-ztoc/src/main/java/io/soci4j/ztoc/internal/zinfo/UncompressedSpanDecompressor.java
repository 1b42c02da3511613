package io.soci4j.ztoc.internal.zinfo;

/** Spans of an uncompressed layer are its bytes: copy them. */
public final class UncompressedSpanDecompressor implements SpanDecompressor {
  @Override
  public void decompress(int span, byte[] src, int srcOff, int srcLen, long skip, byte[] dst, int dstOff, int len) {
    if (skip + len > srcLen) {
      throw new IllegalArgumentException("span " + span + " has " + srcLen + " bytes, asked for "
          + len + " after " + skip);
    }
    System.arraycopy(src, srcOff + (int) skip, dst, dstOff, len);
  }

  @Override
  public byte[] decompressToEnd(int span, byte[] src, int srcOff, int srcLen, int expectedLen) {
    return java.util.Arrays.copyOfRange(src, srcOff, srcOff + srcLen);
  }
}
