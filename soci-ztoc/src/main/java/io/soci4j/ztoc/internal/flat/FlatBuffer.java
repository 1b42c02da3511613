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
  /** Bytes at positions {@code [0, head.length)}. */
  private final byte[] head;
  /** Bytes at positions {@code [tailStart, tailStart + tail.length)}; empty for a whole buffer. */
  private final byte[] tail;
  private final long tailStart;
  /** Length of the whole buffer, of which only head and tail may be held. */
  private final long length;
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
    this(bytes, new byte[0], bytes.length, bytes.length, rootPath);
  }

  private FlatBuffer(byte[] head, byte[] tail, long tailStart, long length, String rootPath) {
    this.head = head;
    this.tail = tail;
    this.tailStart = tailStart;
    this.length = length;
    this.rootPath = rootPath;
  }

  /**
   * A buffer of which only the start and the end were read: positions between them (a large
   * vector skipped on purpose) cannot be read, and any offset, table, vector or string reaching
   * into them is refused like one outside the buffer. {@link FlatTable#vectorExtent} locates a
   * vector there without reading it.
   *
   * @param head the bytes at positions {@code [0, head.length)}
   * @param tail the bytes at positions {@code [tailStart, length)}
   * @param tailStart where the tail starts, at least {@code head.length}
   * @param length length of the whole buffer
   * @param rootPath as {@link #FlatBuffer(byte[], String)}
   * @return the buffer (the arrays are not copied)
   * @throws IllegalArgumentException when the tail does not start after a gap after the head and end at
   *     {@code length}
   */
  public static FlatBuffer partial(byte[] head, byte[] tail, long tailStart, long length, String rootPath) {
    if (tailStart <= head.length || tailStart + tail.length != length) {
      throw new IllegalArgumentException("head of " + head.length + " bytes and tail of " + tail.length
          + " bytes at " + tailStart + " do not fit a " + length + "-byte buffer");
    }
    return new FlatBuffer(head, tail, tailStart, length, rootPath);
  }

  /** {@return the buffer length} */
  public long length() {
    return length;
  }

  /**
   * The root table.
   *
   * @return the table the offset at position 0 points to
   * @throws ZtocFormatException when the root offset or the table's vtable is out of range
   */
  public FlatTable root() throws ZtocFormatException {
    if (end(0) < 4) {
      throw new ZtocFormatException(rootPath.isEmpty() ? "root" : rootPath, 0,
          "buffer of " + length + " bytes is too short to hold a root offset");
    }
    return tableAt(rootPath, 0);
  }

  /** End of the bytes held that contain {@code pos}; {@code pos} itself when none do. */
  private long end(long pos) {
    if (pos >= 0 && pos < head.length) {
      return head.length;
    }
    if (pos >= tailStart && pos < length) {
      return length;
    }
    return pos;
  }

  /**
   * The error for bytes {@code [pos, pos + size)} that are not held: a {@link NotHeldException}
   * when they lie inside the whole buffer (in the part not read), else a plain one.
   */
  private ZtocFormatException outside(long pos, long size, String field, long at, String problem) {
    return pos >= 0 && pos + size <= length ? new NotHeldException(field, at, problem)
        : new ZtocFormatException(field, at, problem);
  }

  /**
   * Something lies (at least partly) in the part of a {@linkplain #partial partial buffer} that
   * was not read.
   */
  public static final class NotHeldException extends ZtocFormatException {
    private static final long serialVersionUID = 1L;

    NotHeldException(String field, long offset, String problem) {
      super(field, offset, problem);
    }
  }

  /** {@return "the N-byte buffer", or which parts of it were read} */
  private String what() {
    return tailStart == head.length ? "the " + length + "-byte buffer"
        : "the bytes read ([0, " + head.length + ") and [" + tailStart + ", " + length + ")) of the "
            + length + "-byte buffer";
  }

  /** Follows the uoffset stored at {@code pos} (already known to be inside the buffer). */
  long follow(String field, long pos) throws ZtocFormatException {
    long off = u32(pos);
    long target = pos + off;
    if (target + 4 > end(target)) {
      throw outside(target, 4, field, pos, "offset " + off + " points to " + target
          + ", outside " + what());
    }
    if ((target & 3) != 0) {
      throw new ZtocFormatException(field, pos, "offset " + off + " points to " + target
          + ", which is not 4-byte aligned");
    }
    return target;
  }

  /** Where the uoffset at {@code pos} points, checked only to lie inside the whole buffer. */
  long target(String field, long pos) throws ZtocFormatException {
    long off = u32(pos);
    long target = pos + off;
    if (target + 4 > length || (target & 3) != 0) {
      throw new ZtocFormatException(field, pos, "offset " + off + " points to " + target
          + ", outside the " + length + "-byte buffer or not 4-byte aligned");
    }
    return target;
  }

  /** The table the uoffset at {@code refPos} points to; {@code path} names it. */
  FlatTable tableAt(String path, long refPos) throws ZtocFormatException {
    String name = path.isEmpty() ? "root" : path;
    long pos = follow(name, refPos);
    int soffset = i32(pos);
    long vt = pos - soffset;
    if (vt < 0 || vt + 4 > end(vt)) {
      throw outside(vt, 4, name, pos, "vtable offset " + soffset + " points to " + vt
          + ", outside " + what());
    }
    if ((vt & 1) != 0) {
      throw new ZtocFormatException(name, pos, "vtable at " + vt + " is not 2-byte aligned");
    }
    int vtSize = u16(vt);
    int objSize = u16(vt + 2);
    if (vtSize < 4 || (vtSize & 1) != 0 || vt + vtSize > end(vt)) {
      throw outside(vtSize < 4 || (vtSize & 1) != 0 ? -1 : vt, vtSize, name, vt, "vtable size " + vtSize
          + " is not an even size from 4 that fits in " + what());
    }
    if (objSize < 4 || pos + objSize > end(pos)) {
      throw outside(objSize < 4 ? -1 : pos, objSize, name, vt + 2, "table size " + objSize + " of the table at "
          + pos + " is below 4 or runs past the end of " + what());
    }
    charge(name, pos, objSize);
    return new FlatTable(this, path, pos, vt, vtSize, objSize);
  }

  /** The vector the uoffset at {@code refPos} points to. */
  FlatVector vectorAt(String field, long refPos, int elemSize) throws ZtocFormatException {
    long pos = follow(field, refPos);
    long count = u32(pos);
    if (count > (end(pos) - pos - 4) / elemSize) {
      throw outside(pos, 4 + count * elemSize, field, pos, "vector of " + count + " elements of " + elemSize
          + " bytes runs past the end of " + what());
    }
    charge(field, pos, 4 + count * elemSize);
    return new FlatVector(this, field, pos + 4, (int) count, elemSize);
  }

  /**
   * Where the vector the uoffset at {@code refPos} points to lies, without reading its elements:
   * only its length must be held; its elements must fit in the whole buffer.
   */
  long[] vectorExtentAt(String field, long refPos, int elemSize) throws ZtocFormatException {
    long pos = follow(field, refPos);
    long count = u32(pos);
    if (count > (length - pos - 4) / elemSize) {
      throw new ZtocFormatException(field, pos, "vector of " + count + " elements of " + elemSize
          + " bytes runs past the end of the " + length + "-byte buffer");
    }
    return new long[] {pos + 4, count * elemSize};
  }

  /** Position of the first byte of the string the uoffset at {@code refPos} points to. */
  private long stringStart(String field, long refPos) throws ZtocFormatException {
    long pos = follow(field, refPos);
    long len = u32(pos);
    if (len >= end(pos) - pos - 4) {
      throw outside(pos, 4 + len + 1, field, pos, "string of " + len
          + " bytes and its terminator run past the end of " + what());
    }
    if (i8(pos + 4 + len) != 0) {
      throw new ZtocFormatException(field, pos + 4 + len, "string of " + len
          + " bytes is not zero-terminated");
    }
    charge(field, pos, 4 + len + 1);
    return pos + 4;
  }

  private void charge(String field, long pos, long size) throws ZtocFormatException {
    charged += size;
    if (charged > head.length + (long) tail.length) {
      throw new ZtocFormatException(field, pos, "objects are shared or overlap: reading them "
          + "takes more than the " + (head.length + (long) tail.length) + " bytes " + what() + " holds");
    }
  }

  /** The string the uoffset at {@code refPos} points to, decoded with {@link TarText}. */
  String stringAt(String field, long refPos) throws ZtocFormatException {
    long start = stringStart(field, refPos);
    int len = (int) u32(start - 4);
    return start < head.length ? TarText.decode(head, (int) start, len)
        : TarText.decode(tail, (int) (start - tailStart), len);
  }

  /** The raw bytes of the string the uoffset at {@code refPos} points to. */
  byte[] stringBytesAt(String field, long refPos) throws ZtocFormatException {
    long start = stringStart(field, refPos);
    return copy(start, u32(start - 4));
  }

  /** Copies bytes known to lie in one held part. */
  byte[] copy(long pos, long len) {
    return pos < head.length ? Arrays.copyOfRange(head, (int) pos, (int) (pos + len))
        : Arrays.copyOfRange(tail, (int) (pos - tailStart), (int) (pos - tailStart + len));
  }

  byte i8(long pos) {
    return pos < head.length ? head[(int) pos] : tail[(int) (pos - tailStart)];
  }

  int u16(long pos) {
    return (i8(pos) & 0xFF) | (i8(pos + 1) & 0xFF) << 8;
  }

  int i32(long pos) {
    if (pos + 4 <= head.length) {
      int p = (int) pos;
      return (head[p] & 0xFF) | (head[p + 1] & 0xFF) << 8 | (head[p + 2] & 0xFF) << 16
          | (head[p + 3] & 0xFF) << 24;
    }
    int p = (int) (pos - tailStart);
    return (tail[p] & 0xFF) | (tail[p + 1] & 0xFF) << 8 | (tail[p + 2] & 0xFF) << 16
        | (tail[p + 3] & 0xFF) << 24;
  }

  long u32(long pos) {
    return i32(pos) & 0xFFFFFFFFL;
  }

  long i64(long pos) {
    return (i32(pos) & 0xFFFFFFFFL) | (long) i32(pos + 4) << 32;
  }
}
