package io.soci4j.ztoc;

import static io.soci4j.ztoc.ZtocSchema.*;

import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.flat.FlatBuffer;
import io.soci4j.ztoc.internal.flat.FlatTable;
import io.soci4j.ztoc.internal.flat.FlatVector;
import io.soci4j.ztoc.internal.text.TextPool;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.LazyGzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.ZinfoFormats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates a zTOC. Structure is checked by {@link FlatBuffer}; this class checks
 * meaning: required fields, sizes, the compression algorithm, span digests, the checkpoint blob
 * (through its format's codec) and the TOC (known entry types, data inside the tar stream, entries
 * in tar order without overlapping data).
 */
final class ZtocReader {
  private static final int TAR_BLOCK = 512;

  private ZtocReader() {}

  static Ztoc read(byte[] bytes) throws ZtocFormatException {
    FlatTable root = new FlatBuffer(bytes, "").root();
    Header h = header(root);
    FlatVector checkpoints = required(h.info, "checkpoints",
        h.info.vector(COMPRESSION_CHECKPOINTS, "checkpoints", 1));
    byte[] blob = checkpoints.bytes();
    SpanGeometry geometry;
    try {
      geometry = ZinfoFormats.geometry(h.compression, blob, h.digests.size(), h.compressedSize,
          h.uncompressedSize);
    } catch (ZtocFormatException e) {
      throw relocate(e, h.info.pathOf(""), checkpoints.position());
    }
    return new Ztoc(h.version, h.tool, h.compressedSize, h.uncompressedSize, toc(root, h.uncompressedSize),
        h.compression, h.digests, blob, geometry);
  }

  /**
   * Where a gzip zTOC keeps its checkpoint blob, read from the start of the zTOC only.
   *
   * @param head the first bytes of the zTOC
   * @param length the zTOC's length
   * @return {position of the blob, its length}, or null when the head does not hold the root
   *     table, the compression info and the blob's length, or the zTOC is not gzip
   * @throws ZtocFormatException when what the head holds is malformed
   */
  static long[] checkpointExtent(byte[] head, long length) throws ZtocFormatException {
    if (head.length >= length) {
      return null;
    }
    FlatBuffer buf = FlatBuffer.partial(head, new byte[0], length, length, "");
    try {
      FlatTable root = buf.root();
      FlatTable info = required(root, "compression_info", root.table(ZTOC_COMPRESSION_INFO, "compression_info"));
      byte wire = info.getByte(COMPRESSION_ALGORITHM, "compression_algorithm", DEFAULT_ALGORITHM);
      if (Compression.fromWire(wire) != Compression.GZIP) {
        return null;
      }
      return required(info, "checkpoints", info.vectorExtent(COMPRESSION_CHECKPOINTS, "checkpoints", 1));
    } catch (FlatBuffer.NotHeldException e) {
      return null;
    }
  }

  /**
   * How much of a gzip zTOC's start holds everything before its checkpoint records (root, tables,
   * span digests, the checkpoint blob's length and header), from the compression info's offset to
   * the blob: the digests before it need not be held yet.
   *
   * @param head the first bytes of the zTOC
   * @param length the zTOC's length
   * @return that length, or -1 when the head does not hold the root table and compression info, or
   *     the zTOC is not gzip
   * @throws ZtocFormatException when what the head holds is malformed
   */
  static long startLength(byte[] head, long length) throws ZtocFormatException {
    if (head.length >= length) {
      return -1;
    }
    try {
      FlatTable root = FlatBuffer.partial(head, new byte[0], length, length, "").root();
      FlatTable info = root.table(ZTOC_COMPRESSION_INFO, "compression_info");
      if (info == null || Compression.fromWire(info.getByte(COMPRESSION_ALGORITHM, "compression_algorithm",
          DEFAULT_ALGORITHM)) != Compression.GZIP) {
        return -1;
      }
      long vector = info.offsetTarget(COMPRESSION_CHECKPOINTS, "checkpoints");
      return vector < 0 ? -1 : vector + 4 + GzipCheckpoints.HEADER_SIZE;
    } catch (FlatBuffer.NotHeldException e) {
      return -1;
    }
  }

