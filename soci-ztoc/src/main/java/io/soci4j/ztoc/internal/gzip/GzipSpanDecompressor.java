package io.soci4j.ztoc.internal.gzip;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.deflate.CompressedInput;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
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
 */
public final class GzipSpanDecompressor implements SpanDecompressor {
  private static final int SKIP_CHUNK = 64 * 1024;

  private final GzipCheckpoints checkpoints;

  /** @param checkpoints the layer's checkpoints */
  public GzipSpanDecompressor(GzipCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public void decompress(int span, byte[] src, int srcOff, int srcLen, long skip, byte[] dst, int dstOff, int len)
      throws IOException {
    long spanStart = checkpoints.compressedStart(span);
    Inflater inflater = new Inflater(true);
    try {
      byte[] window = new byte[GzipCheckpoints.WINDOW_SIZE];
      checkpoints.copyWindow(span, window, 0);
      inflater.setDictionary(window);
      int pos = srcOff;
      int end = srcOff + srcLen;
      int bits = checkpoints.bits(span);
      boolean inPrefix = bits != 0;
      if (inPrefix) {
        if (srcLen < 1) {
          throw new LayerFormatException("span " + span + " has no compressed bytes", spanStart, -1, null);
        }
        inflater.setInput(SyntheticBlock.prefix(bits, src[pos] & 0xFF));
        pos++;
      } else {
        inflater.setInput(src, pos, end - pos);
      }
      byte[] scratch = skip > 0 ? new byte[(int) Math.min(SKIP_CHUNK, skip)] : null;
      long toSkip = skip;
      int written = 0;
      while (written < len) {
        int n;
        if (toSkip > 0) {
          n = inflater.inflate(scratch, 0, (int) Math.min(scratch.length, toSkip));
          toSkip -= n;
        } else {
          n = inflater.inflate(dst, dstOff + written, len - written);
          written += n;
        }
        if (n == 0) {
          if (inPrefix && inflater.needsInput()) {
            inPrefix = false;
            inflater.setInput(src, pos, end - pos);
          } else if (inflater.finished() && !inPrefix) {
            int consumed = end - inflater.getRemaining();
            int next = nextMember(span, src, consumed, end, spanStart - srcOff);
            inflater.reset();
            inflater.setInput(src, next, end - next);
          } else if (inflater.needsInput()) {
            throw new LayerFormatException("span " + span + " ended after " + (skip - toSkip + written)
                + " of the " + (skip + len) + " uncompressed bytes wanted", spanStart + srcLen, -1, null);
          } else {
            throw new LayerFormatException("span " + span + " does not decode (inflater stalled)",
                spanStart, -1, null);
          }
        }
      }
    } catch (DataFormatException e) {
      throw new LayerFormatException("invalid deflate data in span " + span + ": " + e.getMessage(),
          spanStart, checkpoints.uncompressedStart(span), null);
    } finally {
      inflater.end();
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
