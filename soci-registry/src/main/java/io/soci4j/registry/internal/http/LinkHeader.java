package io.soci4j.registry.internal.http;

import java.util.List;
import java.util.Locale;

/** The {@code rel="next"} target of {@code Link} headers (RFC 8288), as used for pagination. */
public final class LinkHeader {
  private LinkHeader() {}

  /**
   * @param values the {@code Link} header values
   * @return the URI reference of the first link with {@code rel=next}, or null
   */
  public static String next(List<String> values) {
    for (String value : values) {
      int i = 0;
      while (true) {
        int open = value.indexOf('<', i);
        int close = open < 0 ? -1 : value.indexOf('>', open);
        if (close < 0) {
          break;
        }
        int end = value.indexOf('<', close);
        String params = value.substring(close + 1, end < 0 ? value.length() : end);
        for (String p : params.split(";")) {
          String param = p.trim().toLowerCase(Locale.ROOT).replace(" ", "");
          if (param.endsWith(",")) {
            param = param.substring(0, param.length() - 1);
          }
          if (param.startsWith("rel=")) {
            String rel = param.substring(4).replace("\"", "");
            if (List.of(rel.split("\\s+")).contains("next")) {
              return value.substring(open + 1, close).trim();
            }
          }
        }
        i = close + 1;
      }
    }
    return null;
  }
}
