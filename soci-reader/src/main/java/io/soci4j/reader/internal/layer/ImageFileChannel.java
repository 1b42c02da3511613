package io.soci4j.reader.internal.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable channel over one file of the image: a slice of a layer's tar stream. Each
 * read asks the layer for at most {@value #CHUNK} bytes. Not thread-safe (as channels of one
 * position are not); open one per thread.
 */
public final class ImageFileChannel implements SeekableByteChannel {
  private static final int CHUNK = 4 << 20;

  private final LayerData layer;
  private final long offset;
  private final long size;
  private final Runnable delivered;
  private long position;
  private boolean open = true;

  /**
   * @param layer the layer holding the file
   * @param offset offset of the file's first byte in the layer's tar stream
   * @param size the file size
   * @param delivered called after each read that handed out bytes
   */
  public ImageFileChannel(LayerData layer, long offset, long size, Runnable delivered) {
    this.layer = layer;
    this.offset = offset;
    this.size = size;
    this.delivered = delivered;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= size) {
      return dst.hasRemaining() ? -1 : 0;
    }
    int n = (int) Math.min(Math.min(dst.remaining(), size - position), CHUNK);
    if (n == 0) {
      return 0;
    }
    if (dst.hasArray()) {
      layer.read(offset + position, dst.array(), dst.arrayOffset() + dst.position(), n);
      dst.position(dst.position() + n);
    } else {
      byte[] buf = new byte[n];
      layer.read(offset + position, buf, 0, n);
      dst.put(buf);
    }
    position += n;
    delivered.run();
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ensureOpen();
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) throws IOException {
    ensureOpen();
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
