package io.soci4j.ztoc;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams a range of a layer's tar stream through a {@link LayerReader}, one span (at most 8 MiB)
 * at a time, so each span is decompressed once.
 */
final class RangeInputStream extends InputStream {
  private static final int CHUNK = 8 << 20;

  private final LayerReader reader;
  private final long end;
  private long pos;
  private byte[] buf = new byte[0];
  private int bufPos;

  RangeInputStream(LayerReader reader, long offset, long length) {
    this.reader = reader;
    this.pos = offset;
    this.end = offset + length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (bufPos == buf.length) {
      if (pos >= end) {
        return -1;
      }
      int n = (int) Math.min(Math.min(CHUNK, end - pos), Math.max(1, reader.spanEnd(pos) - pos));
      buf = reader.read(pos, n);
      bufPos = 0;
      pos += n;
    }
    int n = Math.min(len, buf.length - bufPos);
    System.arraycopy(buf, bufPos, b, off, n);
    bufPos += n;
    return n;
  }
}