  /**
   * Reads a gzip zTOC of which all but the checkpoint records was read: the same checks as {@link
   * #read}, with the records left to {@code records}.
   *
   * @param head the zTOC's bytes up to and including the checkpoint blob's 12-byte header
   * @param tail the zTOC's bytes after the checkpoint blob
   * @param blobStart position of the checkpoint blob
   * @param blobLength length of the checkpoint blob
   * @param length the zTOC's length
   * @param records range reads of the zTOC, for the records
   * @return the parts
   * @throws ZtocFormatException when the parts are malformed, or anything in them points into the
   *     checkpoint records
   */
  static LazyZtoc readParts(byte[] head, byte[] tail, long blobStart, long blobLength, long length,
      io.soci4j.api.ByteSource records) throws ZtocFormatException {
    long tailStart = blobStart + blobLength;
    FlatTable root = FlatBuffer.partial(head, tail, tailStart, length, "").root();
    Header h = header(root);
    long[] extent = required(h.info, "checkpoints", h.info.vectorExtent(COMPRESSION_CHECKPOINTS, "checkpoints", 1));
    if (h.compression != Compression.GZIP || extent[0] != blobStart || extent[1] != blobLength) {
      throw new ZtocFormatException(h.info.pathOf("checkpoints"), position(h.info, COMPRESSION_CHECKPOINTS),
          "the checkpoint blob is at " + extent[0] + " (" + extent[1] + " bytes), not where the zTOC's start said ("
              + blobStart + ", " + blobLength + " bytes)");
    }
    java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(head, (int) blobStart, GzipCheckpoints.HEADER_SIZE)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int count = header.getInt((int) blobStart);
    long spanSize = header.getLong((int) blobStart + 4);
    String field = h.info.pathOf("checkpoints");
    if (count != h.digests.size()) {
      throw new ZtocFormatException(field + ".count", blobStart, "checkpoint count " + count
          + " does not match max_span_id + 1 = " + h.digests.size() + " (offset 0 in the checkpoint blob)");
    }
    if (spanSize <= 0) {
      throw new ZtocFormatException(field + ".span_size", blobStart + 4, "span size " + spanSize
          + " is not positive (offset 4 in the checkpoint blob)");
    }
    long current = GzipCheckpoints.HEADER_SIZE + (long) count * GzipCheckpoints.ENTRY_SIZE;
    boolean v1 = blobLength == current - GzipCheckpoints.ENTRY_SIZE;
    if (blobLength != current && !v1) {
      throw new ZtocFormatException(field, blobStart, "blob is " + blobLength + " bytes; " + count
          + " checkpoints need " + current + " (or " + (current - GzipCheckpoints.ENTRY_SIZE) + " in the v1 form)");
    }
    LazyGzipCheckpoints checkpoints = new LazyGzipCheckpoints(records, blobStart, count, v1, spanSize,
        h.compressedSize, h.uncompressedSize);
    return new LazyZtoc(h.version, h.tool, h.compressedSize, h.uncompressedSize, toc(root, h.uncompressedSize),
        h.compression, h.digests, checkpoints, null);
  }

  /** The root's fields other than the TOC and the checkpoint blob, validated. */
  private record Header(String version, String tool, long compressedSize, long uncompressedSize, FlatTable info,
      Compression compression, List<Digest> digests) {}

  private static Header header(FlatTable root) throws ZtocFormatException {
    String version = required(root, "version", root.string(ZTOC_VERSION, "version"));
    if (!VERSION.equals(version)) {
      throw new ZtocFormatException("version", root.targetPosition(ZTOC_VERSION, "version"),
          "unsupported zTOC version '" + version + "': this reader knows " + VERSION);
    }
    String tool = root.string(ZTOC_BUILD_TOOL_IDENTIFIER, "build_tool_identifier");
    long compressedSize = root.getLong(ZTOC_COMPRESSED_ARCHIVE_SIZE, "compressed_archive_size", 0);
    if (compressedSize <= 0) {
      throw new ZtocFormatException("compressed_archive_size",
          position(root, ZTOC_COMPRESSED_ARCHIVE_SIZE),
          "layer size " + compressedSize + " is not positive");
    }
    long uncompressedSize =
        root.getLong(ZTOC_UNCOMPRESSED_ARCHIVE_SIZE, "uncompressed_archive_size", 0);
    if (uncompressedSize < 0) {
      throw new ZtocFormatException("uncompressed_archive_size",
          position(root, ZTOC_UNCOMPRESSED_ARCHIVE_SIZE),
          "tar stream size " + uncompressedSize + " is negative");
    }
    FlatTable info = required(root, "compression_info",
        root.table(ZTOC_COMPRESSION_INFO, "compression_info"));
    byte wire = info.getByte(COMPRESSION_ALGORITHM, "compression_algorithm", DEFAULT_ALGORITHM);
    Compression compression = Compression.fromWire(wire);
    if (compression == null) {
      throw new ZtocFormatException(info.pathOf("compression_algorithm"),
          position(info, COMPRESSION_ALGORITHM), "unknown compression algorithm " + wire);
    }
    return new Header(version, tool == null ? "" : tool, compressedSize, uncompressedSize, info, compression,
        spanDigests(info));
  }

