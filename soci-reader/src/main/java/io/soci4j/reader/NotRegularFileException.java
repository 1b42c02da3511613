package io.soci4j.reader;

import io.soci4j.api.SociException;
import io.soci4j.ztoc.EntryType;

/** A path names something that has no bytes to read: a directory, device or FIFO. */
public class NotRegularFileException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final EntryType type;

  /**
   * @param path the path
   * @param type what it is
   */
  public NotRegularFileException(String path, EntryType type) {
    super("'" + path + "' is a " + type.wireName() + ", not a regular file");
    this.path = path;
    this.type = type;
  }

  /** {@return the path} */
  public String path() {
    return path;
  }

  /** {@return what the path is} */
  public EntryType type() {
    return type;
  }
}
