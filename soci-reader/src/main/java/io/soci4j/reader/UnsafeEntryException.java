package io.soci4j.reader;

import io.soci4j.api.SociException;
import java.util.List;

/**
 * Extraction refused an image because some of its layer entries would write outside the target
 * directory or through a link: names with {@code ..} or a leading {@code /}, hard links to such
 * names, entries below a symbolic link of the same layer. Nothing was written to the target.
 */
public class UnsafeEntryException extends SociException {
  private static final long serialVersionUID = 1L;
  private final transient List<RejectedEntry> entries;

  /**
   * @param entries the entries refused (at least one)
   */
  public UnsafeEntryException(List<RejectedEntry> entries) {
    super("refusing to extract: " + entries.size() + " unsafe layer entr" + (entries.size() == 1 ? "y" : "ies")
        + ", first: " + entries.get(0));
    this.entries = List.copyOf(entries);
  }

  /** {@return the entries refused} */
  public List<RejectedEntry> entries() {
    return entries;
  }
}
