package io.soci4j.ztoc.internal.zstd;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.zinfo.SpanDecompressor;
import io.soci4j.ztoc.internal.zinfo.ZstdCheckpoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decompresses a span of a zstd layer: its compressed range is whole frames, walked with {@link
 * ZstdFrameWalker} (skippable frames passed over) and decoded with libzstd's streaming decoder.
 * A partial read stops decoding as soon as it has its bytes; skipped output goes through a small
 * scratch buffer, so memory does not grow with the span.
 */
public final class ZstdSpanDecompressor implements SpanDecompressor {
  private static final int SCRATCH = 64 * 1024;

  private final ZstdCheckpoints checkpoints;

  /** @param checkpoints the layer's checkpoints */
  public ZstdSpanDecompressor(ZstdCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void decompress(int span, byte[] src, int srcOff, int srcLen, long skip, byte[] dst, int dstOff, int len)
      throws IOException {
    try (Run run = new Run(span, skip, ByteBuffer.wrap(dst, dstOff, len))) {
      run.walk(src, srcOff, srcLen);
      if (run.target.hasRemaining()) {
        throw new LayerFormatException("span " + span + " ended after " + run.produced + " of the " + (skip + len)
            + " uncompressed bytes wanted", checkpoints.compressedStart(span) + srcLen,
            checkpoints.uncompressedStart(span) + run.produced, null);
      }
    }
  }

  @Override
  public byte[] decompressToEnd(int span, byte[] src, int srcOff, int srcLen, int expectedLen) throws IOException {
    boolean last = span + 1 == checkpoints.spanCount();
    byte[] out = new byte[Math.max(expectedLen, 1)];
    int written = 0;
    try (Run run = new Run(span, 0, ByteBuffer.wrap(out))) {
      run.growable = true; // decode it all: a span that decodes to more than the zTOC says is refused
      run.walk(src, srcOff, srcLen);
      run.walker.finish();
      out = run.target.array();
      written = run.target.position();
    }
    if (last ? written < expectedLen : written != expectedLen) {
      throw new LayerFormatException("span " + span + " decodes to " + written + " bytes, but the zTOC says "
          + (last ? "at least " : "") + expectedLen, checkpoints.compressedStart(span),
          checkpoints.uncompressedStart(span), null);
    }
    return written == out.length ? out : Arrays.copyOf(out, written);
  }

  /** One span being decoded: skips {@code skip} bytes, then fills {@code target}. */
  private final class Run implements ZstdFrameWalker.Listener, AutoCloseable {
    private final int span;
    private final FrameDecoder decoder;
    private final ZstdFrameWalker walker;
    private final long spanOut;
    private long toSkip;
    private ByteBuffer scratch;
    private ByteBuffer target;
    private boolean growable;
    private boolean inDataFrame;
    private long produced;

    Run(int span, long skip, ByteBuffer target) {
      this.span = span;
      this.toSkip = skip;
      this.target = target;
      this.spanOut = checkpoints.uncompressedStart(span);
      this.decoder = new FrameDecoder("span " + span);
      this.walker = new ZstdFrameWalker(this, checkpoints.compressedStart(span), "span " + span);
    }

    void walk(byte[] src, int off, int len) throws IOException {
      walker.accept(src, off, len);
    }

    @Override
    public void frameStart(long offset, boolean skippable) {
      inDataFrame = !skippable;
      if (inDataFrame) {
        decoder.start(offset);
      }
    }

    @Override
    public void bytes(byte[] buf, int off, int len) throws IOException {
      if (!inDataFrame) {
        return;
      }
      ByteBuffer src = ByteBuffer.wrap(buf, off, len);
      while (src.hasRemaining() && room()) {
        ByteBuffer out = output();
        int before = out.position();
        decoder.decode(src, out, spanOut + produced);
        account(out.position() - before);
      }
      if (!room()) {
        walker.stop();
      }
    }

    @Override
    public void frameEnd(long end) throws IOException {
      if (!inDataFrame) {
        return;
      }
      boolean done = false;
      while (!done && room()) {
        ByteBuffer out = output();
        int before = out.position();
        done = decoder.flush(out, spanOut + produced);
        account(out.position() - before);
      }
      inDataFrame = false;
      if (!room()) {
        walker.stop();
      }
    }

    /** Whether more output is wanted; grows the target of a last span when it is full. */
    private boolean room() {
      if (toSkip > 0 || target.hasRemaining()) {
        return true;
      }
      if (growable) {
        ByteBuffer bigger = ByteBuffer.wrap(Arrays.copyOf(target.array(), target.capacity() * 2));
        bigger.position(target.position());
        target = bigger;
        return true;
      }
      return false;
    }

    private ByteBuffer output() {
      if (toSkip == 0) {
        return target;
      }
      if (scratch == null) {
        scratch = ByteBuffer.allocate((int) Math.min(SCRATCH, toSkip));
      }
      scratch.clear().limit((int) Math.min(scratch.capacity(), toSkip));
      return scratch;
    }

    private void account(int n) {
      produced += n;
      if (toSkip > 0) {
        toSkip -= n;
      }
    }

    @Override
    public void close() {
      decoder.close();
    }
  }
}
