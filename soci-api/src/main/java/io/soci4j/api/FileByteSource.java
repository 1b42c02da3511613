package io.soci4j.api;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@link ByteSource} over a local file with positional reads; thread-safe. */
final class FileByteSource implements ByteSource {
  private final Path file;
  private final FileChannel channel;

  FileByteSource(Path file) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws IOException {
    long size = channel.size();
    if (offset < 0 || offset + dst.remaining() > size) {
      throw new EOFException("range [" + offset + ", " + (offset + dst.remaining()) + ") is outside "
          + file + " (size " + size + ")");
    }
    long pos = offset;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, pos);
      if (n < 0) {
        throw new EOFException("file " + file + " ended at " + pos + " while reading from " + offset);
      }
      pos += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "FileByteSource[" + file + "]";
  }
}
