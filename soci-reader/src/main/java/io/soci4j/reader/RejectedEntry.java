package io.soci4j.reader;

import io.soci4j.api.Digest;
import io.soci4j.api.PrintableText;
import java.util.Objects;

/**
 * A layer entry left out of an image's merged view because applying it is unsafe or impossible:
 * a name with a {@code ..} component or a leading {@code /}, an entry below a symbolic link or
 * file of its own layer, a hard link whose target is unsafe, missing or a directory.
 *
 * @param layer digest of the layer holding the entry
 * @param name the entry name as stored in the layer
 * @param reason why it was left out
 */
public record RejectedEntry(Digest layer, String name, String reason) {
  /** Characters of a name kept in {@link #toString()}. */
  private static final int MAX_NAME = 200;

  /**
   * Validates.
   *
   * @param layer see the record component
   * @param name see the record component
   * @param reason see the record component
   */
  public RejectedEntry {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@return the entry for a message: its name escaped ({@link PrintableText}) and cut} */
  @Override
  public String toString() {
    return "'" + PrintableText.of(name, MAX_NAME) + "' in layer " + layer + ": " + reason;
  }
}
