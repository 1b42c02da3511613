package io.soci4j.registry.layout.internal;

import java.util.regex.Pattern;

/** Tag syntax of the distribution spec: {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}. */
public final class Tags {
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private Tags() {}

  /**
   * Checks a tag.
   *
   * @param tag the tag
   * @return the tag
   * @throws IllegalArgumentException when it is not a valid tag
   */
  public static String check(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag '" + tag
          + "': want 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
    }
    return tag;
  }
}
