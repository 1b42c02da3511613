package io.soci4j.registry.internal.http;

import io.soci4j.api.internal.ShutdownCleanup;

import io.soci4j.api.Descriptor;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A verified local copy of a blob whose server ignores {@code Range}: the full body of the first
 * 200 answer is kept (in a temporary file, deleted on {@link #close} and at JVM exit) instead of
 * being dropped, so later reads of the blob cost no request. Its digest is checked before any byte
 * of it is served.
 */
final class WholeBlobCopy implements AutoCloseable {
  private final Descriptor blob;
  private final Path file;
  private final FileChannel channel;

  private WholeBlobCopy(Descriptor blob, Path file, FileChannel channel) {
    this.blob = blob;
    this.file = file;
    this.channel = channel;
  }

  /**
   * Stores a full body.
   *
   * @param blob what it must be
   * @param body the whole body, from its first byte
   * @param what the blob, for messages
   * @return the copy
   * @throws io.soci4j.api.DigestMismatchException when the body is not the blob
   * @throws IOException on read or write failures
   */
  static WholeBlobCopy of(Descriptor blob, InputStream body, String what) throws IOException {
    Path file = ShutdownCleanup.register(Files.createTempFile("soci4j-blob-", ".bin"));
    try {
      try (InputStream in = new VerifyingInputStream(body, blob, what + " (the server ignores Range: kept whole)")) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return new WholeBlobCopy(blob, file, FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      ShutdownCleanup.done(file);
      throw e;
    }
  }

  /** Fills {@code dst} from {@code offset}. */
  void read(long offset, ByteBuffer dst) throws IOException {
    long at = offset;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, at);
      if (n < 0) {
        throw new IOException("local copy of " + blob.digest() + " ends at " + at);
      }
      at += n;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(file);
      ShutdownCleanup.done(file);
    }
  }
}