  private static List<TocEntry> toc(FlatTable root, long uncompressedSize) throws ZtocFormatException {
    FlatTable toc = required(root, "toc", root.table(ZTOC_TOC, "toc"));
    FlatVector metadata = required(toc, "metadata",
        toc.vector(TOC_METADATA, "metadata", 4));
    List<TocEntry> entries = new ArrayList<>(metadata.length());
    TextPool pool = new TextPool();
    for (int i = 0; i < metadata.length(); i++) {
      entries.add(entry(metadata.table(i), pool, uncompressedSize,
          entries.isEmpty() ? null : entries.get(entries.size() - 1)));
    }
    return entries;
  }

  private static List<Digest> spanDigests(FlatTable info) throws ZtocFormatException {
    int maxSpanId = info.getInt(COMPRESSION_MAX_SPAN_ID, "max_span_id", 0);
    if (maxSpanId < 0) {
      throw new ZtocFormatException(info.pathOf("max_span_id"),
          position(info, COMPRESSION_MAX_SPAN_ID), "max span id " + maxSpanId + " is negative");
    }
    FlatVector v = required(info, "span_digests",
        info.vector(COMPRESSION_SPAN_DIGESTS, "span_digests", 4));
    if (v.length() != maxSpanId + 1L) {
      throw new ZtocFormatException(info.pathOf("span_digests"), v.position() - 4, v.length()
          + " span digests, but max_span_id " + maxSpanId + " means " + (maxSpanId + 1L) + " spans");
    }
    List<Digest> digests = new ArrayList<>(v.length());
    for (int i = 0; i < v.length(); i++) {
      String text = v.string(i);
      if (!isSha256(text)) {
        throw new ZtocFormatException(v.pathOf(i), v.elementPosition(i),
            "'" + text + "' is not sha256:<64 lowercase hex>");
      }
      digests.add(new Digest(Digest.SHA256, text.substring(Digest.SHA256.length() + 1)));
    }
    return digests;
  }

