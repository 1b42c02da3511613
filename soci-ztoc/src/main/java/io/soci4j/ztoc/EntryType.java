package io.soci4j.ztoc;

/** Type of a TOC entry, stored as the text upstream uses ({@code reg}, {@code dir}, ...). */
public enum EntryType {
  /** regular file (tar types '0' and '\0'). */
  REGULAR("reg"),
  /** directory ('5'). */
  DIRECTORY("dir"),
  /** symbolic link ('2'). */
  SYMLINK("symlink"),
  /** hard link ('1'): {@link TocEntry#linkName()} names the target. */
  HARDLINK("hardlink"),
  /** character device ('3'). */
  CHAR("char"),
  /** block device ('4'). */
  BLOCK("block"),
  /** named pipe ('6'). */
  FIFO("fifo");

  private final String wireName;

  EntryType(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the text stored in the zTOC} */
  public String wireName() {
    return wireName;
  }

  /**
   * The type for stored text.
   *
   * @param wireName text from a zTOC
   * @return the type, or null when unknown
   */
  public static EntryType fromWireName(String wireName) {
    for (EntryType t : values()) {
      if (t.wireName.equals(wireName)) {
        return t;
      }
    }
    return null;
  }
}
