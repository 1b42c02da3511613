package io.soci4j.ztoc.internal.flat;

import io.soci4j.api.ZtocFormatException;

/**
 * One table of a {@link FlatBuffer} whose vtable has been checked. Fields are read by slot number
 * (declaration order in the schema); each read checks that the field lies inside the table and is
 * aligned. A field that is absent reads as its default.
 */
public final class FlatTable {
  private final FlatBuffer buf;
  private final String path;
  private final long pos;
  private final long vtable;
  private final int vtableSize;
  private final int tableSize;

  FlatTable(FlatBuffer buf, String path, long pos, long vtable, int vtableSize, int tableSize) {
    this.buf = buf;
    this.path = path;
    this.pos = pos;
    this.vtable = vtable;
    this.vtableSize = vtableSize;
    this.tableSize = tableSize;
  }

  /** {@return the table's dotted path, empty for the root table} */
  public String path() {
    return path;
  }

  /** {@return the table's position in the buffer (where its vtable offset is stored)} */
  public long position() {
    return pos;
  }

  /** {@return the position of the table's vtable in the buffer} */
  public long vtablePosition() {
    return vtable;
  }

  /**
   * The dotted path of one of this table's fields.
   *
   * @param field the field's name in the schema
   * @return e.g. {@code toc.metadata[3].name}
   */
  public String pathOf(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /**
   * Where a field is stored, for error messages and tests.
   *
   * @param slot the field's slot
   * @return its position in the buffer, or -1 when it is absent (or the vtable entry is invalid)
   */
  public long fieldPosition(int slot) {
    int entry = 4 + 2 * slot;
    if (entry + 2 > vtableSize) {
      return -1;
    }
    int voffset = buf.u16(vtable + entry);
    return voffset == 0 || voffset < 4 || voffset >= tableSize ? -1 : pos + voffset;
  }

  /** Position of a field of {@code size} bytes after checking it fits and is aligned, or -1. */
  private long field(int slot, String name, int size) throws ZtocFormatException {
    int entry = 4 + 2 * slot;
    if (entry + 2 > vtableSize) {
      return -1;
    }
    int voffset = buf.u16(vtable + entry);
    if (voffset == 0) {
      return -1;
    }
    if (voffset < 4 || voffset + size > tableSize) {
      throw new ZtocFormatException(pathOf(name), vtable + entry, "field offset " + voffset
          + " does not leave room for " + size + " bytes in the " + tableSize + "-byte table at " + pos);
    }
    long p = pos + voffset;
    if (p % size != 0) {
      throw new ZtocFormatException(pathOf(name), p, size + "-byte field is not aligned");
    }
    return p;
  }

  /**
   * Reads a {@code long} field.
   *
   * @param slot field slot
   * @param name field name for errors
   * @param dflt value when absent
   * @return the value
   * @throws ZtocFormatException when the field does not fit the table
   */
  public long getLong(int slot, String name, long dflt) throws ZtocFormatException {
    long p = field(slot, name, 8);
    return p < 0 ? dflt : buf.i64(p);
  }

  /**
   * Reads an {@code int} (or {@code uint}, as its bits) field.
   *
   * @param slot field slot
   * @param name field name for errors
   * @param dflt value when absent
   * @return the value
   * @throws ZtocFormatException when the field does not fit the table
   */
  public int getInt(int slot, String name, int dflt) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? dflt : buf.i32(p);
  }

  /**
   * Reads a {@code byte} field.
   *
   * @param slot field slot
   * @param name field name for errors
   * @param dflt value when absent
   * @return the value
   * @throws ZtocFormatException when the field does not fit the table
   */
  public byte getByte(int slot, String name, byte dflt) throws ZtocFormatException {
    long p = field(slot, name, 1);
    return p < 0 ? dflt : buf.i8(p);
  }

  /**
   * Reads a table field.
   *
   * @param slot field slot
   * @param name field name, also the child's path segment
   * @return the table, or null when absent
   * @throws ZtocFormatException when the offset or the child's vtable is out of range
   */
  public FlatTable table(int slot, String name) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? null : buf.tableAt(pathOf(name), p);
  }

  /**
   * Reads a vector field.
   *
   * @param slot field slot
   * @param name field name, also the path of its elements ({@code name[i]})
   * @param elemSize bytes per element (4 for offsets to tables and strings)
   * @return the vector, or null when absent
   * @throws ZtocFormatException when the vector does not fit the buffer
   */
  public FlatVector vector(int slot, String name, int elemSize) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? null : buf.vectorAt(pathOf(name), p, elemSize);
  }

  /**
   * Reads a string field, decoded with {@link io.soci4j.ztoc.internal.tar.TarText}.
   *
   * @param slot field slot
   * @param name field name for errors
   * @return the text, or null when absent
   * @throws ZtocFormatException when the string does not fit the buffer or is not terminated
   */
  public String string(int slot, String name) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? null : buf.stringAt(pathOf(name), p);
  }

  /**
   * Reads a string field as raw bytes.
   *
   * @param slot field slot
   * @param name field name for errors
   * @return a copy of the bytes, or null when absent
   * @throws ZtocFormatException when the string does not fit the buffer or is not terminated
   */
  public byte[] stringBytes(int slot, String name) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? null : buf.stringBytesAt(pathOf(name), p);
  }

  /**
   * Where the object an offset field points to starts (a string's or vector's length, a table's
   * vtable offset), for error messages and tests.
   *
   * @param slot field slot
   * @param name field name for errors
   * @return the position, or -1 when absent
   * @throws ZtocFormatException when the offset is out of range
   */
  public long targetPosition(int slot, String name) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? -1 : buf.follow(pathOf(name), p);
  }

  /**
   * Where an offset field points, checked only to lie inside the whole buffer: for a {@linkplain
   * FlatBuffer#partial partial buffer}, to find which part of it to read.
   *
   * @param slot field slot
   * @param name field name for errors
   * @return the position, or -1 when absent
   * @throws ZtocFormatException when the field or its target is out of range
   */
  public long offsetTarget(int slot, String name) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? -1 : buf.target(pathOf(name), p);
  }

  /**
   * Where a vector field's elements lie, without reading them: only the vector's length must be
   * held (see {@link FlatBuffer#partial}); its elements must fit the whole buffer.
   *
   * @param slot field slot
   * @param name field name for errors
   * @param elemSize bytes per element
   * @return {position of the first element, bytes of elements}, or null when absent
   * @throws ZtocFormatException when the vector does not fit the buffer
   */
  public long[] vectorExtent(int slot, String name, int elemSize) throws ZtocFormatException {
    long p = field(slot, name, 4);
    return p < 0 ? null : buf.vectorExtentAt(pathOf(name), p, elemSize);
  }
}
