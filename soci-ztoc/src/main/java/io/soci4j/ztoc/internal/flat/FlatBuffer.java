package io.soci4j.ztoc.internal.flat;

import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.tar.TarText;
import java.util.Arrays;

/**
 * A flatbuffers buffer (no file identifier) read with explicit bounds checks: every offset,
 * vtable, vector and string is checked to lie inside the buffer and to be aligned before it is
 * read, with {@code long} arithmetic so nothing overflows. A failure is a {@link
 * ZtocFormatException} naming the field and the byte offset; no read ever throws an unchecked
 * exception, and nothing is allocated that is larger than the buffer.
 *
 * <p>Every table, vector and string read is charged its size; reading more bytes than the buffer
 * holds means that objects are shared or overlap, which no flatbuffers builder writes for a zTOC,
 * and is refused. So a crafted buffer whose offsets all point at the same table cannot make the
 * reader do more work than the buffer's size allows.
 *
 * <p>Field names are dotted paths ({@code toc.metadata[3].name}) from the root table's path.
 */
public final class FlatBuffer {
  private final byte[] bytes;
  private final String rootPath;
  /** Bytes of tables, vectors and strings read so far. */
  private long charged;

  /**
   * Wraps bytes without copying.
   *
   * @param bytes the buffer; position 0 holds the root offset
   * @param rootPath path of the root table in error messages; empty to name its fields bare
   */
  public FlatBuffer(byte[] bytes, String rootPath) {
    this.bytes = bytes;
    this.rootPath = rootPath;
  }

  /** {@return the buffer length} */
  public int length() {
    return bytes.length;
  }

  /**
   * The root table.
   *
   * @return the table the offset at position 0 points to
   * @throws ZtocFormatException when the root offset or the table's vtable is out of range
   */
  public FlatTable root() throws ZtocFormatException {
    if (bytes.length < 4) {
      throw new ZtocFormatException(rootPath.isEmpty() ? "root" : rootPath, 0,
          "buffer of " + bytes.length + " bytes is too short to hold a root offset");
    }
    return tableAt(rootPath, 0);
  }

  /** Follows the uoffset stored at {@code pos} (already known to be inside the buffer). */
  long follow(String field, long pos) throws ZtocFormatException {
    long off = u32(pos);
    long target = pos + off;
    if (target + 4 > bytes.length) {
      throw new ZtocFormatException(field, pos, "offset " + off + " points to " + target
          + ", outside the " + bytes.length + "-byte buffer");
    }
    if ((target & 3) != 0) {
      throw new ZtocFormatException(field, pos, "offset " + off + " points to " + target
          + ", which is not 4-byte aligned");
    }
    return target;
  }

  /** The table the uoffset at {@code refPos} points to; {@code path} names it. */
  FlatTable tableAt(String path, long refPos) throws ZtocFormatException {
    String name = path.isEmpty() ? "root" : path;
    long pos = follow(name, refPos);
    int soffset = i32(pos);
    long vt = pos - soffset;
    if (vt < 0 || vt + 4 > bytes.length) {
      throw new ZtocFormatException(name, pos, "vtable offset " + soffset + " points to " + vt
          + ", outside the " + bytes.length + "-byte buffer");
    }
    if ((vt & 1) != 0) {
      throw new ZtocFormatException(name, pos, "vtable at " + vt + " is not 2-byte aligned");
    }
    int vtSize = u16(vt);
    int objSize = u16(vt + 2);
    if (vtSize < 4 || (vtSize & 1) != 0 || vt + vtSize > bytes.length) {
      throw new ZtocFormatException(name, vt, "vtable size " + vtSize
          + " is not an even size from 4 that fits in the " + bytes.length + "-byte buffer");
    }
    if (objSize < 4 || pos + objSize > bytes.length) {
      throw new ZtocFormatException(name, vt + 2, "table size " + objSize + " of the table at "
          + pos + " is below 4 or runs past the end of the " + bytes.length + "-byte buffer");
    }
    charge(name, pos, objSize);
    return new FlatTable(this, path, pos, vt, vtSize, objSize);
  }

  /** The vector the uoffset at {@code refPos} points to. */
  FlatVector vectorAt(String field, long refPos, int elemSize) throws ZtocFormatException {
    long pos = follow(field, refPos);
    long count = u32(pos);
    if (count > (bytes.length - pos - 4) / elemSize) {
      throw new ZtocFormatException(field, pos, "vector of " + count + " elements of " + elemSize
          + " bytes runs past the end of the " + bytes.length + "-byte buffer");
    }
    charge(field, pos, 4 + count * elemSize);
    return new FlatVector(this, field, pos + 4, (int) count, elemSize);
  }

  /** Position of the first byte of the string the uoffset at {@code refPos} points to. */
  private long stringStart(String field, long refPos) throws ZtocFormatException {
    long pos = follow(field, refPos);
    long len = u32(pos);
    if (len >= bytes.length - pos - 4) {
      throw new ZtocFormatException(field, pos, "string of " + len
          + " bytes and its terminator run past the end of the " + bytes.length + "-byte buffer");
    }
    if (bytes[(int) (pos + 4 + len)] != 0) {
      throw new ZtocFormatException(field, pos + 4 + len, "string of " + len
          + " bytes is not zero-terminated");
    }
    charge(field, pos, 4 + len + 1);
    return pos + 4;
  }

  private void charge(String field, long pos, long size) throws ZtocFormatException {
    charged += size;
    if (charged > bytes.length) {
      throw new ZtocFormatException(field, pos, "objects are shared or overlap: reading them "
          + "takes more than the " + bytes.length + " bytes the buffer holds");
    }
  }

  /** The string the uoffset at {@code refPos} points to, decoded with {@link TarText}. */
  String stringAt(String field, long refPos) throws ZtocFormatException {
    long start = stringStart(field, refPos);
    return TarText.decode(bytes, (int) start, (int) u32(start - 4));
  }

  /** The raw bytes of the string the uoffset at {@code refPos} points to. */
  byte[] stringBytesAt(String field, long refPos) throws ZtocFormatException {
    long start = stringStart(field, refPos);
    return copy(start, u32(start - 4));
  }

  byte[] copy(long pos, long len) {
    return Arrays.copyOfRange(bytes, (int) pos, (int) (pos + len));
  }

  byte i8(long pos) {
    return bytes[(int) pos];
  }

  int u16(long pos) {
    int p = (int) pos;
    return (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8;
  }

  int i32(long pos) {
    int p = (int) pos;
    return (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8 | (bytes[p + 2] & 0xFF) << 16
        | (bytes[p + 3] & 0xFF) << 24;
  }

  long u32(long pos) {
    return i32(pos) & 0xFFFFFFFFL;
  }

  long i64(long pos) {
    return (i32(pos) & 0xFFFFFFFFL) | (long) i32(pos + 4) << 32;
  }
}
