package io.soci4j.reader;

import java.io.IOException;

/**
 * A regular file of an image opened for positional reads ({@link SociImage#openFile}): thread-safe,
 * nothing to close, and no allocation of its own per read, for callers that serve many concurrent
 * reads of one file (a FUSE file system, a server).
 */
public interface ImageFile {
  /** {@return the file's size in bytes} */
  long size();

  /**
   * Reads bytes of the file at a position, fewer when the file ends first.
   *
   * @param position first byte, at least 0
   * @param dst destination
   * @param off where to write
   * @param len bytes wanted
   * @return bytes read: {@code min(len, size - position)}, 0 at or past the end
   * @throws IOException on fetch, verification or decompression failure, or when the image is closed
   * @throws IndexOutOfBoundsException when {@code off} and {@code len} do not fit {@code dst}
   */
  int read(long position, byte[] dst, int off, int len) throws IOException;
}
