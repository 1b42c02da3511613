package io.soci4j.ztoc.internal.tar;

/**
 * Number and string fields of tar headers and PAX records, parsed as Go's {@code archive/tar}
 * ({@code strconv.go}) and {@code strconv.ParseInt} do. Failures throw {@link
 * NumberFormatException}; callers turn them into layer errors naming the field.
 */
final class TarNumbers {
  private TarNumbers() {}

  /**
   * Length of a NUL-terminated string field (Go's {@code parseString}): up to the first NUL, or
   * the whole field.
   */
  static int cStringLength(byte[] b, int off, int len) {
    for (int i = 0; i < len; i++) {
      if (b[off + i] == 0) {
        return i;
      }
    }
    return len;
  }

  /**
   * A numeric header field (Go's {@code parseNumeric}): GNU base-256 two's complement when the
   * first byte has its high bit set, else octal.
   */
  static long parseNumeric(byte[] b, int off, int len) {
    if (len > 0 && (b[off] & 0x80) != 0) {
      int inv = (b[off] & 0x40) != 0 ? 0xFF : 0x00; // negative: invert the bytes
      long x = 0;
      for (int i = 0; i < len; i++) {
        int c = (b[off + i] & 0xFF) ^ inv;
        if (i == 0) {
          c &= 0x7F; // ignore the marker bit
        }
        if ((x >>> 56) != 0) {
          throw new NumberFormatException("base-256 value overflows 64 bits");
        }
        x = (x << 8) | c;
      }
      if ((x >>> 63) != 0) {
        throw new NumberFormatException("base-256 value overflows 63 bits");
      }
      return inv == 0xFF ? ~x : x;
    }
    return parseOctal(b, off, len);
  }

  /**
   * An octal field (Go's {@code parseOctal}): leading and trailing spaces and NULs are trimmed,
   * then the text up to the first NUL is parsed as an unsigned 64-bit octal number (the result is
   * reinterpreted as signed, as Go does); an empty field is 0.
   */
  static long parseOctal(byte[] b, int off, int len) {
    int start = off;
    int end = off + len;
    while (start < end && (b[start] == ' ' || b[start] == 0)) {
      start++;
    }
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == 0)) {
      end--;
    }
    if (start == end) {
      return 0;
    }
    end = start + cStringLength(b, start, end - start); // never empty: b[start] is not NUL
    long x = 0;
    for (int i = start; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 7) {
        throw new NumberFormatException("invalid octal digit 0x" + Integer.toHexString(b[i] & 0xFF));
      }
      if ((x >>> 61) != 0) {
        throw new NumberFormatException("octal value overflows 64 bits");
      }
      x = (x << 3) | d;
    }
    return x;
  }

  /**
   * A decimal number as Go's {@code strconv.ParseInt(s, 10, 64)}: an optional {@code +} or
   * {@code -}, then at least one ASCII digit, within the signed 64-bit range.
   */
  static long parseDecimal(byte[] b, int off, int len) {
    if (len == 0) {
      throw new NumberFormatException("empty number");
    }
    int i = off;
    int end = off + len;
    boolean negative = false;
    if (b[i] == '+' || b[i] == '-') {
      negative = b[i] == '-';
      i++;
      if (i == end) {
        throw new NumberFormatException("sign without digits");
      }
    }
    long x = 0; // unsigned accumulator
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw new NumberFormatException("invalid decimal digit 0x" + Integer.toHexString(b[i] & 0xFF));
      }
      if (Long.compareUnsigned(x, Long.divideUnsigned(-1L, 10)) > 0) {
        throw new NumberFormatException("decimal value out of range");
      }
      long next = x * 10 + d;
      if (Long.compareUnsigned(next, x * 10) < 0) {
        throw new NumberFormatException("decimal value out of range");
      }
      x = next;
    }
    if (!negative && x < 0) {
      throw new NumberFormatException("decimal value out of range");
    }
    if (negative && Long.compareUnsigned(x, Long.MIN_VALUE) > 0) {
      throw new NumberFormatException("decimal value out of range");
    }
    return negative ? -x : x;
  }

  /** {@link #parseDecimal} on a whole array. */
  static long parseDecimal(byte[] b) {
    return parseDecimal(b, 0, b.length);
  }
}
