package io.soci4j.reader;

import io.soci4j.api.SociException;

/** A path does not exist in an image's merged file system (or a directory on the way is not one). */
public class PathNotFoundException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String path;

  /**
   * @param path the path asked for
   * @param detail why it was not found, e.g. "'/a' is not a directory"; may be empty
   */
  public PathNotFoundException(String path, String detail) {
    super("no such file or directory in the image: '" + path + "'" + (detail.isEmpty() ? "" : " (" + detail + ")"));
    this.path = path;
  }

  /** {@return the path asked for} */
  public String path() {
    return path;
  }
}
