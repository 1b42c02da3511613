package io.soci4j.api;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Random access to the bytes of one blob: a local file, an array, or (in soci-registry) a
 * registry blob read with HTTP range requests.
 *
 * <pre>{@code
 * try (ByteSource layer = ByteSource.open(Path.of("layer.tar.gz"))) {
 *   byte[] head = layer.read(0, 10);
 * }
 * }</pre>
 *
 * <p>Implementations are safe for concurrent reads from several threads.
 */
public interface ByteSource extends Closeable {

  /**
   * The blob size.
   *
   * @return size in bytes
   * @throws IOException when it cannot be found
   */
  long size() throws IOException;

  /**
   * Reads exactly {@code dst.remaining()} bytes starting at {@code offset} into {@code dst}.
   *
   * @param offset position of the first byte
   * @param dst where the bytes go; its position advances by the bytes read
   * @throws java.io.EOFException when the range runs past the end of the blob
   * @throws IOException when reading fails
   */
  void read(long offset, ByteBuffer dst) throws IOException;

  /**
   * Reads {@code length} bytes starting at {@code offset}.
   *
   * @param offset position of the first byte
   * @param length number of bytes
   * @return a new array of exactly {@code length} bytes
   * @throws IOException when reading fails or the range runs past the end
   */
  default byte[] read(long offset, int length) throws IOException {
    byte[] out = new byte[length];
    read(offset, ByteBuffer.wrap(out));
    return out;
  }

  /** Releases resources; the default does nothing. */
  @Override
  default void close() throws IOException {}

  /**
   * A source over a file, read with positional reads.
   *
   * @param file the file
   * @return an open source; close it
   * @throws IOException when the file cannot be opened
   */
  static ByteSource open(Path file) throws IOException {
    return new FileByteSource(file);
  }

  /**
   * A source over an array (not copied: do not modify it afterwards).
   *
   * @param bytes the blob
   * @return the source
   */
  static ByteSource of(byte[] bytes) {
    return new ArrayByteSource(bytes);
  }
}
