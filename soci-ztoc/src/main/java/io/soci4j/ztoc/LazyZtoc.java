package io.soci4j.ztoc;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.LazyGzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.SpanDecompressor;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.ZinfoFormats;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A zTOC whose checkpoints may be read only when a span needs them. {@link #open} reads a gzip
 * zTOC from range reads of its blob: the start (root table, span digests, the checkpoint blob's
 * header) and everything after the checkpoint records (the TOC, as upstream lays a zTOC out), but
 * not the records themselves (32 KiB of window each, most of a zTOC); a span's record is read when
 * {@link #span} or {@link #spanOf} first needs it. {@link #of} wraps a zTOC held whole.
 *
 * <pre>{@code
 * try (ByteSource blob = store.openRange(ztocDescriptor)) {
 *   LazyZtoc ztoc = LazyZtoc.open(blob).orElseThrow(); // or fetch it whole: ZtocCodec.parse
 *   Span span = ztoc.span(ztoc.spanOf(entry.uncompressedOffset()));
 * }
 * }</pre>
 *
 * <p><b>What is verified.</b> Everything read is validated as {@link ZtocCodec#parse} validates a
 * whole zTOC (structure, sizes, entries in tar order, each checkpoint record against the layer
 * and against the records read before), and nothing in what was read may point into the records
 * not read. But the zTOC's digest covers the whole blob, so parts read by range cannot be checked
 * against it: a registry that serves altered parts that still make sense is not detected here.
 * Span bytes stay verified against their digests (which come from those parts). Read the zTOC
 * whole with {@link ZtocCodec#parse} after checking its digest when that is not enough.
 *
 * <p>Thread-safe.
 */
public final class LazyZtoc {
  /** Bytes read first: enough for the root table and the digests of a few hundred spans. */
  static final int FIRST_READ = 16 << 10;
  /** zTOCs whose checkpoint records total less than this are better read whole. */
  public static final long MIN_SKIPPED = 64 << 10;
  /** Bytes before the checkpoint records read at most (the digests of about 13,000 spans). */
  static final int MAX_START = 1 << 20;
  /** Checkpoint records read at most in one range read by {@link #spans()} (8 MiB). */
  static final int RECORDS_PER_READ = 256;

  private final String version;
  private final String buildToolIdentifier;
  private final long compressedArchiveSize;
  private final long uncompressedArchiveSize;
  private final List<TocEntry> toc;
  private final Compression compression;
  private final List<Digest> spanDigests;
  private final SpanGeometry geometry;
  /** Null when the geometry is held whole. */
  private final LazyGzipCheckpoints lazy;
  private final SpanDecompressor decompressor;
  private final Ztoc whole;
  /** Spans made so far: made once, as readers ask for them on every read. */
  private final AtomicReferenceArray<Span> spans;

  LazyZtoc(String version, String buildToolIdentifier, long compressedArchiveSize, long uncompressedArchiveSize,
      List<TocEntry> toc, Compression compression, List<Digest> spanDigests, SpanGeometry geometry, Ztoc whole) {
    this.version = version;
    this.buildToolIdentifier = buildToolIdentifier;
    this.compressedArchiveSize = compressedArchiveSize;
    this.uncompressedArchiveSize = uncompressedArchiveSize;
    this.toc = List.copyOf(toc);
    this.compression = compression;
    this.spanDigests = List.copyOf(spanDigests);
    this.geometry = geometry;
    this.lazy = geometry instanceof LazyGzipCheckpoints l ? l : null;
    this.decompressor = ZinfoFormats.decompressor(compression, geometry);
    this.whole = whole;
    this.spans = new AtomicReferenceArray<>(spanDigests.size());
  }

  /**
   * Wraps a zTOC held whole: nothing is read later.
   *
   * @param ztoc the zTOC
   * @return the wrapper
   */
  public static LazyZtoc of(Ztoc ztoc) {
    return new LazyZtoc(ztoc.version(), ztoc.buildToolIdentifier(), ztoc.compressedArchiveSize(),
        ztoc.uncompressedArchiveSize(), ztoc.toc(), ztoc.compression(), ztoc.spanDigests(), ZtocGeometry.of(ztoc),
        ztoc);
  }

  /**
   * Reads a zTOC without its checkpoint records, which are read from {@code blob} when needed (keep
   * it open while the result is used).
   *
   * @param blob range reads of the zTOC blob; {@link ByteSource#size()} is its length
   * @return the zTOC, or empty when it is better read whole: it is not gzip, its records are
   *     small ({@link #MIN_SKIPPED}), or its start does not hold the root table and the checkpoint
   *     blob's position (a layout other than upstream's)
   * @throws ZtocFormatException when what was read is malformed, or points into the records
   * @throws IOException when a read fails
   */
  public static Optional<LazyZtoc> open(ByteSource blob) throws IOException {
    long length = blob.size();
    byte[] first = LazyGzipCheckpoints.readExactly(blob, 0, (int) Math.min(length, FIRST_READ));
    long start = ZtocReader.startLength(first, length);
    if (start > first.length && start <= Math.min(length, MAX_START)) {
      // many spans: their digests put the checkpoint blob further than the first read
      byte[] longer = java.util.Arrays.copyOf(first, (int) start);
      int more = (int) start - first.length;
      System.arraycopy(LazyGzipCheckpoints.readExactly(blob, first.length, more), 0, longer, first.length, more);
      first = longer;
    }
    long[] extent = start < 0 ? null : ZtocReader.checkpointExtent(first, length);
    if (extent == null || extent[1] < GzipCheckpoints.HEADER_SIZE + MIN_SKIPPED) {
      return Optional.empty(); // not gzip, few records, or a layout other than upstream's
    }
    long blobStart = extent[0];
    long blobEnd = extent[0] + extent[1];
    int headLength = Math.toIntExact(blobStart + GzipCheckpoints.HEADER_SIZE);
    byte[] head = first;
    if (head.length != headLength) {
      head = java.util.Arrays.copyOf(first, headLength);
      if (headLength > first.length) {
        byte[] rest = LazyGzipCheckpoints.readExactly(blob, first.length, headLength - first.length);
        System.arraycopy(rest, 0, head, first.length, rest.length);
      }
    }
    byte[] tail = LazyGzipCheckpoints.readExactly(blob, blobEnd, Math.toIntExact(length - blobEnd));
    return Optional.of(ZtocReader.readParts(head, tail, blobStart, extent[1], length, blob));
  }

  /** {@return the format version} */
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

  /** {@return the number of spans} */
  public int spanCount() {
    return spanDigests.size();
  }

  /** {@return one sha256 per span, of the span's compressed bytes} */
  public List<Digest> spanDigests() {
    return spanDigests;
  }

  /** {@return the zTOC when it is held whole ({@link #of}), else empty} */
  public Optional<Ztoc> whole() {
    return Optional.ofNullable(whole);
  }

  /**
   * {@return the checkpoint records read so far (all of them for a zTOC held whole; the implied
   * first checkpoint of the v1 form has none)}
   */
  public int checkpointsLoaded() {
    return lazy == null ? spanCount() : lazy.windowsLoaded();
  }

  /**
   * One span, reading its checkpoint record (and the next record's offsets) if not read yet.
   *
   * @param id span id
   * @return the span
   * @throws ZtocFormatException when a record read is malformed
   * @throws IOException when a read fails
   */
  public Span span(int id) throws IOException {
    Span s = spans.get(Objects.checkIndex(id, spanCount()));
    if (s == null) {
      load(id, id);
      s = new Span(id, geometry.compressedStart(id), geometry.compressedEnd(id), geometry.uncompressedStart(id),
          geometry.uncompressedEnd(id), geometry.bits(id), spanDigests.get(id));
      spans.set(id, s);
    }
    return s;
  }

  /**
   * Every span, reading the checkpoint records not read yet ({@value #RECORDS_PER_READ} per range
   * read): before reading the whole layer.
   *
   * @return the spans, in order
   * @throws ZtocFormatException when a record read is malformed
   * @throws IOException when a read fails
   */
  public List<Span> spans() throws IOException {
    for (int first = 0; first < spanCount(); first += RECORDS_PER_READ) {
      load(first, Math.min(spanCount(), first + RECORDS_PER_READ) - 1);
    }
    Span[] all = new Span[spanCount()];
    for (int i = 0; i < all.length; i++) {
      all[i] = span(i);
    }
    return List.of(all);
  }

  /**
   * Reads the checkpoint records of spans {@code [first, last]} not read yet, in one range read:
   * before a sequential read of many spans.
   *
   * @param first first span
   * @param last last span
   * @throws ZtocFormatException when a record read is malformed
   * @throws IOException when a read fails
   */
  public void load(int first, int last) throws IOException {
    Objects.checkFromToIndex(first, last + 1, spanCount());
    if (lazy != null) {
      lazy.load(first, last);
    }
  }

  /**
   * The span holding an offset of the tar stream, reading checkpoint records as needed.
   *
   * @param uncompressedOffset the offset, {@code 0 <= offset < uncompressedArchiveSize()}
   * @return the span id
   * @throws ZtocFormatException when a record read is malformed
   * @throws IOException when a read fails
   */
  public int spanOf(long uncompressedOffset) throws IOException {
    Objects.checkIndex(uncompressedOffset, Math.max(1, uncompressedArchiveSize));
    return lazy == null ? geometry.spanOf(uncompressedOffset) : lazy.find(uncompressedOffset);
  }

  /**
   * Decompresses part of a span from its compressed bytes, which the caller fetched and verified
   * against {@link Span#digest()}: they are not checked again here.
   *
   * @param spanId the span
   * @param compressed holds the span's compressed range
   * @param compressedOff where that range starts in {@code compressed}
   * @param skip uncompressed bytes of the span to drop before writing
   * @param dst destination
   * @param dstOff where to write
   * @param len uncompressed bytes to write
   * @throws IOException when the bytes do not decode, or the span's record cannot be read
   * @throws IndexOutOfBoundsException when the span, the arrays or the range are out of bounds
   */
  public void decompressSpan(int spanId, byte[] compressed, int compressedOff, long skip, byte[] dst, int dstOff,
      int len) throws IOException {
    Span s = span(spanId);
    Objects.checkFromIndexSize(compressedOff, s.compressedLength(), compressed.length);
    Objects.checkFromIndexSize(dstOff, len, dst.length);
    Objects.checkFromIndexSize(skip, len, s.uncompressedLength());
    decompressor.decompress(spanId, compressed, compressedOff, (int) s.compressedLength(), skip, dst, dstOff, len);
  }

  /**
   * Decompresses a whole span (see {@link LayerReader#decompressWholeSpan}) from compressed bytes
   * the caller fetched and verified.
   *
   * @param spanId the span
   * @param compressed holds the span's compressed range
   * @param compressedOff where that range starts
   * @return the span's uncompressed bytes
   * @throws IOException when the bytes do not decode, or the span's record cannot be read
   */
  public byte[] decompressWholeSpan(int spanId, byte[] compressed, int compressedOff) throws IOException {
    Span s = span(spanId);
    Objects.checkFromIndexSize(compressedOff, s.compressedLength(), compressed.length);
    long expected = s.uncompressedLength();
    if (expected > Integer.MAX_VALUE - 8) {
      throw new io.soci4j.api.SociException("span " + spanId + " has " + expected
          + " uncompressed bytes, too many for an array");
    }
    return decompressor.decompressToEnd(spanId, compressed, compressedOff, (int) s.compressedLength(),
        (int) expected);
  }

  @Override
  public String toString() {
    return "LazyZtoc[" + compression.label() + ", " + toc.size() + " entries, " + spanCount() + " spans, "
        + checkpointsLoaded() + " checkpoints read]";
  }
}
