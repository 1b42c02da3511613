package io.soci4j.ztoc;

import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.build.TarLayerScanner;
import io.soci4j.ztoc.internal.gzip.GzipLayerScanner;
import io.soci4j.ztoc.internal.tar.TarTocParser;
import io.soci4j.ztoc.internal.zstd.ZstdFrameWalker;
import io.soci4j.ztoc.internal.zstd.ZstdLayerScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.util.Objects;

/**
 * Builds the zTOC of a layer in one streaming pass: the blob is read once, decompressed once,
 * never buffered whole and never written to disk. The result is byte-identical (after {@link
 * ZtocCodec#serialize}) to what upstream soci-snapshotter builds for the same layer, span size and
 * build tool identifier.
 *
 * <pre>{@code
 * ZtocBuilder builder = ZtocBuilder.create().withSpanSize(4 << 20);
 * try (InputStream layer = Files.newInputStream(path)) {
 *   Ztoc ztoc = builder.build(layer);
 *   byte[] bytes = ZtocCodec.serialize(ztoc);
 * }
 * }</pre>
 *
 * <p>gzip, zstd and plain tar layers are detected from their first bytes (or set with {@link
 * #withCompression}). zstd layers get checkpoints at frame boundaries, a soci4j extension ({@link
 * Compression#ZSTD}): a layer written as one zstd frame gets one span, so reading any file
 * decompresses the layer from its start; {@link ZstdRecompressor} rewrites it in frames.
 *
 * <p>Immutable and thread-safe; one instance can build many layers concurrently. Memory per build:
 * about 450 KiB of buffers, 32 KiB per checkpoint (16 bytes for zstd, plus libzstd's window), and
 * the TOC.
 */
public final class ZtocBuilder {
  /** Default span size, as upstream: 4 MiB. */
  public static final long DEFAULT_SPAN_SIZE = 4L << 20;
  /** Default build tool identifier of soci4j. */
  public static final String DEFAULT_BUILD_TOOL = "soci4j v0.1.0";

  private final long spanSize;
  private final String buildToolIdentifier;
  private final Compression compression;

  private ZtocBuilder(long spanSize, String buildToolIdentifier, Compression compression) {
    this.spanSize = spanSize;
    this.buildToolIdentifier = buildToolIdentifier;
    this.compression = compression;
  }

  /** {@return a builder with the defaults: 4 MiB spans, soci4j's identifier, compression detected} */
  public static ZtocBuilder create() {
    return new ZtocBuilder(DEFAULT_SPAN_SIZE, DEFAULT_BUILD_TOOL, null);
  }

  /**
   * @param bytes uncompressed bytes between checkpoints, at least 1
   * @return a copy with this span size
   */
  public ZtocBuilder withSpanSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("span size must be positive, got " + bytes);
    }
    return new ZtocBuilder(bytes, buildToolIdentifier, compression);
  }

  /**
   * @param id identifier recorded in the zTOC (upstream's CLI writes {@code AWS SOCI CLI v0.2})
   * @return a copy with this identifier
   */
  public ZtocBuilder withBuildToolIdentifier(String id) {
    return new ZtocBuilder(spanSize, Objects.requireNonNull(id, "id"), compression);
  }

  /**
   * @param layerCompression the layer's compression, or null to detect it from the first bytes
   * @return a copy with this setting
   */
  public ZtocBuilder withCompression(Compression layerCompression) {
    return new ZtocBuilder(spanSize, buildToolIdentifier, layerCompression);
  }

  /** {@return the span size} */
  public long spanSize() {
    return spanSize;
  }

  /** {@return the build tool identifier} */
  public String buildToolIdentifier() {
    return buildToolIdentifier;
  }

  /**
   * Builds the zTOC of a layer. Reads the stream to its end; does not close it.
   *
   * @param layer the layer blob
   * @return the zTOC
   * @throws UnsupportedLayerException when the layer holds a member upstream cannot index (GNU
   *     sparse, PAX global header, contiguous file, PAX-form sparse file): skip the layer
   * @throws LayerFormatException when the layer is not a valid gzip, zstd or tar stream
   * @throws IOException when reading fails
   */
  public Ztoc build(InputStream layer) throws IOException {
    Compression c = compression;
    InputStream in = layer;
    if (c == null) {
      byte[] head = layer.readNBytes(4);
      c = detect(head);
      // SequenceInputStream closes each stream it exhausts: keep the caller's stream open.
      in = new SequenceInputStream(new ByteArrayInputStream(head), new FilterInputStream(layer) {
        @Override
        public void close() {}
      });
    }
    TarTocParser tar = new TarTocParser();
    LayerScan scan = switch (c) {
      case GZIP -> new GzipLayerScanner(spanSize, tar::accept).scan(in);
      case UNCOMPRESSED -> new TarLayerScanner(spanSize, tar::accept).scan(in);
      case ZSTD -> {
        try (ZstdLayerScanner zstd = new ZstdLayerScanner(spanSize, tar::accept)) {
          yield zstd.scan(in);
        }
      }
    };
    return assemble(scan, tar, c, buildToolIdentifier);
  }

  /** The zTOC of a finished scan whose uncompressed bytes went to {@code tar}. */
  static Ztoc assemble(LayerScan scan, TarTocParser tar, Compression c, String buildTool) throws LayerFormatException {
    var toc = tar.finish();
    return new Ztoc(Ztoc.VERSION, buildTool, scan.compressedSize(), tar.archiveSize(), toc, c,
        scan.spanDigests(), scan.checkpointBlob());
  }

  /** The compression of a layer from its first 4 bytes (fewer when it is shorter). */
  static Compression detect(byte[] head) throws LayerFormatException {
    if (head.length == 0) {
      throw new LayerFormatException("empty layer", 0, -1, null);
    }
    if (head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
      return Compression.GZIP;
    }
    if (head.length == 4) {
      int magic = (head[0] & 0xFF) | (head[1] & 0xFF) << 8 | (head[2] & 0xFF) << 16 | (head[3] & 0xFF) << 24;
      if (magic == ZstdFrameWalker.FRAME_MAGIC
          || (magic & ZstdFrameWalker.SKIPPABLE_MASK) == ZstdFrameWalker.SKIPPABLE_MAGIC) {
        return Compression.ZSTD;
      }
    }
    return Compression.UNCOMPRESSED;
  }
}
