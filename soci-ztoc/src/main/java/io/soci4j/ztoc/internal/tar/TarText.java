package io.soci4j.ztoc.internal.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text of tar headers and PAX records as Java strings, without losing bytes.
 *
 * <p>Tar stores names as bytes; most are UTF-8, some are not (old archives in Latin-1, binary
 * xattr keys). {@link #decode} turns valid UTF-8 into the usual characters and each byte that is
 * not part of a valid UTF-8 sequence into the char {@code U+DC00 + byte} (a lone low surrogate,
 * as Python's "surrogateescape"); {@link #encode} reverses it, so {@code encode(decode(b))} gives
 * {@code b} back for every byte array. Valid UTF-8 follows Go's {@code utf8.Valid}: no overlong
 * forms, no surrogates, nothing above {@code U+10FFFF}.
 */
public final class TarText {
  private static final int ESCAPE_BASE = 0xDC00;

  private TarText() {}

  /**
   * Decodes tar bytes.
   *
   * @param b the bytes
   * @param off first byte
   * @param len number of bytes
   * @return the text; invalid bytes {@code x} become {@code U+DC00 + x}
   */
  public static String decode(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end && b[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    StringBuilder sb = new StringBuilder(len);
    for (int k = off; k < i; k++) {
      sb.append((char) b[k]);
    }
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        sb.append((char) c);
        i++;
        continue;
      }
      int n = sequenceLength(b, i, end);
      if (n == 0) {
        sb.append((char) (ESCAPE_BASE + c));
        i++;
        continue;
      }
      int cp;
      if (n == 2) {
        cp = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
      } else if (n == 3) {
        cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
      } else {
        cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6)
            | (b[i + 3] & 0x3F);
      }
      sb.appendCodePoint(cp);
      i += n;
    }
    return sb.toString();
  }

  /**
   * Encodes text back to tar bytes: chars {@code U+DC80..U+DCFF} become the single byte they
   * escape, everything else UTF-8.
   *
   * @param s text, usually from {@link #decode}
   * @return the bytes
   * @throws IllegalArgumentException if {@code s} holds a lone surrogate that is not an escape
   */
  public static byte[] encode(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(n + 16);
    for (int i = 0; i < n; ) {
      char ch = s.charAt(i);
      if (ch >= ESCAPE_BASE + 0x80 && ch <= ESCAPE_BASE + 0xFF) {
        out.write(ch - ESCAPE_BASE);
        i++;
        continue;
      }
      int cp = s.codePointAt(i);
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        throw new IllegalArgumentException(
            "lone surrogate U+" + Integer.toHexString(cp).toUpperCase() + " at index " + i
                + " is neither valid text nor an escaped byte");
      }
      if (cp < 0x80) {
        out.write(cp);
      } else if (cp < 0x800) {
        out.write(0xC0 | (cp >> 6));
        out.write(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out.write(0xE0 | (cp >> 12));
        out.write(0x80 | ((cp >> 6) & 0x3F));
        out.write(0x80 | (cp & 0x3F));
      } else {
        out.write(0xF0 | (cp >> 18));
        out.write(0x80 | ((cp >> 12) & 0x3F));
        out.write(0x80 | ((cp >> 6) & 0x3F));
        out.write(0x80 | (cp & 0x3F));
      }
      i += Character.charCount(cp);
    }
    return out.toByteArray();
  }

  /** Length of the valid UTF-8 sequence starting at {@code i} (lead byte >= 0x80), or 0. */
  private static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    if (c < 0xC2) {
      return 0; // continuation byte or overlong 2-byte lead
    }
    if (c < 0xE0) {
      return i + 1 < end && isCont(b[i + 1]) ? 2 : 0;
    }
    if (c < 0xF0) {
      if (i + 2 >= end) {
        return 0;
      }
      int c1 = b[i + 1] & 0xFF;
      int lo = c == 0xE0 ? 0xA0 : 0x80; // no overlong forms
      int hi = c == 0xED ? 0x9F : 0xBF; // no surrogates
      return c1 >= lo && c1 <= hi && isCont(b[i + 2]) ? 3 : 0;
    }
    if (c < 0xF5) {
      if (i + 3 >= end) {
        return 0;
      }
      int c1 = b[i + 1] & 0xFF;
      int lo = c == 0xF0 ? 0x90 : 0x80; // no overlong forms
      int hi = c == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
      return c1 >= lo && c1 <= hi && isCont(b[i + 2]) && isCont(b[i + 3]) ? 4 : 0;
    }
    return 0;
  }

  private static boolean isCont(byte x) {
    return (x & 0xC0) == 0x80;
  }
}