  private static boolean isSha256(String text) {
    String prefix = Digest.SHA256 + ":";
    if (text.length() != prefix.length() + 64 || !text.startsWith(prefix)) {
      return false;
    }
    for (int i = prefix.length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads one FileMetadata table. Entries must be in tar order: like upstream's reader (which
   * sorts first), an entry's data may not start before the tar block after the previous entry's
   * data; entries with no data still get their own position.
   */
  private static TocEntry entry(FlatTable t, TextPool pool, long uncompressedSize, TocEntry previous)
      throws ZtocFormatException {
    String typeText = text(t, FILE_TYPE, "type");
    EntryType type = EntryType.fromWireName(typeText);
    if (type == null) {
      throw new ZtocFormatException(t.pathOf("type"), position(t, FILE_TYPE),
          "unknown entry type '" + typeText + "'");
    }
    long offset = t.getLong(FILE_UNCOMPRESSED_OFFSET, "uncompressed_offset", 0);
    long size = t.getLong(FILE_UNCOMPRESSED_SIZE, "uncompressed_size", 0);
    if (offset < 0) {
      throw new ZtocFormatException(t.pathOf("uncompressed_offset"),
          position(t, FILE_UNCOMPRESSED_OFFSET), "offset " + offset + " is negative");
    }
    if (size < 0) {
      throw new ZtocFormatException(t.pathOf("uncompressed_size"),
          position(t, FILE_UNCOMPRESSED_SIZE), "size " + size + " is negative");
    }
    long dataSize = type == EntryType.REGULAR ? size : 0; // as TocEntry.dataSize()
    if (offset > uncompressedSize || dataSize > uncompressedSize - offset) {
      throw new ZtocFormatException(t.pathOf("uncompressed_size"),
          position(t, FILE_UNCOMPRESSED_SIZE), "data at " + offset + " of " + dataSize
              + " bytes ends beyond the tar stream (uncompressed_archive_size " + uncompressedSize + ")");
    }
    if (previous != null) {
      long nextHeader = alignToBlock(previous.uncompressedEnd());
      if (offset < nextHeader) {
        throw new ZtocFormatException(t.pathOf("uncompressed_offset"),
            position(t, FILE_UNCOMPRESSED_OFFSET), "data at " + offset + " starts before "
                + nextHeader + ", where the previous entry '" + previous.name()
                + "' ends; entries must be in tar order without overlapping data");
      }
    }
    return new TocEntry(text(t, FILE_NAME, "name"), type, offset, size,
        pool.of(text(t, FILE_LINKNAME, "linkname")),
        t.getLong(FILE_MODE, "mode", 0),
        t.getInt(FILE_UID, "uid", 0) & 0xFFFFFFFFL,
        t.getInt(FILE_GID, "gid", 0) & 0xFFFFFFFFL,
        pool.of(text(t, FILE_UNAME, "uname")),
        pool.of(text(t, FILE_GNAME, "gname")),
        pool.of(text(t, FILE_MOD_TIME, "mod_time")),
        t.getLong(FILE_DEVMAJOR, "devmajor", 0),
        t.getLong(FILE_DEVMINOR, "devminor", 0),
        paxRecords(t));
  }

  /** Upstream keeps these in a map: a key that appears twice is refused here. */
  private static List<PaxRecord> paxRecords(FlatTable entry) throws ZtocFormatException {
    FlatVector v = entry.vector(FILE_XATTRS, "xattrs", 4);
    if (v == null) {
      return List.of();
    }
    List<PaxRecord> records = new ArrayList<>(v.length());
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < v.length(); i++) {
      FlatTable x = v.table(i);
      String key = text(x, XATTR_KEY, "key");
      byte[] value = x.stringBytes(XATTR_VALUE, "value");
      if (!keys.add(key)) {
        throw new ZtocFormatException(x.pathOf("key"), position(x, XATTR_KEY),
            "PAX record key '" + key + "' appears twice");
      }
      records.add(new PaxRecord(key, value == null ? new byte[0] : value));
    }
    return records;
  }

  /** A string field; absent reads as empty, as in upstream's reader. */
  private static String text(FlatTable t, int slot, String name) throws ZtocFormatException {
    String s = t.string(slot, name);
    return s == null ? "" : s;
  }

  private static long position(FlatTable t, int slot) {
    long p = t.fieldPosition(slot);
    return p < 0 ? t.position() : p;
  }

  private static long alignToBlock(long end) {
    long rem = end % TAR_BLOCK;
    return rem == 0 ? end : end > Long.MAX_VALUE - TAR_BLOCK ? Long.MAX_VALUE : end - rem + TAR_BLOCK;
  }

  private static <T> T required(FlatTable t, String name, T value)
      throws ZtocFormatException {
    if (value == null) {
      throw new ZtocFormatException(t.pathOf(name), t.position(), "required field is missing");
    }
    return value;
  }

  /**
   * Moves an error from a checkpoint codec, whose offsets are relative to the blob, into the
   * zTOC: the field gets the compression_info path and the offset the blob's position.
   */
  private static ZtocFormatException relocate(ZtocFormatException e, String prefix, long blobStart) {
    String problem = e.problem();
    long offset = blobStart + Math.max(e.offset(), 0);
    ZtocFormatException moved = new ZtocFormatException(prefix + e.field(), offset,
        problem + " (offset " + (e.offset() < 0 ? 0 : e.offset()) + " in the checkpoint blob)");
    moved.initCause(e);
    return moved;
  }
}
