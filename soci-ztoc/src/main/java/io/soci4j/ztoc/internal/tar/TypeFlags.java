package io.soci4j.ztoc.internal.tar;

import io.soci4j.ztoc.EntryType;

/** Tar type flags: which carry data, which are extension headers, and upstream's TOC type names. */
final class TypeFlags {
  static final byte REG = '0';
  static final byte REG_A = 0;
  static final byte DIR = '5';
  static final byte PAX_LOCAL = 'x';
  static final byte PAX_GLOBAL = 'g';
  static final byte GNU_LONG_NAME = 'L';
  static final byte GNU_LONG_LINK = 'K';

  private TypeFlags() {}

  /** {@return whether the flag marks a header whose data describes the next member} */
  static boolean isExtension(byte flag) {
    return flag == PAX_LOCAL || flag == PAX_GLOBAL || flag == GNU_LONG_NAME || flag == GNU_LONG_LINK;
  }

  /** {@return the TOC type upstream's {@code getType} gives the flag, or null when it refuses it} */
  static EntryType entryType(byte flag) {
    switch (flag) {
      case '0': return EntryType.REGULAR;
      case '1': return EntryType.HARDLINK;
      case '2': return EntryType.SYMLINK;
      case '3': return EntryType.CHAR;
      case '4': return EntryType.BLOCK;
      case '5': return EntryType.DIRECTORY;
      case '6': return EntryType.FIFO;
      default: return null;
    }
  }

  /**
   * The flag as Go's {@code %q} prints a byte, for upstream's message {@code unsupported input tar
   * entry 'S'}: printable characters (the byte read as a Latin-1 code point) as they are, C
   * escapes for control characters, else Go's hexadecimal escapes (x and u forms).
   */
  static String quote(byte flag) {
    int c = flag & 0xFF;
    String body;
    switch (c) {
      case 7: body = "\\a"; break;
      case 8: body = "\\b"; break;
      case 9: body = "\\t"; break;
      case 10: body = "\\n"; break;
      case 11: body = "\\v"; break;
      case 12: body = "\\f"; break;
      case 13: body = "\\r"; break;
      case '\'': body = "\\'"; break;
      case '\\': body = "\\\\"; break;
      default:
        if (c >= 0x20 && c < 0x7F || c >= 0xA1 && c != 0xAD) {
          body = String.valueOf((char) c); // Go's strconv.IsPrint
        } else if (c < 0x80) {
          body = String.format("\\x%02x", c);
        } else {
          body = String.format("\\u%04x", c);
        }
    }
    return "'" + body + "'";
  }
}
