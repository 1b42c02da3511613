package io.soci4j.reader.internal.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Bytes written once, then read by range: kept in memory up to a limit, beyond it in a temporary
 * file that is deleted when the buffer is closed.
 */
final class SpillBuffer extends OutputStream {
  private final long memoryLimit;
  private final Path tempDir;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private byte[] bytes;
  private Path file;
  private FileChannel channel;
  private OutputStream fileOut;
  private long size;

  SpillBuffer(long memoryLimit, Path tempDir) {
    this.memoryLimit = memoryLimit;
    this.tempDir = tempDir;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (fileOut == null && size + len > memoryLimit) {
      Files.createDirectories(tempDir);
      file = io.soci4j.api.internal.ShutdownCleanup.register(Files.createTempFile(tempDir, "soci-layer-",
          ".tar"));
      fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      memory.writeTo(fileOut);
      memory = null;
    }
    if (fileOut != null) {
      fileOut.write(b, off, len);
    } else {
      memory.write(b, off, len);
    }
    size += len;
  }

  /** Ends writing; the buffer becomes readable. */
  void finish() throws IOException {
    if (fileOut != null) {
      fileOut.close();
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } else {
      bytes = memory.toByteArray();
      memory = null;
    }
  }

  long size() {
    return size;
  }

  boolean inMemory() {
    return bytes != null;
  }

  void read(long offset, byte[] dst, int off, int len) throws IOException {
    if (bytes != null) {
      System.arraycopy(bytes, (int) offset, dst, off, len);
      return;
    }
    ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
    long pos = offset;
    while (bb.hasRemaining()) {
      int n = channel.read(bb, pos);
      if (n < 0) {
        throw new java.io.EOFException("temporary layer file " + file + " ended at " + pos);
      }
      pos += n;
    }
  }

  void writeTo(OutputStream out) throws IOException {
    if (bytes != null) {
      out.write(bytes);
    } else {
      Files.copy(file, out);
    }
  }

  @Override
  public void close() throws IOException {
    bytes = null;
    memory = null;
    try {
      if (fileOut != null) {
        fileOut.close();
      }
      if (channel != null) {
        channel.close();
      }
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
        io.soci4j.api.internal.ShutdownCleanup.done(file);
      }
    }
  }
}
