package io.soci4j.reader;

import io.soci4j.api.SociException;
import java.util.List;

/**
 * Extraction refused an image because some of its layer entries cannot be extracted safely:
 * entries the merged view rejects (names leading out of the root or absolute, hard links to
 * missing or unsafe targets, entries below a symbolic link of the same layer) and entries this
 * system cannot create (names or paths too long, names not valid in the file name encoding,
 * symbolic links with an empty target). All of them are listed; nothing was written to the
 * target. {@link ExtractOptions.Builder#skipUnsafeEntries} extracts the rest instead.
 */
public class UnsafeEntryException extends SociException {
  private static final long serialVersionUID = 1L;
  /** Entries named in the message; {@link #entries()} has all. */
  private static final int LISTED = 3;
  private final transient List<RejectedEntry> entries;

  /**
   * @param entries the entries refused (at least one)
   */
  public UnsafeEntryException(List<RejectedEntry> entries) {
    super(message(entries));
    this.entries = List.copyOf(entries);
  }

  private static String message(List<RejectedEntry> entries) {
    StringBuilder sb = new StringBuilder("refusing to extract: ").append(entries.size())
        .append(entries.size() == 1 ? " layer entry cannot" : " layer entries cannot")
        .append(" be extracted safely, nothing was written: ");
    for (int i = 0; i < Math.min(LISTED, entries.size()); i++) {
      sb.append(i == 0 ? "" : "; ").append(entries.get(i));
    }
    return sb.append(entries.size() > LISTED ? "; and " + (entries.size() - LISTED) + " more" : "").toString();
  }

  /** {@return every entry refused, in layer and tree order} */
  public List<RejectedEntry> entries() {
    return entries;
  }
}
