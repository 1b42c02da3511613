package io.soci4j.registry.internal.http;

import java.net.ProtocolException;

/**
 * A {@code Content-Range: bytes <first>-<last>/<total>} header (RFC 9110 §14.4).
 *
 * @param first first byte position
 * @param last last byte position, inclusive
 * @param total the complete length, or -1 for {@code *}
 */
public record ContentRange(long first, long last, long total) {

  /**
   * @param header the header value
   * @return the range
   * @throws ProtocolException when the header is missing or not a satisfied byte range
   */
  public static ContentRange parse(String header) throws ProtocolException {
    if (header == null) {
      throw new ProtocolException("206 answer without Content-Range");
    }
    String v = header.trim();
    try {
      if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
        throw new NumberFormatException();
      }
      int dash = v.indexOf('-', 6);
      int slash = v.indexOf('/', dash);
      long first = Long.parseLong(v.substring(6, dash).trim());
      long last = Long.parseLong(v.substring(dash + 1, slash).trim());
      String t = v.substring(slash + 1).trim();
      long total = t.equals("*") ? -1 : Long.parseLong(t);
      if (first < 0 || last < first || (total >= 0 && last >= total)) {
        throw new NumberFormatException();
      }
      return new ContentRange(first, last, total);
    } catch (RuntimeException e) {
      throw new ProtocolException("invalid Content-Range '" + v + "'");
    }
  }

  /** {@return the number of bytes in the range} */
  public long length() {
    return last - first + 1;
  }
}
