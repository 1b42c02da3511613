package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.LayerFormatException;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.LayerReport.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Builds (or reuses) the zTOC of one layer and describes it as the index lists it. */
final class LayerIndexer {
  private static final String OPAQUE_WHITEOUT = ".wh..wh..opq";

  /** One layer's report, and its zTOC when it was indexed and prefetch paths need its TOC. */
  record Outcome(LayerReport report, Ztoc ztoc, java.io.IOException failure) {
    Outcome(LayerReport report, Ztoc ztoc) {
      this(report, ztoc, null);
    }
  }

  /** Docker's uncompressed layer media type. */
  static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  private final ImageStore store;
  private final IndexOptions options;
  private final ReusableZtocs reusable;
  private final Map<Digest, Ztoc> prebuilt;
  private final ZtocBuilder builder;

  /**
   * @param reusable zTOCs that may stand in for building one; built ones are added
   * @param prebuilt zTOCs built while the layers were made (by the zstd converter), by layer
   *     digest: stored and reported as built, without reading the layer again
   */
  LayerIndexer(ImageStore store, IndexOptions options, ReusableZtocs reusable, Map<Digest, Ztoc> prebuilt) {
    this.store = store;
    this.options = options;
    this.reusable = reusable;
    this.prebuilt = prebuilt;
    this.builder = ZtocBuilder.create().withSpanSize(options.spanSize()).withBuildToolIdentifier(options.buildTool());
  }

  /** The compression a layer media type implies, or null when SOCI cannot index it. */
  static Compression compressionOf(String mediaType) {
    return switch (mediaType) {
      case MediaTypes.OCI_LAYER_TAR_GZIP, MediaTypes.DOCKER_LAYER_TAR_GZIP -> Compression.GZIP;
      case MediaTypes.OCI_LAYER_TAR, DOCKER_LAYER_TAR -> Compression.UNCOMPRESSED;
      case MediaTypes.OCI_LAYER_TAR_ZSTD -> Compression.ZSTD;
      default -> null;
    };
  }

  /**
   * The note a zTOC gets when it cannot serve lazy reads: a zstd layer of more than one span's
   * data in a single span (one zstd frame), where any read decompresses the layer from its start.
   *
   * @param ztoc the zTOC
   * @param spanSize the span size it was built with
   * @return the note, or empty
   */
  static String singleSpanNote(Ztoc ztoc, long spanSize) {
    if (ztoc.compression() == Compression.ZSTD && ztoc.maxSpanId() == 0 && ztoc.uncompressedArchiveSize() > spanSize) {
      return "one span: the zstd layer is a single frame, so every read decompresses it from its start "
          + "(not lazy); recompress it as seekable zstd (ZstdConverter, soci convert --zstd)";
    }
    return "";
  }

  /** Serializes and pushes a zTOC, its bytes held once (in the flatbuffers builder). */
  private Descriptor push(Ztoc ztoc) throws IOException {
    java.nio.ByteBuffer bytes = ZtocCodec.serializeToBuffer(ztoc);
    Descriptor d = Descriptor.of(MediaTypes.ZTOC, io.soci4j.api.Digest.sha256(bytes), bytes.remaining());
    store.push(d, new io.soci4j.api.internal.ByteBufferInputStream(bytes));
    return d;
  }

  Outcome index(Descriptor layer) throws IOException {
    Compression compression = compressionOf(layer.mediaType());
    Ztoc ztoc;
    Descriptor stored;
    Status status;
    try {
      if (prebuilt.containsKey(layer.digest())) { // made with the layer itself: indexed whatever its size
        ztoc = prebuilt.get(layer.digest());
        stored = push(ztoc);
        status = Status.BUILT;
      } else {
        if (compression == null) {
          return skipped(layer, "media type " + layer.mediaType() + " is not tar, tar+gzip or tar+zstd");
        }
        if (compression == Compression.ZSTD && !options.zstdLayers()) {
          return skipped(layer, "tar+zstd: upstream soci-snapshotter and AWS Fargate read no zstd zTOCs "
              + "(index it anyway with SociIndexBuilder.withZstdLayers, soci create --zstd-layers)");
        }
        if (layer.size() < options.minLayerSize()) {
          return skipped(layer, "size " + layer.size() + " is below the minimum layer size " + options.minLayerSize());
        }
        Descriptor existing = reusable.get(layer.digest());
        if (existing != null) {
          ztoc = ZtocCodec.parse(store.fetch(existing));
          stored = existing;
          status = Status.REUSED;
        } else {
          try (InputStream in = new ProgressInputStream(store.open(layer), layer, options.progress())) {
            ztoc = builder.withCompression(compression).build(in);
          }
          stored = push(ztoc);
          status = Status.BUILT;
        }
      }
    } catch (UnsupportedLayerException e) {
      return skipped(layer, e.getMessage());
    } catch (LayerFormatException | DigestMismatchException e) {
      return new Outcome(new LayerReport(layer, Status.FAILED, e.getMessage(), null), null, e);
    }
    if (ztoc.compressedArchiveSize() != layer.size()) {
      return new Outcome(new LayerReport(layer, Status.FAILED, "zTOC " + stored.digest() + " describes "
          + ztoc.compressedArchiveSize() + " bytes but the layer has " + layer.size(), null), null);
    }
    reusable.add(layer.digest(), stored);
    Descriptor described = stored
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_DIGEST, layer.digest().toString())
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_MEDIA_TYPE, layer.mediaType())
        .withAnnotation(MediaTypes.ANNOTATION_SPAN_SIZE, Long.toString(options.spanSize()));
    if (options.disableXattrs() && !hasXattrsOrOpaqueDirs(ztoc)) {
      described = described.withAnnotation(MediaTypes.ANNOTATION_DISABLE_XATTRS, "true");
    }
    // the zTOC (its checkpoints: 32 KiB a span) is kept past its push only when prefetch artifacts need
    // its TOC; else a many-layer image would hold every layer's checkpoints until the index is written
    return new Outcome(new LayerReport(layer, status, singleSpanNote(ztoc, options.spanSize()), described),
        options.prefetchPaths().isEmpty() ? null : ztoc);
  }

  private static Outcome skipped(Descriptor layer, String reason) {
    return new Outcome(new LayerReport(layer, Status.SKIPPED, reason, null), null);
  }

  /** Upstream's rule: xattrs stay enabled if any entry has one or is an opaque-directory marker. */
  static boolean hasXattrsOrOpaqueDirs(Ztoc ztoc) {
    for (TocEntry e : ztoc.toc()) {
      if (e.name().endsWith(OPAQUE_WHITEOUT) || e.paxRecords().stream().anyMatch(PaxRecord::isXattr)) {
        return true;
      }
    }
    return false;
  }
}
