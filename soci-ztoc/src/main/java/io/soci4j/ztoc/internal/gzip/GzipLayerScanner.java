package io.soci4j.ztoc.internal.gzip;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.build.UncompressedSink;
import io.soci4j.ztoc.internal.deflate.CompressedInput;
import io.soci4j.ztoc.internal.deflate.DeflateDecoder;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * One pass over a gzip layer: decompresses it member by member with {@link DeflateDecoder},
 * places checkpoints exactly where upstream does (SOCI format spec §3), hashes each span's
 * compressed bytes as they stream by, checks every member's CRC32 and ISIZE, and hands the
 * uncompressed bytes to a sink (the tar parser). Memory: one input buffer, one output buffer with
 * the 32 KiB window, and the checkpoints found.
 */
public final class GzipLayerScanner implements CompressedInput.Retirer {
  private static final int INPUT_BUFFER = 128 * 1024;
  private static final int OUTPUT_CHUNK = 256 * 1024;

  private final long spanSize;
  private final UncompressedSink sink;
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private final List<Digest> spanDigests = new ArrayList<>();
  private final CRC32 crc = new CRC32();
  private MessageDigest spanDigest;
  private CompressedInput input;
  private DeflateDecoder decoder;
  private long delivered;
  private long memberStartOut;
  private long lastCheckpointOut;

  /**
   * @param spanSize uncompressed bytes between checkpoints (at least)
   * @param sink receives the uncompressed stream
   */
  public GzipLayerScanner(long spanSize, UncompressedSink sink) {
    this.spanSize = spanSize;
    this.sink = sink;
  }

  /**
   * Scans the whole layer.
   *
   * @param layer the gzip blob, read exactly once to its end
   * @return checkpoints, span digests and sizes
   * @throws IOException {@link io.soci4j.api.LayerFormatException} for invalid gzip data, or
   *     what the sink or the stream throws
   */
  public LayerScan scan(InputStream layer) throws IOException {
    input = new CompressedInput(layer, INPUT_BUFFER, this);
    decoder = new DeflateDecoder(input, OUTPUT_CHUNK);
    GzipHeader.read(input, true);
    addCheckpoint(input.position(), 0);
    decoder.startMember();
    while (true) {
      int r = decoder.decode();
      if (r == DeflateDecoder.OUTPUT_FULL) {
        flush();
        decoder.slide();
      } else if (r == DeflateDecoder.BLOCK_END) {
        long bit = decoder.bitPosition();
        maybeCheckpoint((bit + 7) >>> 3, (int) (-bit & 7));
      } else {
        flush();
        decoder.alignToByte();
        GzipHeader.readTrailer(input, crc.getValue(), delivered - memberStartOut, delivered);
        if (input.atEnd()) {
          break;
        }
        GzipHeader.read(input, false);
        crc.reset();
        memberStartOut = delivered;
        decoder.startMember();
        maybeCheckpoint(input.position(), 0);
      }
    }
    long size = input.position();
    input.retireUpTo(size);
    spanDigests.add(Digest.of(spanDigest));
    byte[] blob = GzipCheckpoints.encode(spanSize, checkpoints);
    return new LayerScan(size, delivered, spanDigests, blob, input.bytesRead());
  }

  private void flush() throws IOException {
    int n = decoder.pending();
    if (n > 0) {
      crc.update(decoder.out, decoder.flushed, n);
      sink.accept(decoder.out, decoder.flushed, n);
      delivered += n;
      decoder.flushed = decoder.outPos;
    }
  }

  private void maybeCheckpoint(long in, int bits) throws IOException {
    long out = delivered + decoder.pending();
    if (out - lastCheckpointOut > spanSize) {
      addCheckpoint(in, bits);
    }
  }

  private void addCheckpoint(long in, int bits) throws IOException {
    long out = delivered + decoder.pending();
    byte[] window = Arrays.copyOfRange(decoder.out, decoder.outPos - DeflateDecoder.WINDOW, decoder.outPos);
    input.retireUpTo(in);
    if (spanDigest != null) {
      spanDigests.add(Digest.of(spanDigest));
    } else {
      spanDigest = Digest.newSha256();
    }
    if (bits != 0) {
      spanDigest.update((byte) input.byteAt(in - 1));
    }
    checkpoints.add(new Checkpoint(in, out, bits, window));
    lastCheckpointOut = out;
  }

  @Override
  public void retire(byte[] buf, int from, int to, long absolute) {
    if (spanDigest != null) {
      spanDigest.update(buf, from, to - from);
    }
  }
}
