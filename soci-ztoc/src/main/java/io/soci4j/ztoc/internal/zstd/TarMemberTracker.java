package io.soci4j.ztoc.internal.zstd;

/**
 * Follows a tar stream pushed in chunks and tells where its members start (header offsets), so a
 * frame writer can cut frames between members. It reads only each header's size and type, as Go's
 * archive/tar does (header-only types carry no data whatever their size field says). It is a hint,
 * not a parser: at the end-of-archive zero block, or at a header it cannot read, it stops
 * reporting boundaries and the writer falls back to cutting by size.
 */
final class TarMemberTracker {
  /** Tar block size. */
  static final int BLOCK = 512;

  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  private long position;
  /** Offset of the next header, or -1 when no more boundaries are known. */
  private long nextHeader;

  /**
   * Follows more of the stream.
   *
   * @param buf tar bytes
   * @param off first byte
   * @param len number of bytes
   */
  void accept(byte[] buf, int off, int len) {
    int p = off;
    int end = off + len;
    while (p < end && nextHeader >= 0) {
      if (position < nextHeader) {
        int n = (int) Math.min(end - p, nextHeader - position);
        p += n;
        position += n;
        continue;
      }
      int n = Math.min(end - p, BLOCK - headerFill);
      System.arraycopy(buf, p, header, headerFill, n);
      headerFill += n;
      p += n;
      position += n;
      if (headerFill == BLOCK) {
        headerFill = 0;
        nextHeader = next();
      }
    }
    position += end - p;
  }

  /**
   * The next member boundary at or after the current position.
   *
   * @return its offset; -1 when none is known (after the end of the archive, or lost); -2 while a
   *     header is being read (ask again at {@link #headerEnd()})
   */
  long nextBoundary() {
    if (nextHeader < 0) {
      return -1;
    }
    return headerFill > 0 ? -2 : nextHeader;
  }

  /** @return the offset just after the header being read (meaningful when {@link #nextBoundary} is -2) */
  long headerEnd() {
    return nextHeader + BLOCK;
  }

  private long next() {
    boolean zero = true;
    for (byte b : header) {
      if (b != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      return -1;
    }
    long size = size();
    if (size < 0) {
      return -1;
    }
    byte type = header[156];
    boolean headerOnly = type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6';
    long data = headerOnly ? 0 : size;
    return nextHeader + BLOCK + (data + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** The size field: octal, or base-256 when its first byte has the high bit set; -1 if unreadable. */
  private long size() {
    int off = 124;
    int len = 12;
    if ((header[off] & 0x80) != 0) {
      long v = header[off] & 0x7F;
      for (int i = 1; i < len; i++) {
        if (v > (Long.MAX_VALUE >> 9)) {
          return -1;
        }
        v = (v << 8) | (header[off + i] & 0xFF);
      }
      return v;
    }
    long v = 0;
    boolean digits = false;
    for (int i = 0; i < len; i++) {
      int c = header[off + i];
      if (c == 0 || c == ' ') {
        if (digits) {
          break;
        }
        continue;
      }
      if (c < '0' || c > '7') {
        return -1;
      }
      v = v * 8 + (c - '0');
      digits = true;
    }
    return v;
  }
}
