package io.soci4j.ztoc;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.internal.zinfo.SpanDecompressor;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.ZinfoFormats;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a layer through its zTOC: any byte range of the uncompressed tar stream, or a file by
 * name, fetching from the {@link ByteSource} only the compressed ranges of the spans involved
 * (adjacent spans in one read) and decompressing each from its checkpoint.
 *
 * <pre>{@code
 * try (ByteSource blob = ByteSource.open(layerPath)) {
 *   LayerReader reader = LayerReader.of(ztoc, blob);
 *   byte[] osRelease = reader.readFile("etc/os-release");
 * }
 * }</pre>
 *
 * <p>Span digests are verified by default ({@link SpanVerificationException} on mismatch).
 * Immutable and thread-safe when the byte source is.
 */
public final class LayerReader {
  /** Compressed bytes fetched in one read at most (a single span may exceed it). */
  private static final long MAX_FETCH = 32L << 20;
  /** Links followed at most when resolving a name (as Linux's ELOOP limit). */
  private static final int MAX_LINKS = 40;

  private final Ztoc ztoc;
  private final ByteSource layer;
  private final boolean verify;
  private final SpanGeometry geometry;
  private final SpanDecompressor decompressor;
  private final Map<String, TocEntry> byName;

  private LayerReader(Ztoc ztoc, ByteSource layer, boolean verify, Map<String, TocEntry> byName) {
    this.ztoc = ztoc;
    this.layer = layer;
    this.verify = verify;
    this.geometry = ZtocGeometry.of(ztoc);
    this.decompressor = ZinfoFormats.decompressor(ztoc.compression(), geometry);
    this.byName = byName;
  }

  /**
   * A reader that verifies span digests.
   *
   * @param ztoc the layer's zTOC
   * @param layer the layer blob (its size must be the zTOC's compressed size)
   * @return the reader
   */
  public static LayerReader of(Ztoc ztoc, ByteSource layer) {
    Map<String, TocEntry> byName = new HashMap<>();
    for (TocEntry e : ztoc.toc()) {
      byName.put(e.name(), e); // later members replace earlier ones, as extraction does
    }
    return new LayerReader(Objects.requireNonNull(ztoc, "ztoc"), Objects.requireNonNull(layer, "layer"), true,
        byName);
  }

  /**
   * @param verifySpans whether to check each span's compressed bytes against its digest
   * @return a copy with this setting
   */
  public LayerReader withVerification(boolean verifySpans) {
    return new LayerReader(ztoc, layer, verifySpans, byName);
  }

  /** {@return the zTOC} */
  public Ztoc ztoc() {
    return ztoc;
  }

  /**
   * Decompresses a whole span (up to the end of the tar archive for the last one).
   *
   * @param spanId the span
   * @param dst destination with room for the span's uncompressed length
   * @param off where to write
   * @return bytes written
   * @throws IOException on read, digest or decompression failure
   */
  public int decompressSpan(int spanId, byte[] dst, int off) throws IOException {
    Objects.checkIndex(spanId, geometry.spanCount());
    long start = geometry.compressedStart(spanId);
    byte[] src = fetch(start, geometry.compressedEnd(spanId));
    int len = (int) (geometry.uncompressedEnd(spanId) - geometry.uncompressedStart(spanId));
    decompressChecked(spanId, src, 0, 0, dst, off, len);
    return len;
  }

