package io.soci4j.ztoc.internal.zstd;

import io.soci4j.api.Digest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.build.UncompressedSink;
import io.soci4j.ztoc.internal.zinfo.ZstdCheckpoints;
import io.soci4j.ztoc.internal.zinfo.ZstdCheckpoints.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a zstd layer, pushed in chunks ({@link #accept}) or pulled from a stream ({@link
 * #scan}): finds frame boundaries with {@link ZstdFrameWalker}, places checkpoints at the start of
 * zstd frames ({@code out - out_of_last_checkpoint > span size}, as the gzip rule), hashes each
 * span's compressed bytes as they go by (skippable frames belong to the span they fall in),
 * decodes frames as their bytes arrive and hands the uncompressed bytes to a sink (the tar parser).
 * Memory: one 256 KiB output buffer, libzstd's window, 16 bytes per checkpoint. Close it.
 */
public final class ZstdLayerScanner implements ZstdFrameWalker.Listener, AutoCloseable {
  private static final int INPUT_CHUNK = 128 * 1024;
  private static final int OUTPUT_CHUNK = 256 * 1024;

  private final long spanSize;
  private final UncompressedSink sink;
  private final ZstdFrameWalker walker = new ZstdFrameWalker(this, 0, "");
  private final FrameDecoder decoder = new FrameDecoder("");
  private final ByteBuffer out = ByteBuffer.allocate(OUTPUT_CHUNK);
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private final List<Digest> spanDigests = new ArrayList<>();
  private MessageDigest spanDigest = Digest.newSha256();
  private boolean inDataFrame;
  private long delivered;
  private long lastCheckpointOut;
  private long bytesRead;

  /**
   * @param spanSize uncompressed bytes between checkpoints (at least)
   * @param sink receives the uncompressed stream
   */
  public ZstdLayerScanner(long spanSize, UncompressedSink sink) {
    this.spanSize = spanSize;
    this.sink = sink;
    checkpoints.add(new Checkpoint(0, 0));
  }

  /**
   * Scans a whole layer from a stream.
   *
   * @param layer the zstd blob, read exactly once to its end (not closed)
   * @return checkpoints, span digests and sizes
   * @throws IOException {@link LayerFormatException} for invalid zstd data, or what the sink or the
   *     stream throws
   */
  public LayerScan scan(InputStream layer) throws IOException {
    byte[] buf = new byte[INPUT_CHUNK];
    for (int n; (n = layer.read(buf)) >= 0; ) {
      accept(buf, 0, n);
    }
    return finish();
  }

  /**
   * Scans more of the layer.
   *
   * @param buf compressed bytes
   * @param off first byte
   * @param len number of bytes
   * @throws IOException {@link LayerFormatException} for invalid zstd data, or what the sink throws
   */
  public void accept(byte[] buf, int off, int len) throws IOException {
    bytesRead += len;
    walker.accept(buf, off, len);
  }

  /**
   * Ends the scan.
   *
   * @return checkpoints, span digests and sizes
   * @throws LayerFormatException when the layer is empty, holds no zstd frame or is truncated
   */
  public LayerScan finish() throws LayerFormatException {
    if (bytesRead == 0) {
      throw new LayerFormatException("empty layer: no zstd frame", 0, 0, null);
    }
    walker.finish();
    if (walker.dataFrames() == 0) {
      throw new LayerFormatException("the zstd layer has no zstd frame, only " + walker.skippableFrames()
          + " skippable frames", 0, 0, null);
    }
    spanDigests.add(Digest.of(spanDigest));
    return new LayerScan(bytesRead, delivered, spanDigests, ZstdCheckpoints.encode(spanSize, checkpoints),
        bytesRead);
  }

  /** @return zstd frames seen so far */
  public int dataFrames() {
    return walker.dataFrames();
  }

  @Override
  public void frameStart(long offset, boolean skippable) {
    if (skippable) {
      return;
    }
    if (delivered - lastCheckpointOut > spanSize) {
      spanDigests.add(Digest.of(spanDigest));
      spanDigest = Digest.newSha256();
      checkpoints.add(new Checkpoint(offset, delivered));
      lastCheckpointOut = delivered;
    }
    inDataFrame = true;
    decoder.start(offset);
  }

  @Override
  public void bytes(byte[] buf, int off, int len) throws IOException {
    spanDigest.update(buf, off, len);
    if (inDataFrame) {
      ByteBuffer src = ByteBuffer.wrap(buf, off, len);
      do {
        decoder.decode(src, out, delivered + out.position());
        drainIfFull();
      } while (src.hasRemaining());
    }
  }

  @Override
  public void frameEnd(long end) throws IOException {
    if (inDataFrame) {
      while (!decoder.flush(out, delivered + out.position())) {
        drain();
      }
      drain();
      inDataFrame = false;
    }
  }

  private void drainIfFull() throws IOException {
    if (!out.hasRemaining()) {
      drain();
    }
  }

  private void drain() throws IOException {
    int n = out.position();
    if (n > 0) {
      sink.accept(out.array(), 0, n);
      delivered += n;
      out.clear();
    }
  }

  @Override
  public void close() {
    decoder.close();
  }
}
