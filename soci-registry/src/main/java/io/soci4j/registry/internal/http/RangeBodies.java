package io.soci4j.registry.internal.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import okio.BufferedSource;

/** Copies bodies into buffers. */
final class RangeBodies {
  private RangeBodies() {}

  static void readFully(BufferedSource source, ByteBuffer dst) throws IOException {
    int wanted = dst.remaining();
    while (dst.hasRemaining()) {
      if (source.read(dst) < 0) {
        throw new EOFException("the body ended after " + (wanted - dst.remaining()) + " of " + wanted + " bytes");
      }
    }
  }
}