  /**
   * Decompresses part of a span from its compressed bytes, fetched by the caller (a reader that
   * caches spans fetches and keeps them itself). The bytes are checked against the span digest
   * first unless verification is off ({@link #withVerification}); the byte source is not used.
   *
   * @param spanId the span
   * @param compressed holds the span's compressed range {@code [compressedStart, compressedEnd)}
   *     (see {@link Ztoc#spans()})
   * @param compressedOff where that range starts in {@code compressed}
   * @param skip uncompressed bytes of the span to drop before writing
   * @param dst destination
   * @param dstOff where to write
   * @param len uncompressed bytes to write; {@code skip + len} at most the span's uncompressed length
   * @throws SpanVerificationException when the bytes do not match the span digest
   * @throws IOException when they do not decode
   * @throws IndexOutOfBoundsException when the span, the arrays or the range are out of bounds
   */
  public void decompressSpan(int spanId, byte[] compressed, int compressedOff, long skip, byte[] dst, int dstOff,
      int len) throws IOException {
    Objects.checkIndex(spanId, geometry.spanCount());
    Objects.checkFromIndexSize(compressedOff, compressedLength(spanId), compressed.length);
    Objects.checkFromIndexSize(dstOff, len, dst.length);
    Objects.checkFromIndexSize(skip, len, geometry.uncompressedEnd(spanId) - geometry.uncompressedStart(spanId));
    decompressChecked(spanId, compressed, compressedOff, skip, dst, dstOff, len);
  }

  /**
   * Decompresses a whole span from its compressed bytes, fetched by the caller, checked against the
   * span digest first unless verification is off. The last span runs to the end of the layer's
   * compressed bytes, so what follows the tar's end-of-archive blocks in the decompressed stream
   * (record padding) is included: the spans of a layer, concatenated, are exactly its
   * decompressed stream, and their concatenation hashes to the layer's diff ID.
   *
   * @param spanId the span
   * @param compressed holds the span's compressed range {@code [compressedStart, compressedEnd)}
   * @param compressedOff where that range starts in {@code compressed}
   * @return the span's uncompressed bytes
   * @throws SpanVerificationException when the bytes do not match the span digest
   * @throws IOException when they do not decode
   * @throws IndexOutOfBoundsException when the span or the array range is out of bounds
   */
  public byte[] decompressWholeSpan(int spanId, byte[] compressed, int compressedOff) throws IOException {
    Objects.checkIndex(spanId, geometry.spanCount());
    int srcLen = compressedLength(spanId);
    Objects.checkFromIndexSize(compressedOff, srcLen, compressed.length);
    verify(spanId, compressed, compressedOff, srcLen);
    long expected = geometry.uncompressedEnd(spanId) - geometry.uncompressedStart(spanId);
    if (expected > Integer.MAX_VALUE - 8) {
      throw new SociException("span " + spanId + " has " + expected + " uncompressed bytes, too many for an array");
    }
    return decompressor.decompressToEnd(spanId, compressed, compressedOff, srcLen, (int) expected);
  }

