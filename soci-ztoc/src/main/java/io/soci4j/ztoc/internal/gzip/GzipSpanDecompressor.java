package io.soci4j.ztoc.internal.gzip;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.deflate.CompressedInput;
import io.soci4j.ztoc.internal.zinfo.DeflateCheckpoints;
import io.soci4j.ztoc.internal.zinfo.SpanDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a span of a gzip layer from its checkpoint with {@link Inflater} (native zlib): the
 * window is the preset dictionary of a raw inflater, a {@link SyntheticBlock} supplies the
 * checkpoint's leading bits when it does not start on a byte boundary, and a member that ends
 * inside the span is followed into the next one (trailer skipped, header parsed, inflater reset).
 *
 * <p>Thread-safe. Decompressing a span allocates nothing on the heap in the steady state: each
 * call takes an idle {@link Inflation} (an inflater with its buffers) from a small pool and gives
 * it back reset; the window is set straight from the checkpoint blob. At most {@link #MAX_IDLE}
 * idle inflaters are kept (each holds about 40 KiB of native zlib state, plus a 64 KiB skip buffer
 * once a call skipped bytes); an inflater whose call failed is ended, not reused.
 */
public final class GzipSpanDecompressor implements SpanDecompressor {
  private static final int SKIP_CHUNK = 64 * 1024;
  /** Idle inflaters kept for reuse. */
  static final int MAX_IDLE = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

  private final DeflateCheckpoints checkpoints;
  /** Idle inflations, {@code idle[0..idleCount)}; guarded by itself. */
  private final Inflation[] idle = new Inflation[MAX_IDLE];
  private int idleCount;

  /** @param checkpoints the layer's checkpoints */
  public GzipSpanDecompressor(DeflateCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void decompress(int span, byte[] src, int srcOff, int srcLen, long skip, byte[] dst, int dstOff, int len)
      throws IOException {
    Inflation run = acquire();
    boolean ok = false;
    try {
      run.start(span, src, srcOff, srcLen);
      if (skip > 0) {
        byte[] scratch = run.scratch();
        long toSkip = skip;
        while (toSkip > 0) {
          toSkip -= run.inflate(scratch, 0, (int) Math.min(scratch.length, toSkip), false, skip + len);
        }
      }
      int written = 0;
      while (written < len) {
        written += run.inflate(dst, dstOff + written, len - written, false, skip + len);
      }
      ok = true;
    } finally {
      release(run, ok);
    }
  }

  @Override
  public byte[] decompressToEnd(int span, byte[] src, int srcOff, int srcLen, int expectedLen) throws IOException {
    if (span + 1 < checkpoints.spanCount()) {
      byte[] out = new byte[expectedLen];
      decompress(span, src, srcOff, srcLen, 0, out, 0, expectedLen);
      return out;
    }
    Inflation run = acquire();
    boolean ok = false;
    try {
      run.start(span, src, srcOff, srcLen);
      byte[] out = new byte[Math.max(expectedLen, 1)];
      int written = 0;
      while (true) {
        if (written == out.length) {
          out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        int n = run.inflate(out, written, out.length - written, true, expectedLen);
        if (n < 0) {
          break;
        }
        written += n;
      }
      if (written < expectedLen) {
        throw new LayerFormatException("span " + span + " ended after " + written + " of the " + expectedLen
            + " uncompressed bytes it should have", checkpoints.compressedStart(span) + srcLen, -1, null);
      }
      ok = true;
      return written == out.length ? out : java.util.Arrays.copyOf(out, written);
    } finally {
      release(run, ok);
    }
  }

  private Inflation acquire() {
    synchronized (idle) {
      if (idleCount > 0) {
        Inflation run = idle[--idleCount];
        idle[idleCount] = null;
        return run;
      }
    }
    return new Inflation();
  }

  /** Gives back a reset inflation, or ends its inflater when the call failed or the pool is full. */
  private void release(Inflation run, boolean reusable) {
    if (reusable) {
      run.clear();
      synchronized (idle) {
        if (idleCount < idle.length) {
          idle[idleCount++] = run;
          return;
        }
      }
    }
    run.inflater.end();
  }

  /** An inflater with its buffers, inflating one span at a time from its checkpoint, across gzip members. */
  private final class Inflation {
    private final Inflater inflater = new Inflater(true);
    private final byte[] prefix = new byte[SyntheticBlock.MAX_BYTES];
    private byte[] scratch;
    private int span;
    private byte[] src;
    private int srcOff;
    private int end;
    private long spanStart;
    private int pos;
    private boolean inPrefix;
    private long produced;

    /** Prepares to inflate {@code span} from its compressed bytes; the inflater is new or reset. */
    void start(int span, byte[] src, int srcOff, int srcLen) throws IOException {
      this.span = span;
      this.src = src;
      this.srcOff = srcOff;
      this.end = srcOff + srcLen;
      this.spanStart = checkpoints.compressedStart(span);
      this.produced = 0;
      checkpoints.setDictionary(span, inflater);
      pos = srcOff;
      int bits = checkpoints.bits(span);
      inPrefix = bits != 0;
      if (inPrefix) {
        if (srcLen < 1) {
          throw new LayerFormatException("span " + span + " has no compressed bytes", spanStart, -1, null);
        }
        inflater.setInput(prefix, 0, SyntheticBlock.prefix(bits, src[pos] & 0xFF, prefix));
        pos++;
      } else {
        inflater.setInput(src, pos, end - pos);
      }
    }

    /** {@return a buffer for skipped bytes, allocated on first use} */
    byte[] scratch() {
      if (scratch == null) {
        scratch = new byte[SKIP_CHUNK];
      }
      return scratch;
    }

    /** Resets the inflater and drops the reference to the caller's bytes. */
    void clear() {
      inflater.reset();
      src = null;
    }

    /**
     * Inflates at least one byte into {@code dst}.
     *
     * @param wanted uncompressed bytes the caller wants in all, for error messages
     * @param mayEnd whether the input may end after a member's trailer
     * @return bytes written (more than 0), or -1 when {@code mayEnd} and the input ended after a
     *     complete member
     */
    int inflate(byte[] dst, int off, int len, boolean mayEnd, long wanted) throws IOException {
      try {
        while (true) {
          int n = inflater.inflate(dst, off, len);
          if (n > 0) {
            produced += n;
            return n;
          }
          if (inPrefix && inflater.needsInput()) {
            inPrefix = false;
            inflater.setInput(src, pos, end - pos);
          } else if (inflater.finished() && !inPrefix) {
            int consumed = end - inflater.getRemaining();
            if (mayEnd && consumed + 8 >= end) {
              return -1;
            }
            int next = nextMember(span, src, consumed, end, spanStart - srcOff);
            inflater.reset();
            inflater.setInput(src, next, end - next);
          } else if (inflater.needsInput()) {
            throw new LayerFormatException("span " + span + " ended after " + produced + " of the " + wanted
                + " uncompressed bytes wanted", spanStart + (end - srcOff), -1, null);
          } else {
            throw new LayerFormatException("span " + span + " does not decode (inflater stalled)",
                spanStart, -1, null);
          }
        }
      } catch (DataFormatException e) {
        throw new LayerFormatException("invalid deflate data in span " + span + ": " + e.getMessage(),
            spanStart, checkpoints.uncompressedStart(span), null);
      }
    }
  }

  /** Skips the trailer of a member that ended at {@code pos} and the next member's header. */
  private static int nextMember(int span, byte[] src, int pos, int end, long absoluteBase) throws IOException {
    int afterTrailer = pos + 8;
    if (afterTrailer >= end) {
      throw new LayerFormatException("span " + span + " ends inside a gzip member trailer",
          absoluteBase + pos, -1, null);
    }
    CompressedInput header = new CompressedInput(
        new ByteArrayInputStream(src, afterTrailer, end - afterTrailer), 4096, (b, f, t, a) -> { });
    try {
      GzipHeader.read(header, false);
    } catch (LayerFormatException e) {
      // its offsets are relative to the header's first byte, and its "trailing garbage" wording
      // is the builder's: say which span ran into which absolute offset
      LayerFormatException moved = new LayerFormatException("span " + span
          + " runs into an invalid gzip member header", absoluteBase + afterTrailer + Math.max(0, e.compressedOffset()),
          -1, null);
      moved.initCause(e);
      throw moved;
    }
    return afterTrailer + (int) header.position();
  }
}
