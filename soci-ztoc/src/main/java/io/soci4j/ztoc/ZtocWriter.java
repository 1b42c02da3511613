package io.soci4j.ztoc;

import static io.soci4j.ztoc.ZtocSchema.*;

import com.google.flatbuffers.FlatBufferBuilder;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.internal.tar.TarText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a zTOC with the same sequence of builder operations as upstream's {@code
 * ztocToFlatbuffer} (SOCI format spec §2 "Byte-identical output"), so the bytes are identical.
 *
 * <p>Java's {@link FlatBufferBuilder} and Go's builder give the same bytes for this sequence:
 * strings and byte vectors are padded alike, offsets and vtables are written alike, and the
 * differences (Java trims trailing absent vtable slots and also compares table sizes when sharing
 * vtables; Go resets its alignment at each table start) never show here, because the last slot of
 * every zTOC table is always written and the root table always holds a long (the compressed size,
 * which {@link Ztoc} requires to be positive).
 */
final class ZtocWriter {
  /** Orders PAX records as Go's {@code sort.Strings} orders their keys: by bytes, unsigned. */
  private static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

  private final FlatBufferBuilder b;

  private ZtocWriter(int sizeHint) {
    b = new FlatBufferBuilder(sizeHint);
  }

  static byte[] write(Ztoc z) {
    ByteBuffer data = writeToBuffer(z);
    byte[] out = new byte[data.remaining()];
    data.get(out);
    return out;
  }

  /** The bytes of {@link #write}, in the builder's own buffer (no copy: half the peak memory). */
  static ByteBuffer writeToBuffer(Ztoc z) {
    byte[] checkpoints = z.checkpointsNoCopy();
    long hint = 1024L + checkpoints.length + 80L * z.spanDigests().size() + 256L * z.toc().size();
    ZtocWriter w = new ZtocWriter((int) Math.min(hint, Integer.MAX_VALUE - 8));
    return w.ztoc(z, checkpoints);
  }

  private ByteBuffer ztoc(Ztoc z, byte[] checkpoints) {
    int version = string(z.version());
    int tool = string(z.buildToolIdentifier());
    int toc = toc(z.toc());
    int checkpointsVector = b.createByteVector(checkpoints);
    List<Digest> digests = z.spanDigests();
    int[] digestStrings = new int[digests.size()];
    for (int i = 0; i < digestStrings.length; i++) {
      digestStrings[i] = b.createString(ByteBuffer.wrap(
          digests.get(i).toString().getBytes(StandardCharsets.US_ASCII)));
    }
    int digestVector = offsetVector(digestStrings);

    b.startTable(COMPRESSION_FIELDS);
    b.addInt(COMPRESSION_MAX_SPAN_ID, z.maxSpanId(), 0);
    b.addOffset(COMPRESSION_SPAN_DIGESTS, digestVector, 0);
    b.addOffset(COMPRESSION_CHECKPOINTS, checkpointsVector, 0);
    b.addByte(COMPRESSION_ALGORITHM, z.compression().wireValue(), DEFAULT_ALGORITHM);
    int compressionInfo = b.endTable();

    b.startTable(ZTOC_FIELDS);
    b.addOffset(ZTOC_VERSION, version, 0);
    b.addOffset(ZTOC_BUILD_TOOL_IDENTIFIER, tool, 0);
    b.addOffset(ZTOC_TOC, toc, 0);
    b.addLong(ZTOC_COMPRESSED_ARCHIVE_SIZE, z.compressedArchiveSize(), 0);
    b.addLong(ZTOC_UNCOMPRESSED_ARCHIVE_SIZE, z.uncompressedArchiveSize(), 0);
    b.addOffset(ZTOC_COMPRESSION_INFO, compressionInfo, 0);
    b.finish(b.endTable());
    return b.dataBuffer().slice().asReadOnlyBuffer();
  }

  /** Entries are built last to first, as upstream does. */
  private int toc(List<TocEntry> entries) {
    int[] tables = new int[entries.size()];
    for (int i = tables.length - 1; i >= 0; i--) {
      tables[i] = entry(entries.get(i));
    }
    int metadata = offsetVector(tables);
    b.startTable(TOC_FIELDS);
    b.addOffset(TOC_METADATA, metadata, 0);
    return b.endTable();
  }

  private int entry(TocEntry e) {
    int name = string(e.name());
    int type = string(e.type().wireName());
    int linkName = string(e.linkName());
    int uname = string(e.uname());
    int gname = string(e.gname());
    int modTime = string(e.modTime());
    int xattrs = xattrs(e.paxRecords());

    b.startTable(FILE_FIELDS);
    b.addOffset(FILE_NAME, name, 0);
    b.addOffset(FILE_TYPE, type, 0);
    b.addLong(FILE_UNCOMPRESSED_OFFSET, e.uncompressedOffset(), 0);
    b.addLong(FILE_UNCOMPRESSED_SIZE, e.uncompressedSize(), 0);
    b.addOffset(FILE_LINKNAME, linkName, 0);
    b.addLong(FILE_MODE, e.mode(), 0);
    b.addInt(FILE_UID, (int) e.uid(), 0);
    b.addInt(FILE_GID, (int) e.gid(), 0);
    b.addOffset(FILE_UNAME, uname, 0);
    b.addOffset(FILE_GNAME, gname, 0);
    b.addOffset(FILE_MOD_TIME, modTime, 0);
    b.addLong(FILE_DEVMAJOR, e.devMajor(), 0);
    b.addLong(FILE_DEVMINOR, e.devMinor(), 0);
    b.addOffset(FILE_XATTRS, xattrs, 0);
    return b.endTable();
  }

  /** Upstream sorts the records by key and always writes the vector, even when empty. */
  private int xattrs(List<PaxRecord> records) {
    List<byte[][]> sorted = new ArrayList<>(records.size());
    for (PaxRecord r : records) {
      sorted.add(new byte[][] {TarText.encode(r.key()), r.rawValue()});
    }
    sorted.sort((x, y) -> KEY_ORDER.compare(x[0], y[0]));
    int[] tables = new int[sorted.size()];
    for (int i = 0; i < tables.length; i++) {
      int key = b.createString(ByteBuffer.wrap(sorted.get(i)[0]));
      int value = b.createString(ByteBuffer.wrap(sorted.get(i)[1]));
      b.startTable(XATTR_FIELDS);
      b.addOffset(XATTR_KEY, key, 0);
      b.addOffset(XATTR_VALUE, value, 0);
      tables[i] = b.endTable();
    }
    return offsetVector(tables);
  }

  private int offsetVector(int[] offsets) {
    b.startVector(4, offsets.length, 4);
    for (int i = offsets.length - 1; i >= 0; i--) {
      b.addOffset(offsets[i]);
    }
    return b.endVector();
  }

  private int string(String s) {
    return b.createString(ByteBuffer.wrap(TarText.encode(s)));
  }
}
