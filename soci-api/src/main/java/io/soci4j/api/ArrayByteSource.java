package io.soci4j.api;

import java.io.EOFException;
import java.nio.ByteBuffer;

/** {@link ByteSource} over a byte array. */
final class ArrayByteSource implements ByteSource {
  private final byte[] bytes;

  ArrayByteSource(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws EOFException {
    if (offset < 0 || offset + dst.remaining() > bytes.length) {
      throw new EOFException("range [" + offset + ", " + (offset + dst.remaining())
          + ") is outside the array of " + bytes.length + " bytes");
    }
    dst.put(bytes, (int) offset, dst.remaining());
  }

  @Override
  public String toString() {
    return "ArrayByteSource[" + bytes.length + " bytes]";
  }
}
