package io.soci4j.reader;

import io.soci4j.api.SociException;

/**
 * Resolving a path followed more symbolic links than allowed (40, as Linux's {@code ELOOP}): the
 * links loop, or chain too deep.
 */
public class SymlinkLoopException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String path;

  /**
   * @param path the path being resolved
   * @param links how many links were followed
   */
  public SymlinkLoopException(String path, int links) {
    super("too many levels of symbolic links resolving '" + path + "' (" + links + " followed)");
    this.path = path;
  }

  /** {@return the path being resolved} */
  public String path() {
    return path;
  }
}