  /**
   * Reads bytes of the uncompressed tar stream.
   *
   * @param offset first byte
   * @param dst destination
   * @param off where to write
   * @param len number of bytes
   * @throws IOException on read, digest or decompression failure
   * @throws IndexOutOfBoundsException when the range is outside the tar stream or dst
   */
  public void read(long offset, byte[] dst, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, dst.length);
    Objects.checkFromIndexSize(offset, len, ztoc.uncompressedArchiveSize());
    long pos = offset;
    long end = offset + len;
    int first = len == 0 ? 0 : geometry.spanOf(offset);
    while (pos < end) {
      int last = first;
      long fetchStart = geometry.compressedStart(first);
      while (last + 1 < geometry.spanCount() && geometry.uncompressedStart(last + 1) < end
          && geometry.compressedEnd(last + 1) - fetchStart <= MAX_FETCH) {
        last++;
      }
      byte[] src = fetch(fetchStart, geometry.compressedEnd(last));
      for (int s = first; s <= last; s++) {
        long spanOut = geometry.uncompressedStart(s);
        long skip = pos - spanOut;
        int n = (int) (Math.min(end, geometry.uncompressedEnd(s)) - pos);
        decompressChecked(s, src, (int) (geometry.compressedStart(s) - fetchStart), skip, dst,
            off + (int) (pos - offset), n);
        pos += n;
      }
      first = last + 1;
    }
  }

  /**
   * Reads bytes of the uncompressed tar stream.
   *
   * @param offset first byte
   * @param len number of bytes
   * @return the bytes
   * @throws IOException on read, digest or decompression failure
   * @throws IndexOutOfBoundsException when the range is outside the tar stream
   */
  public byte[] read(long offset, int len) throws IOException {
    Objects.checkFromIndexSize(offset, len, ztoc.uncompressedArchiveSize());
    byte[] out = new byte[len];
    read(offset, out, 0, len);
    return out;
  }

  /**
   * The entry with exactly this name (the last one when the tar has several).
   *
   * @param name name as stored in the TOC
   * @return the entry, if any
   */
  public Optional<TocEntry> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Finds the entry whose data a name designates: follows hard links to their target, and, as
   * upstream's lookup does, symbolic links whose target is itself a TOC name.
   *
   * @param name name as stored in the TOC
   * @return a regular file entry
   * @throws EntryNotFoundException when the name (or a link target) is not in the TOC
   * @throws SociException when it is not a regular file, or links loop
   */
  public TocEntry resolve(String name) throws SociException {
    String current = name;
    StringBuilder path = new StringBuilder();
    for (int hops = 0; hops <= MAX_LINKS; hops++) {
      TocEntry e = byName.get(current);
      if (e == null) {
        throw new EntryNotFoundException(current, path.toString());
      }
      switch (e.type()) {
        case REGULAR:
          return e;
        case HARDLINK:
        case SYMLINK:
          path.append(path.length() == 0 ? "" : ", ").append("'").append(current).append("' links to '")
              .append(e.linkName()).append("'");
          current = e.linkName();
          break;
        default:
          throw new SociException("entry '" + current + "' is a " + e.type().wireName() + ", not a regular file");
      }
    }
    throw new SociException("too many links resolving '" + name + "': " + path);
  }

  /**
   * Reads a whole file.
   *
   * @param name name as stored in the TOC (links followed as {@link #resolve})
   * @return its bytes
   * @throws IOException on lookup, read, digest or decompression failure
   */
  public byte[] readFile(String name) throws IOException {
    TocEntry e = resolve(name);
    if (e.uncompressedSize() > Integer.MAX_VALUE - 8) {
      throw new SociException("file '" + name + "' has " + e.uncompressedSize()
          + " bytes, too many for an array: use openFile");
    }
    return read(e.uncompressedOffset(), (int) e.uncompressedSize());
  }

  /**
   * Streams a file, fetching spans as the stream is read.
   *
   * @param name name as stored in the TOC (links followed as {@link #resolve})
   * @return a stream of its bytes
   * @throws IOException on lookup failure
   */
  public InputStream openFile(String name) throws IOException {
    TocEntry e = resolve(name);
    return new RangeInputStream(this, e.uncompressedOffset(), e.uncompressedSize());
  }

  private byte[] fetch(long start, long end) throws IOException {
    return layer.read(start, (int) (end - start));
  }

  private void decompressChecked(int span, byte[] src, int srcOff, long skip, byte[] dst, int dstOff, int len)
      throws IOException {
    int srcLen = compressedLength(span);
    verify(span, src, srcOff, srcLen);
    decompressor.decompress(span, src, srcOff, srcLen, skip, dst, dstOff, len);
  }

  private void verify(int span, byte[] src, int srcOff, int srcLen) throws SpanVerificationException {
    if (verify) {
      Digest actual = Digest.sha256(src, srcOff, srcLen);
      Digest expected = ztoc.spanDigests().get(span);
      if (!actual.equals(expected)) {
        throw new SpanVerificationException(span, geometry.compressedStart(span), geometry.compressedEnd(span),
            expected, actual);
      }
    }
  }

  private int compressedLength(int span) {
    return (int) (geometry.compressedEnd(span) - geometry.compressedStart(span));
  }

  /** End (exclusive) of the span holding an uncompressed offset, for chunked streaming. */
  long spanEnd(long uncompressedOffset) {
    return geometry.uncompressedEnd(geometry.spanOf(uncompressedOffset));
  }
}
