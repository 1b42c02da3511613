package io.soci4j.ztoc;

import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.ZinfoFormats;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A parsed or freshly built zTOC: the table of contents of one layer plus the checkpoints that let
 * any span of it be decompressed on its own (SOCI format spec §2).
 *
 * <p>Immutable. Build one with {@link ZtocBuilder}, read one with {@link ZtocCodec#parse}, write
 * one with {@link ZtocCodec#serialize}.
 */
public final class Ztoc {
  /** The zTOC format version upstream writes. */
  public static final String VERSION = "0.9";

  private final String version;
  private final String buildToolIdentifier;
  private final long compressedArchiveSize;
  private final long uncompressedArchiveSize;
  private final List<TocEntry> toc;
  private final Compression compression;
  private final List<Digest> spanDigests;
  private final byte[] checkpoints;
  /** Decoded from {@link #checkpoints} on first use unless the parser supplied it. */
  private volatile SpanGeometry geometry;

  static {
    ZtocGeometry.register(Ztoc::geometry);
  }

  /**
   * Creates a zTOC from its fields. The checkpoint blob is not validated here ({@link #spans()}
   * decodes it): {@link ZtocCodec#parse} and {@link ZtocBuilder} produce valid ones.
   *
   * @param version format version, normally {@link #VERSION}
   * @param buildToolIdentifier the tool that built it
   * @param compressedArchiveSize layer blob size
   * @param uncompressedArchiveSize tar stream size up to and including its end-of-archive blocks
   * @param toc entries in tar order
   * @param compression the layer's compression
   * @param spanDigests one digest per span (max_span_id + 1)
   * @param checkpoints the format's checkpoint blob (copied)
   * @throws IllegalArgumentException when {@code compressedArchiveSize} is not positive (a layer
   *     blob is never empty), {@code uncompressedArchiveSize} is negative or there is no span digest
   */
  public Ztoc(String version, String buildToolIdentifier, long compressedArchiveSize,
      long uncompressedArchiveSize, List<TocEntry> toc, Compression compression,
      List<Digest> spanDigests, byte[] checkpoints) {
    this(version, buildToolIdentifier, compressedArchiveSize, uncompressedArchiveSize, toc,
        compression, spanDigests, checkpoints.clone(), null);
  }

  /** For the parser: takes ownership of {@code checkpoints} and its already decoded geometry. */
  Ztoc(String version, String buildToolIdentifier, long compressedArchiveSize,
      long uncompressedArchiveSize, List<TocEntry> toc, Compression compression,
      List<Digest> spanDigests, byte[] checkpoints, SpanGeometry geometry) {
    this.version = Objects.requireNonNull(version, "version");
    this.buildToolIdentifier = Objects.requireNonNull(buildToolIdentifier, "buildToolIdentifier");
    this.compressedArchiveSize = compressedArchiveSize;
    this.uncompressedArchiveSize = uncompressedArchiveSize;
    this.toc = List.copyOf(toc);
    this.compression = Objects.requireNonNull(compression, "compression");
    this.spanDigests = List.copyOf(spanDigests);
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.geometry = geometry;
    if (spanDigests.isEmpty()) {
      throw new IllegalArgumentException("a zTOC has at least one span");
    }
    if (compressedArchiveSize <= 0) {
      throw new IllegalArgumentException(
          "compressed archive size " + compressedArchiveSize + " is not positive");
    }
    if (uncompressedArchiveSize < 0) {
      throw new IllegalArgumentException(
          "uncompressed archive size " + uncompressedArchiveSize + " is negative");
    }
  }

  /** {@return the format version, "0.9" for all zTOCs upstream writes} */
  public String version() {
    return version;
  }

  /** {@return the identifier of the tool that built the zTOC} */
  public String buildToolIdentifier() {
    return buildToolIdentifier;
  }

  /** {@return the layer blob's size in bytes} */
  public long compressedArchiveSize() {
    return compressedArchiveSize;
  }

  /** {@return the tar stream's size up to and including the end-of-archive blocks} */
  public long uncompressedArchiveSize() {
    return uncompressedArchiveSize;
  }

  /** {@return the entries in tar order} */
  public List<TocEntry> toc() {
    return toc;
  }

  /** {@return the layer's compression} */
  public Compression compression() {
    return compression;
  }

  /** {@return the highest span id (span count - 1)} */
  public int maxSpanId() {
    return spanDigests.size() - 1;
  }

  /** {@return one sha256 per span, of the span's compressed bytes} */
  public List<Digest> spanDigests() {
    return spanDigests;
  }

  /** {@return a copy of the raw checkpoint blob as stored} */
  public byte[] checkpoints() {
    return checkpoints.clone();
  }

  /** The stored checkpoint blob without copying, for the codecs in this module. */
  byte[] checkpointsNoCopy() {
    return checkpoints;
  }

  /**
   * The spans of the layer: for each, the compressed range to fetch, the uncompressed range it
   * produces and the digest of the compressed range.
   *
   * @return one span per span digest, in order
   * @throws IllegalStateException when this zTOC was constructed with a checkpoint blob that does
   *     not fit its compression, sizes or span count (never for a zTOC from {@link
   *     ZtocCodec#parse})
   */
  public List<Span> spans() {
    SpanGeometry g = geometry();
    List<Span> spans = new ArrayList<>(spanDigests.size());
    for (int i = 0; i < spanDigests.size(); i++) {
      spans.add(new Span(i, g.compressedStart(i), g.compressedEnd(i), g.uncompressedStart(i),
          g.uncompressedEnd(i), g.bits(i), spanDigests.get(i)));
    }
    return Collections.unmodifiableList(spans);
  }

  /** The decoded checkpoint blob; see {@link ZtocGeometry}. */
  SpanGeometry geometry() {
    SpanGeometry g = geometry;
    if (g == null) {
      try {
        g = ZinfoFormats.geometry(compression, checkpoints, spanDigests.size(),
            compressedArchiveSize, uncompressedArchiveSize);
      } catch (ZtocFormatException e) {
        throw new IllegalStateException(this + " was built with a bad checkpoint blob: "
            + e.getMessage(), e);
      }
      geometry = g;
    }
    return g;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ztoc z
        && z.version.equals(version)
        && z.buildToolIdentifier.equals(buildToolIdentifier)
        && z.compressedArchiveSize == compressedArchiveSize
        && z.uncompressedArchiveSize == uncompressedArchiveSize
        && z.compression == compression
        && z.toc.equals(toc)
        && z.spanDigests.equals(spanDigests)
        && Arrays.equals(z.checkpoints, checkpoints);
  }

  @Override
  public int hashCode() {
    return Objects.hash(compressedArchiveSize, uncompressedArchiveSize, toc.size(), spanDigests);
  }

  @Override
  public String toString() {
    return "Ztoc[" + compression.label() + ", " + toc.size() + " entries, " + spanDigests.size()
        + " spans, compressed " + compressedArchiveSize + ", uncompressed " + uncompressedArchiveSize + "]";
  }
}
