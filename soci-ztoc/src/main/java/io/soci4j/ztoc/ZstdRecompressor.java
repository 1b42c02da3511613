package io.soci4j.ztoc;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.soci4j.api.Digest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.tar.TarTocParser;
import io.soci4j.ztoc.internal.zstd.FramedZstdWriter;
import io.soci4j.ztoc.internal.zstd.ZstdLayerScanner;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Rewrites a layer (gzip, zstd or plain tar) as seekable zstd: standard zstd frames that any zstd
 * decoder reads as one stream, cut so each frame is one span of the zTOC, and builds that zTOC in
 * the same pass. A frame ends at the first tar member boundary after more than the span size of
 * uncompressed data (a member that would carry it past twice the span size is cut inside), so a
 * small file is always inside one span. The uncompressed tar is unchanged: its digest, the
 * layer's diff ID, is returned so callers can check it against the image config.
 *
 * <pre>{@code
 * ZstdRecompressor recompressor = ZstdRecompressor.create().withSpanSize(4 << 20).withLevel(3);
 * try (InputStream in = Files.newInputStream(gzipLayer);
 *     OutputStream out = Files.newOutputStream(zstdLayer)) {
 *   ZstdRecompressor.Result r = recompressor.recompress(in, out);
 *   byte[] ztoc = ZtocCodec.serialize(r.ztoc());
 * }
 * }</pre>
 *
 * <p>The input is decompressed with the JDK's {@link GZIPInputStream} or zstd-jni's stream, not
 * with the zTOC builder; the zTOC is built by decoding the output as it is written, so it describes
 * exactly the bytes produced. With {@link #withSeekTable} (the default) a zstd seekable-format seek
 * table (a skippable frame, ignored by zstd decoders) ends the layer for other tools. Memory:
 * a few hundred KiB of buffers plus libzstd's windows; nothing is buffered whole. Immutable and
 * thread-safe.
 */
public final class ZstdRecompressor {
  /** Default zstd level (zstd's own default). */
  public static final int DEFAULT_LEVEL = 3;
  private static final int CHUNK = 128 * 1024;

  private final long spanSize;
  private final int level;
  private final boolean seekTable;
  private final String buildTool;

  private ZstdRecompressor(long spanSize, int level, boolean seekTable, String buildTool) {
    this.spanSize = spanSize;
    this.level = level;
    this.seekTable = seekTable;
    this.buildTool = buildTool;
  }

  /** {@return a recompressor with 4 MiB spans, level 3, a seek table and soci4j's build tool identifier} */
  public static ZstdRecompressor create() {
    return new ZstdRecompressor(ZtocBuilder.DEFAULT_SPAN_SIZE, DEFAULT_LEVEL, true, ZtocBuilder.DEFAULT_BUILD_TOOL);
  }

  /**
   * @param bytes span size of the zTOC, which frames are cut for; at least 1, at most 512 MiB with a
   *     seek table (the seekable format limits frames to 1 GiB)
   * @return a copy with this span size
   */
  public ZstdRecompressor withSpanSize(long bytes) {
    check(bytes, seekTable);
    return new ZstdRecompressor(bytes, level, seekTable, buildTool);
  }

  /**
   * @param zstdLevel zstd compression level, 1 to 22 (negative levels are zstd's fast modes)
   * @return a copy with this level
   */
  public ZstdRecompressor withLevel(int zstdLevel) {
    if (zstdLevel > 22 || zstdLevel < -131072) {
      throw new IllegalArgumentException("zstd level must be at most 22, got " + zstdLevel);
    }
    return new ZstdRecompressor(spanSize, zstdLevel, seekTable, buildTool);
  }

  /**
   * @param enabled whether to end the layer with a zstd seekable-format seek table
   * @return a copy with this setting
   */
  public ZstdRecompressor withSeekTable(boolean enabled) {
    check(spanSize, enabled);
    return new ZstdRecompressor(spanSize, level, enabled, buildTool);
  }

  /**
   * @param id build tool identifier recorded in the zTOC
   * @return a copy with this identifier
   */
  public ZstdRecompressor withBuildToolIdentifier(String id) {
    return new ZstdRecompressor(spanSize, level, seekTable, Objects.requireNonNull(id, "id"));
  }

  /** {@return the span size} */
  public long spanSize() {
    return spanSize;
  }

  /** {@return the zstd level} */
  public int level() {
    return level;
  }

  /** {@return whether a seek table is appended} */
  public boolean seekTable() {
    return seekTable;
  }

  private static void check(long spanSize, boolean seekTable) {
    if (spanSize < 1) {
      throw new IllegalArgumentException("span size must be positive, got " + spanSize);
    }
    if (seekTable && 2 * spanSize > FramedZstdWriter.MAX_SEEKABLE_FRAME) {
      throw new IllegalArgumentException("span size " + spanSize + " allows frames over the seekable format's "
          + "1 GiB limit: use at most 512 MiB, or no seek table");
    }
  }

  /**
   * What {@link #recompress} produced.
   *
   * @param ztoc the zTOC of the new layer ({@link Compression#ZSTD})
   * @param digest digest of the new layer blob
   * @param size size of the new layer blob
   * @param diffId digest of the uncompressed tar stream (unchanged by recompression)
   * @param uncompressedSize bytes of the uncompressed tar stream
   * @param frames zstd frames written (the seek table not counted)
   */
  public record Result(Ztoc ztoc, Digest digest, long size, Digest diffId, long uncompressedSize, int frames) {}

  /**
   * Recompresses a layer. Reads the input to its end (does not close it) and writes the new layer
   * to {@code out} (not closed).
   *
   * @param layer the layer blob: gzip (one or more members), zstd or plain tar, detected from its
   *     first bytes
   * @param out receives the new layer blob
   * @return the new layer's zTOC, digest, size and diff ID
   * @throws LayerFormatException when the input does not decompress or is not a tar stream the zTOC
   *     builder accepts
   * @throws io.soci4j.api.UnsupportedLayerException when the tar holds a member SOCI cannot index
   * @throws IOException when reading or writing fails
   */
  public Result recompress(InputStream layer, OutputStream out) throws IOException {
    byte[] head = layer.readNBytes(4);
    Compression input = ZtocBuilder.detect(head);
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), new FilterInputStream(layer) {
      @Override
      public void close() {}
    });
    TarTocParser tar = new TarTocParser();
    MessageDigest diffId = Digest.newSha256();
    long uncompressed = 0;
    try (InputStream tarStream = decompress(whole, input);
        ZstdLayerScanner scanner = new ZstdLayerScanner(spanSize, tar::accept);
        Output output = new Output(out, scanner);
        FramedZstdWriter writer = new FramedZstdWriter(output, spanSize, level, seekTable)) {
      byte[] buf = new byte[CHUNK];
      for (int n; (n = read(tarStream, buf, input, uncompressed)) >= 0; ) {
        diffId.update(buf, 0, n);
        writer.write(buf, 0, n);
        uncompressed += n;
      }
      writer.finish();
      whole.transferTo(OutputStream.nullOutputStream()); // read to the end, as documented
      LayerScan scan = scanner.finish();
      if (scan.uncompressedSize() != uncompressed) {
        throw new IllegalStateException("the written zstd stream decodes to " + scan.uncompressedSize()
            + " bytes, not the " + uncompressed + " written");
      }
      Ztoc ztoc = ZtocBuilder.assemble(scan, tar, Compression.ZSTD, buildTool);
      return new Result(ztoc, Digest.of(output.digest), output.size, Digest.of(diffId), uncompressed,
          writer.frames());
    }
  }

  private static InputStream decompress(InputStream in, Compression c) throws IOException {
    try {
      return switch (c) {
        case GZIP -> new GZIPInputStream(in, 64 * 1024);
        case ZSTD -> new ZstdInputStreamNoFinalizer(in);
        case UNCOMPRESSED -> in;
      };
    } catch (ZipException e) {
      throw new LayerFormatException("invalid gzip header: " + e.getMessage(), 0, -1, null);
    }
  }

  /** Reads the decompressed input, turning the decoders' errors into typed ones. */
  private static int read(InputStream in, byte[] buf, Compression c, long uncompressedOffset) throws IOException {
    try {
      int n = in.readNBytes(buf, 0, buf.length);
      return n == 0 ? -1 : n;
    } catch (ZipException | ZstdIOException | EOFException e) {
      throw new LayerFormatException("the " + c.label() + " layer does not decompress: " + e.getMessage(), -1,
          uncompressedOffset, null);
    }
  }

  /** Where the new layer goes: the caller's stream, its digest and size, and the zTOC scanner. */
  private static final class Output extends OutputStream {
    private final OutputStream out;
    private final ZstdLayerScanner scanner;
    private final MessageDigest digest = Digest.newSha256();
    private long size;

    Output(OutputStream out, ZstdLayerScanner scanner) {
      this.out = out;
      this.scanner = scanner;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      scanner.accept(b, off, len);
      size += len;
    }

    @Override
    public void close() {
      // the caller's stream stays open
    }
  }
}
