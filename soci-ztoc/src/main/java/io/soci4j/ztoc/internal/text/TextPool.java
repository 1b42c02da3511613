package io.soci4j.ztoc.internal.text;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance per distinct value of fields that repeat across a layer's entries (owner and
 * group names, modification times, link targets): a layer of 400,000 entries then holds a few
 * thousand strings for them instead of 1.6 million. Holds at most {@value #MAX} values; later new
 * values are returned as they are. Not thread-safe: one per parse.
 */
public final class TextPool {
  /** Distinct values kept at most. */
  static final int MAX = 8192;

  private final Map<String, String> values = new HashMap<>();

  /**
   * @param s a value
   * @return an equal value, the same instance as earlier equal ones where possible
   */
  public String of(String s) {
    if (s.isEmpty()) {
      return "";
    }
    String known = values.get(s);
    if (known != null) {
      return known;
    }
    if (values.size() < MAX) {
      values.put(s, s);
    }
    return s;
  }
}
