package io.soci4j.ztoc.internal.zstd;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Compresses a tar stream as standard zstd frames cut for SOCI spans: a frame ends at the first
 * member boundary after more than {@code spanSize} uncompressed bytes, so each frame is one span of
 * the zTOC (the span rule needs {@code > spanSize}) and small files never straddle two frames; a
 * member that would carry the frame past {@code 2 × spanSize} is cut inside, at the first 512-byte
 * tar block boundary past {@code spanSize}. Frames carry a content checksum. Optionally appends the
 * seek table of the zstd seekable format (a skippable frame) listing the frames. Memory: 128 KiB of
 * buffers plus libzstd's state. Not thread-safe; close it.
 */
public final class FramedZstdWriter implements AutoCloseable {
  /** Magic of the seek table's skippable frame. */
  static final int SEEK_TABLE_MAGIC = 0x184D2A5E;
  /** Last four bytes of a seekable-format file. */
  static final int SEEKABLE_MAGIC = 0x8F92EAB1;
  /** Largest frame the seekable format's reference reader accepts, uncompressed. */
  public static final long MAX_SEEKABLE_FRAME = 1L << 30;
  private static final int BUFFER = 128 * 1024;

  private final OutputStream out;
  private final long spanSize;
  private final long maxFrame;
  private final boolean seekTable;
  private final ZstdCompressCtx ctx = new ZstdCompressCtx();
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private final TarMemberTracker tracker = new TarMemberTracker();
  private final ByteBuffer empty = ByteBuffer.allocate(0);
  private ByteBuffer table = ByteBuffer.allocate(64 * 8).order(ByteOrder.LITTLE_ENDIAN);
  private long in;
  private long frameStart;
  private long written;
  private long frameCompressedStart;
  private int frames;

  /**
   * @param out receives the zstd stream (not closed)
   * @param spanSize span size of the zTOC the frames are cut for
   * @param level zstd level
   * @param seekTable whether {@link #finish} appends a seek table
   * @throws IllegalArgumentException when frames could exceed the seekable format's limit
   */
  public FramedZstdWriter(OutputStream out, long spanSize, int level, boolean seekTable) {
    if (spanSize < 1) {
      throw new IllegalArgumentException("span size must be positive, got " + spanSize);
    }
    this.maxFrame = 2 * spanSize;
    if (seekTable && maxFrame > MAX_SEEKABLE_FRAME) {
      throw new IllegalArgumentException("frames of up to " + maxFrame + " bytes (twice the span size " + spanSize
          + ") exceed the seekable format's " + MAX_SEEKABLE_FRAME + "-byte limit: use a smaller span size or no seek table");
    }
    this.out = out;
    this.spanSize = spanSize;
    this.seekTable = seekTable;
    ctx.setLevel(level);
    ctx.setChecksum(true);
  }

  /** @return frames written so far (the seek table not counted) */
  public int frames() {
    return frames;
  }

  /** @return compressed bytes written so far */
  public long compressedSize() {
    return written;
  }

  /**
   * Compresses more of the tar stream.
   *
   * @param b tar bytes
   * @param off first byte
   * @param len number of bytes
   * @throws IOException when the output fails
   */
  public void write(byte[] b, int off, int len) throws IOException {
    int p = off;
    int end = off + len;
    while (p < end) {
      long limit = limit();
      if (limit == in) {
        endFrame();
        continue;
      }
      int n = (int) Math.min(end - p, limit - in);
      compress(b, p, n);
      tracker.accept(b, p, n);
      p += n;
      in += n;
    }
  }

  /**
   * Where the current frame may run to before the next decision: the frame ends when this is the
   * current position.
   */
  private long limit() {
    long frameLen = in - frameStart;
    long boundary = tracker.nextBoundary();
    if (boundary == in) {
      return frameLen > spanSize ? in : in + TarMemberTracker.BLOCK; // cut here, or read the header first
    }
    if (boundary == -2) {
      return tracker.headerEnd();
    }
    if (boundary > in && boundary - frameStart <= maxFrame) {
      return boundary;
    }
    // a huge member, or no more boundaries: cut inside, on a tar block boundary past the span size
    long inside = frameStart + spanSize + 1;
    inside = (inside + TarMemberTracker.BLOCK - 1) / TarMemberTracker.BLOCK * TarMemberTracker.BLOCK;
    return Math.max(in, inside);
  }

  private void compress(byte[] b, int off, int len) throws IOException {
    ByteBuffer src = ByteBuffer.wrap(b, off, len);
    while (src.hasRemaining()) {
      ctx.compressByteBufferStream(buffer, src, EndDirective.CONTINUE);
      drain();
    }
  }

  private void endFrame() throws IOException {
    boolean done;
    do {
      done = ctx.compressByteBufferStream(buffer, empty, EndDirective.END);
      drain();
    } while (!done);
    if (table.remaining() < 8) {
      ByteBuffer bigger = ByteBuffer.allocate(table.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
      table.flip();
      table = bigger.put(table);
    }
    table.putInt((int) (written - frameCompressedStart)).putInt((int) (in - frameStart));
    frames++;
    frameStart = in;
    frameCompressedStart = written;
  }

  private void drain() throws IOException {
    if (buffer.position() > 0) {
      out.write(buffer.array(), 0, buffer.position());
      written += buffer.position();
      buffer.clear();
    }
  }

  /**
   * Ends the last frame and writes the seek table if asked for. An empty stream gives one empty
   * frame.
   *
   * @throws IOException when the output fails
   */
  public void finish() throws IOException {
    if (in > frameStart || frames == 0) {
      endFrame();
    }
    if (seekTable) {
      ByteBuffer footer = ByteBuffer.allocate(8 + table.position() + 9).order(ByteOrder.LITTLE_ENDIAN);
      footer.putInt(SEEK_TABLE_MAGIC).putInt(table.position() + 9);
      footer.put(table.array(), 0, table.position());
      footer.putInt(frames).put((byte) 0).putInt(SEEKABLE_MAGIC);
      out.write(footer.array());
      written += footer.capacity();
    }
  }

  @Override
  public void close() {
    ctx.close();
  }
}
