package io.soci4j.ztoc;

import io.soci4j.api.SociException;

/** No TOC entry has the name asked for (after following links). */
public final class EntryNotFoundException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String name;

  /**
   * @param name the name looked up
   * @param detail what was followed to get there, or empty
   */
  public EntryNotFoundException(String name, String detail) {
    super("no entry '" + name + "' in the layer's TOC" + (detail.isEmpty() ? "" : " (" + detail + ")"));
    this.name = name;
  }

  /** {@return the name looked up} */
  public String name() {
    return name;
  }
}
