package io.soci4j.ztoc.internal.tar;

import io.soci4j.api.LayerFormatException;
import java.util.Arrays;

/**
 * One 512-byte tar header block, decoded as Go's {@code Reader.readHeader}: checksum (unsigned or
 * signed sum), format guess from the magic (V7, USTAR/PAX, GNU, STAR), numeric fields in octal
 * or GNU base-256, the USTAR/STAR {@code prefix} joined to the name, and GNU's fallback for
 * archives written by Go before 1.8 (a prefix in the atime/ctime bytes).
 */
final class TarHeader {
  static final int BLOCK_SIZE = 512;

  private static final int FORMAT_V7 = 1;
  private static final int FORMAT_USTAR = 2;
  private static final int FORMAT_GNU = 3;
  private static final int FORMAT_STAR = 4;

  final long offset;
  final byte typeFlag;
  final byte[] name;
  final byte[] linkName;
  final long size;
  final long mode;
  final long uid;
  final long gid;
  final long modTime;
  final byte[] uname;
  final byte[] gname;
  final long devMajor;
  final long devMinor;

  private TarHeader(long offset, byte[] b, int format) throws LayerFormatException {
    this.offset = offset;
    typeFlag = b[156];
    byte[] plainName = string(b, 0, 100);
    FieldReader f = new FieldReader(b, offset, plainName);
    linkName = string(b, 157, 100);
    size = f.numeric("size", 124, 12);
    mode = f.numeric("mode", 100, 8);
    uid = f.numeric("uid", 108, 8);
    gid = f.numeric("gid", 116, 8);
    modTime = f.numeric("mtime", 136, 12);
    if (format == FORMAT_V7) {
      uname = new byte[0];
      gname = new byte[0];
      devMajor = 0;
      devMinor = 0;
      name = plainName;
      return;
    }
    uname = string(b, 265, 32);
    gname = string(b, 297, 32);
    devMajor = f.numeric("devmajor", 329, 8);
    devMinor = f.numeric("devminor", 337, 8);
    byte[] prefix;
    if (format == FORMAT_USTAR) {
      prefix = string(b, 345, 155);
    } else if (format == FORMAT_STAR) {
      prefix = string(b, 345, 131);
      f.numeric("atime", 476, 12);
      f.numeric("ctime", 488, 12);
    } else {
      prefix = gnuBuggyPrefix(b);
    }
    name = prefix.length > 0 ? join(prefix, plainName) : plainName;
  }

  /**
   * Decodes a header block.
   *
   * @param b the block (512 bytes, not all zero)
   * @param offset its offset in the tar stream
   * @return the header
   * @throws LayerFormatException on a bad checksum or a malformed numeric field
   */
  static TarHeader parse(byte[] b, long offset) throws LayerFormatException {
    long stored;
    try {
      stored = TarNumbers.parseOctal(b, 148, 8);
    } catch (NumberFormatException e) {
      throw new LayerFormatException("invalid tar header: checksum field is not octal (" + e.getMessage() + ")",
          -1, offset, nameForMessage(b));
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK_SIZE; i++) {
      byte c = i >= 148 && i < 156 ? (byte) ' ' : b[i];
      unsigned += c & 0xFF;
      signed += c;
    }
    if (stored != unsigned && stored != signed) {
      throw new LayerFormatException("invalid tar header: checksum " + stored + " matches neither the unsigned sum "
          + unsigned + " nor the signed sum " + signed, -1, offset, nameForMessage(b));
    }
    return new TarHeader(offset, b, format(b));
  }

  private static int format(byte[] b) {
    boolean ustarMagic = equals(b, 257, "ustar\0");
    if (ustarMagic && equals(b, 508, "tar\0")) {
      return FORMAT_STAR;
    }
    if (ustarMagic) {
      return FORMAT_USTAR;
    }
    if (equals(b, 257, "ustar ") && equals(b, 263, " \0")) {
      return FORMAT_GNU;
    }
    return FORMAT_V7;
  }

  /**
   * GNU headers hold atime and ctime where USTAR has its prefix. Go before 1.8 wrote a prefix
   * there; Go reads such a header's prefix when the times do not parse and the prefix is ASCII.
   */
  private static byte[] gnuBuggyPrefix(byte[] b) {
    try {
      if (b[345] != 0) {
        TarNumbers.parseNumeric(b, 345, 12);
      }
      if (b[357] != 0) {
        TarNumbers.parseNumeric(b, 357, 12);
      }
      return new byte[0];
    } catch (NumberFormatException e) {
      byte[] prefix = string(b, 345, 155);
      for (byte c : prefix) {
        if (c < 0) {
          return new byte[0]; // not ASCII: Go keeps no prefix
        }
      }
      return prefix;
    }
  }

  /** Bytes of a NUL-terminated field. */
  static byte[] string(byte[] b, int off, int len) {
    return Arrays.copyOfRange(b, off, off + TarNumbers.cStringLength(b, off, len));
  }

  private static byte[] join(byte[] prefix, byte[] name) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
    out[prefix.length] = '/';
    System.arraycopy(name, 0, out, prefix.length + 1, name.length);
    return out;
  }

  private static boolean equals(byte[] b, int off, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (b[off + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String nameForMessage(byte[] b) {
    byte[] n = string(b, 0, 100);
    return n.length == 0 ? null : TarText.decode(n, 0, n.length);
  }

  /** Parses numeric fields, turning failures into layer errors that name the field. */
  private static final class FieldReader {
    private final byte[] b;
    private final long offset;
    private final byte[] name;

    FieldReader(byte[] b, long offset, byte[] name) {
      this.b = b;
      this.offset = offset;
      this.name = name;
    }

    long numeric(String field, int off, int len) throws LayerFormatException {
      try {
        return TarNumbers.parseNumeric(b, off, len);
      } catch (NumberFormatException e) {
        throw new LayerFormatException("invalid tar header: field '" + field + "' " + e.getMessage(), -1, offset,
            TarText.decode(name, 0, name.length));
      }
    }
  }
}
