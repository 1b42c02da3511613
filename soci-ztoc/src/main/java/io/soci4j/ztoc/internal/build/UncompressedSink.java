package io.soci4j.ztoc.internal.build;

import java.io.IOException;

/** Receives a layer's uncompressed tar stream, in order, in chunks. */
@FunctionalInterface
public interface UncompressedSink {
  /**
   * @param buf buffer holding the bytes (valid only during the call)
   * @param off first byte
   * @param len number of bytes
   * @throws IOException to abort the scan
   */
  void accept(byte[] buf, int off, int len) throws IOException;
}
