package io.soci4j.api.internal;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** Reads a buffer's remaining bytes without copying them first; supports mark and reset. */
public final class ByteBufferInputStream extends InputStream {
  private final ByteBuffer buffer;

  /**
   * @param buffer the bytes from its position to its limit (a duplicate is read: the caller's
   *     position does not move)
   */
  public ByteBufferInputStream(ByteBuffer buffer) {
    this.buffer = buffer.duplicate();
  }

  @Override
  public int read() {
    return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!buffer.hasRemaining()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  @Override
  public long skip(long n) {
    int k = (int) Math.max(0, Math.min(n, buffer.remaining()));
    buffer.position(buffer.position() + k);
    return k;
  }

  @Override
  public int available() {
    return buffer.remaining();
  }

  @Override
  public boolean markSupported() {
    return true;
  }

  @Override
  public synchronized void mark(int readLimit) {
    buffer.mark();
  }

  @Override
  public synchronized void reset() throws java.io.IOException {
    try {
      buffer.reset();
    } catch (java.nio.InvalidMarkException e) {
      throw new java.io.IOException("reset without mark", e);
    }
  }
}
