package io.soci4j.registry.layout.internal;

import io.soci4j.api.Descriptor;
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

  /**
   * Checks a tag, and that what it is to name is a manifest or index.
   *
   * @param manifest the descriptor to tag
   * @param tag the tag
   * @throws IllegalArgumentException when the tag is invalid or the descriptor's media type is not
   *     of a manifest or index
   */
  public static void check(Descriptor manifest, String tag) {
    check(tag);
    if (!manifest.isManifest()) {
      throw new IllegalArgumentException("cannot tag " + manifest.digest() + " as '" + tag + "': media type "
          + manifest.mediaType() + " is not a manifest or index");
    }
  }
}
