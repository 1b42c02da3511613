package io.soci4j.ztoc.internal.tar;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A point in time as Go's {@code time.Time} holds what {@code archive/tar} reads: Unix seconds
 * and nanoseconds, and its text as upstream stores it in a zTOC ({@code time.Time.MarshalText}).
 *
 * @param seconds Unix seconds
 * @param nanos nanoseconds, {@code 0 <= nanos < 1e9}
 */
record GoTime(long seconds, int nanos) {
  private static final int NANOS_PER_SECOND = 1_000_000_000;
  /** 0000-01-01T00:00:00Z, first instant {@code MarshalText} accepts. */
  private static final long MIN_TEXT_SECONDS = -62_167_219_200L;
  /** 10000-01-01T00:00:00Z, first instant {@code MarshalText} refuses. */
  private static final long END_TEXT_SECONDS = 253_402_300_800L;
  private static final int MAX_FRACTION_DIGITS = 9;

  /**
   * As Go's {@code time.Unix(sec, nsec)}: nanoseconds outside {@code [0, 1e9)} are carried into
   * the seconds (with Go's wrap-around on overflow).
   */
  static GoTime unix(long sec, long nsec) {
    if (nsec < 0 || nsec >= NANOS_PER_SECOND) {
      long n = nsec / NANOS_PER_SECOND;
      sec += n;
      nsec -= n * NANOS_PER_SECOND;
      if (nsec < 0) {
        nsec += NANOS_PER_SECOND;
        sec--;
      }
    }
    return new GoTime(sec, (int) nsec);
  }

  /**
   * Parses a PAX time record ({@code mtime}, {@code atime}, {@code ctime}) as Go's {@code
   * parsePAXTime}: {@code [sign]seconds[.fraction]}, the fraction right-padded or truncated to 9
   * digits and negated when the seconds text starts with {@code -}.
   *
   * @throws NumberFormatException when malformed
   */
  static GoTime parsePax(byte[] v) {
    int dot = -1;
    for (int i = 0; i < v.length; i++) {
      if (v[i] == '.') {
        dot = i;
        break;
      }
    }
    int secondsLen = dot < 0 ? v.length : dot;
    long secs = TarNumbers.parseDecimal(v, 0, secondsLen);
    int fracStart = secondsLen + 1;
    if (dot < 0 || fracStart == v.length) {
      return unix(secs, 0);
    }
    long nsecs = 0;
    for (int i = fracStart; i < v.length; i++) {
      int d = v[i] - '0';
      if (d < 0 || d > 9) {
        throw new NumberFormatException("invalid digit in PAX time fraction");
      }
      if (i - fracStart < MAX_FRACTION_DIGITS) {
        nsecs = nsecs * 10 + d;
      }
    }
    for (int n = v.length - fracStart; n < MAX_FRACTION_DIGITS; n++) {
      nsecs *= 10;
    }
    if (v[0] == '-') {
      nsecs = -nsecs;
    }
    return unix(secs, nsecs);
  }

  /**
   * The text upstream stores: Go's {@code MarshalText} in UTC, i.e. RFC 3339 with up to nine
   * fraction digits, trailing zeros (and a zero fraction) dropped, {@code Z} zone, e.g. {@code
   * 2024-01-02T03:04:05.5Z}. Go refuses years outside 0..9999 there and upstream ignores the
   * error, storing an empty string; so does this.
   *
   * @return the text, or {@code ""} for years outside 0..9999
   */
  String marshalText() {
    if (seconds < MIN_TEXT_SECONDS || seconds >= END_TEXT_SECONDS) {
      return "";
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(30);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    if (nanos != 0) {
      int digits = MAX_FRACTION_DIGITS;
      int f = nanos;
      while (f % 10 == 0) {
        f /= 10;
        digits--;
      }
      sb.append('.');
      pad(sb, f, digits);
    }
    return sb.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
