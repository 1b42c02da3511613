package io.soci4j.ztoc.internal.zstd;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.soci4j.api.LayerFormatException;
import java.nio.ByteBuffer;

/**
 * Streaming decoder of the zstd frames a {@link ZstdFrameWalker} finds: the frame's bytes are fed
 * as they arrive (never a whole frame at once) to libzstd's streaming decompressor, which checks
 * block contents, the frame content size and the content checksum when present. Memory: libzstd's
 * window (native) and no Java buffer beyond the caller's output buffer. Not thread-safe; close it.
 */
final class FrameDecoder implements AutoCloseable {
  private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
  private final String where;
  private long frameStart;
  private boolean frameDone = true;

  /** @param where what is decoded, for error messages (e.g. "span 3"), or empty */
  FrameDecoder(String where) {
    this.where = where.isEmpty() ? "" : " of " + where;
  }

  /**
   * A frame starts.
   *
   * @param offset absolute offset of its magic number
   */
  void start(long offset) {
    frameStart = offset;
    frameDone = false;
  }

  /**
   * Decodes some of the current frame's bytes into {@code out}, stopping early when it is full.
   *
   * @param src the bytes; its position advances over what was consumed
   * @param out receives output; its position advances
   * @param uncompressedOffset where the output stands in the stream, for error messages
   * @throws LayerFormatException when the data do not decode
   */
  void decode(ByteBuffer src, ByteBuffer out, long uncompressedOffset) throws LayerFormatException {
    try {
      frameDone = ctx.decompressByteBufferStream(out, src);
    } catch (ZstdException e) {
      throw error("invalid zstd data", e.getMessage(), uncompressedOffset);
    }
  }

  /**
   * Flushes output held inside the decoder after the frame's last byte was fed.
   *
   * @param out receives output
   * @param uncompressedOffset where the output stands, for error messages
   * @return true when the frame is complete and fully flushed; false when {@code out} filled up
   *     first (call again)
   * @throws LayerFormatException when the frame is incomplete (its last block did not end it)
   */
  boolean flush(ByteBuffer out, long uncompressedOffset) throws LayerFormatException {
    if (frameDone) {
      return true;
    }
    int before = out.position();
    decode(ByteBuffer.allocate(0), out, uncompressedOffset);
    if (!frameDone && out.position() == before && out.hasRemaining()) {
      throw error("incomplete zstd frame", "the decoder wants more input after the last block", uncompressedOffset);
    }
    return frameDone;
  }

  private LayerFormatException error(String problem, String detail, long uncompressedOffset) {
    return new LayerFormatException(problem + where + " in the frame at compressed offset " + frameStart + ": "
        + detail, frameStart, uncompressedOffset, null);
  }

  @Override
  public void close() {
    ctx.close();
  }
}
