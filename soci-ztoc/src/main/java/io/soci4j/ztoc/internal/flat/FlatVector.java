package io.soci4j.ztoc.internal.flat;

import io.soci4j.api.ZtocFormatException;

/** A vector of a {@link FlatBuffer} whose length has been checked against the buffer's end. */
public final class FlatVector {
  private final FlatBuffer buf;
  private final String path;
  private final long start;
  private final int length;
  private final int elemSize;

  FlatVector(FlatBuffer buf, String path, long start, int length, int elemSize) {
    this.buf = buf;
    this.path = path;
    this.start = start;
    this.length = length;
    this.elemSize = elemSize;
  }

  /** {@return the number of elements} */
  public int length() {
    return length;
  }

  /** {@return the position of element 0 (just after the length)} */
  public long position() {
    return start;
  }

  /**
   * The dotted path of an element.
   *
   * @param i element index
   * @return e.g. {@code toc.metadata[3]}
   */
  public String pathOf(int i) {
    return path + "[" + i + "]";
  }

  /**
   * Where an element is stored.
   *
   * @param i element index, {@code 0 <= i < length()}
   * @return its position in the buffer
   */
  public long elementPosition(int i) {
    return start + (long) i * elemSize;
  }

  /**
   * Reads an element that is an offset to a table.
   *
   * @param i element index, {@code 0 <= i < length()}
   * @return the table, whose path is {@link #pathOf(int)}
   * @throws ZtocFormatException when the offset or the table's vtable is out of range
   */
  public FlatTable table(int i) throws ZtocFormatException {
    return buf.tableAt(pathOf(i), checked(i, 4));
  }

  /**
   * Reads an element that is an offset to a string.
   *
   * @param i element index, {@code 0 <= i < length()}
   * @return the text, decoded with {@link io.soci4j.ztoc.internal.tar.TarText}
   * @throws ZtocFormatException when the string does not fit the buffer
   */
  public String string(int i) throws ZtocFormatException {
    return buf.stringAt(pathOf(i), checked(i, 4));
  }

  /** {@return a copy of the vector's bytes} (for vectors of bytes) */
  public byte[] bytes() {
    return buf.copy(start, (long) length * elemSize);
  }

  private long checked(int i, int size) {
    if (elemSize != size || i < 0 || i >= length) {
      throw new IllegalArgumentException("element " + i + " of " + size + " bytes is not in "
          + path + " (" + length + " elements of " + elemSize + " bytes)");
    }
    return elementPosition(i);
  }
}
