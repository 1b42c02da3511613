package io.soci4j.ztoc;

import static io.soci4j.ztoc.ZtocSchema.*;

import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.flat.FlatBuffer;
import io.soci4j.ztoc.internal.flat.FlatTable;
import io.soci4j.ztoc.internal.flat.FlatVector;
import io.soci4j.ztoc.internal.text.TextPool;
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
    List<Digest> digests = spanDigests(info);
    FlatVector checkpoints = required(info, "checkpoints",
        info.vector(COMPRESSION_CHECKPOINTS, "checkpoints", 1));
    byte[] blob = checkpoints.bytes();
    SpanGeometry geometry;
    try {
      geometry = ZinfoFormats.geometry(compression, blob, digests.size(), compressedSize,
          uncompressedSize);
    } catch (ZtocFormatException e) {
      throw relocate(e, info.pathOf(""), checkpoints.position());
    }

    FlatTable toc = required(root, "toc", root.table(ZTOC_TOC, "toc"));
    FlatVector metadata = required(toc, "metadata",
        toc.vector(TOC_METADATA, "metadata", 4));
    List<TocEntry> entries = new ArrayList<>(metadata.length());
    TextPool pool = new TextPool();
    for (int i = 0; i < metadata.length(); i++) {
      entries.add(entry(metadata.table(i), pool, uncompressedSize,
          entries.isEmpty() ? null : entries.get(entries.size() - 1)));
    }
    return new Ztoc(version, tool == null ? "" : tool, compressedSize, uncompressedSize, entries,
        compression, digests, blob, geometry);
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
