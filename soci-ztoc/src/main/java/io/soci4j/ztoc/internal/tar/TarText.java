package io.soci4j.ztoc.internal.tar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Text of tar headers and zTOC strings, which are bytes that are usually but not always UTF-8.
 *
 * <p>{@link #decode} turns valid UTF-8 into the usual chars and every byte that is not part of a
 * well-formed UTF-8 sequence into the lone surrogate {@code U+DC00 + byte} (Python's
 * "surrogateescape"); {@link #encode} reverses it. So {@code encode(decode(b))} is {@code b} for
 * any bytes, and a name that is not UTF-8 survives a round trip through a {@link String}.
 */
public final class TarText {
  private static final int ESCAPE_BASE = 0xDC00;
  private static final char FIRST_ESCAPE = 0xDC80;
  private static final char LAST_ESCAPE = 0xDCFF;

  private TarText() {}

  /**
   * Decodes bytes, escaping the ones that are not well-formed UTF-8.
   *
   * @param b the array
   * @param off first byte
   * @param len number of bytes
   * @return the text
   * @throws IndexOutOfBoundsException when the range is not inside {@code b}
   */
  public static String decode(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    int end = off + len;
    int i = off;
    while (i < end && b[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    StringBuilder sb = new StringBuilder(len);
    sb.append(new String(b, off, i - off, StandardCharsets.ISO_8859_1));
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
      int cp = c & (0xFF >> (n + 1));
      for (int k = 1; k < n; k++) {
        cp = (cp << 6) | (b[i + k] & 0x3F);
      }
      sb.appendCodePoint(cp);
      i += n;
    }
    return sb.toString();
  }

  /**
   * Length of the well-formed UTF-8 sequence (Unicode table 3-7) starting with the non-ASCII byte
   * at {@code i}, or 0 when there is none.
   */
  private static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) {
        lo = 0xA0; // no overlong forms
      } else if (c == 0xED) {
        hi = 0x9F; // no surrogates
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) {
        lo = 0x90; // no overlong forms
      } else if (c == 0xF4) {
        hi = 0x8F; // nothing above U+10FFFF
      }
    } else {
      return 0;
    }
    if (end - i < n) {
      return 0;
    }
    int c1 = b[i + 1] & 0xFF;
    if (c1 < lo || c1 > hi) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int ck = b[i + k] & 0xFF;
      if (ck < 0x80 || ck > 0xBF) {
        return 0;
      }
    }
    return n;
  }

  /**
   * Encodes text as UTF-8, turning each lone {@code U+DC80..U+DCFF} back into its raw byte.
   *
   * @param s the text
   * @return its bytes
   * @throws IllegalArgumentException when {@code s} holds a lone surrogate outside {@code
   *     U+DC80..U+DCFF}, which no byte sequence decodes to
   */
  public static byte[] encode(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && s.charAt(i) < 0x80) {
      i++;
    }
    if (i == n) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    byte[] out = new byte[i + (n - i) * 3];
    int o = 0;
    for (int k = 0; k < i; k++) {
      out[o++] = (byte) s.charAt(k);
    }
    while (i < n) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[o++] = (byte) c;
      } else if (c < 0x800) {
        out[o++] = (byte) (0xC0 | (c >> 6));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(i + 1));
        out[o++] = (byte) (0xF0 | (cp >> 18));
        out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (cp & 0x3F));
        i++;
      } else if (c >= FIRST_ESCAPE && c <= LAST_ESCAPE) {
        out[o++] = (byte) (c - ESCAPE_BASE);
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(String.format(
            "lone surrogate U+%04X at index %d of '%s' stands for no byte", (int) c, i, s));
      } else {
        out[o++] = (byte) (0xE0 | (c >> 12));
        out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      }
      i++;
    }
    return Arrays.copyOf(out, o);
  }
}
