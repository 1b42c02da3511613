package io.soci4j.ztoc;

import java.util.List;
import java.util.Objects;

/**
 * One tar member as a zTOC records it (SOCI format spec §2, {@code FileMetadata}).
 *
 * <p>Text fields hold what the tar stream holds. Names that are not valid UTF-8 keep their bytes:
 * each invalid byte {@code b} is the char {@code U+DC00 + b} (as Python's "surrogateescape"), so
 * a zTOC round-trips byte for byte.
 *
 * @param name member name as written (after PAX {@code path} / GNU long-name records; not cleaned)
 * @param type member type
 * @param uncompressedOffset offset of the first data byte in the uncompressed tar stream
 * @param uncompressedSize the header's size field (0 for links and directories)
 * @param linkName link target for symlinks and hardlinks, else empty
 * @param mode the raw mode field (permission, setuid/setgid/sticky bits)
 * @param uid owner id (unsigned 32 bit)
 * @param gid group id (unsigned 32 bit)
 * @param uname owner name, may be empty
 * @param gname group name, may be empty
 * @param modTime modification time as Go's RFC 3339 text with nanoseconds, e.g. {@code
 *     2024-01-02T03:04:05.5Z}
 * @param devMajor device major number
 * @param devMinor device minor number
 * @param paxRecords all raw PAX records of the member, sorted by key
 */
public record TocEntry(
    String name,
    EntryType type,
    long uncompressedOffset,
    long uncompressedSize,
    String linkName,
    long mode,
    long uid,
    long gid,
    String uname,
    String gname,
    String modTime,
    long devMajor,
    long devMinor,
    List<PaxRecord> paxRecords) {

  /**
   * Validates and copies.
   *
   * @param name see the record component
   * @param type see the record component
   * @param uncompressedOffset see the record component
   * @param uncompressedSize see the record component
   * @param linkName see the record component
   * @param mode see the record component
   * @param uid see the record component
   * @param gid see the record component
   * @param uname see the record component
   * @param gname see the record component
   * @param modTime see the record component
   * @param devMajor see the record component
   * @param devMinor see the record component
   * @param paxRecords see the record component
   */
  public TocEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(linkName, "linkName");
    Objects.requireNonNull(uname, "uname");
    Objects.requireNonNull(gname, "gname");
    Objects.requireNonNull(modTime, "modTime");
    paxRecords = List.copyOf(paxRecords);
    if (uncompressedOffset < 0 || uncompressedSize < 0) {
      throw new IllegalArgumentException("negative offset or size in entry '" + name + "'");
    }
  }

  /**
   * Bytes of the member's data in the tar stream. Only regular files have data: the size field of
   * links, directories, devices and FIFOs is kept as written ({@link #uncompressedSize()}, as Go's
   * tar reader and upstream keep it) but covers no bytes.
   *
   * @return the size for a regular file, 0 for every other type
   */
  public long dataSize() {
    return type == EntryType.REGULAR ? uncompressedSize : 0;
  }

  /** {@return the offset just after the member's data in the uncompressed tar stream ({@link #dataSize()})} */
  public long uncompressedEnd() {
    return uncompressedOffset + dataSize();
  }

  /** {@return a builder with every field at its zero value} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The form names have in a TOC for raw tar name bytes: UTF-8 decoded, every byte that is not
   * part of well-formed UTF-8 kept as the lone surrogate {@code U+DC00 + byte}. For looking up
   * entries whose names are not UTF-8 (given, say, as hex on a command line).
   *
   * @param raw the name's bytes as stored in the tar
   * @return the name as {@link #name()} holds it
   */
  public static String nameOf(byte[] raw) {
    return io.soci4j.ztoc.internal.tar.TarText.decode(raw, 0, raw.length);
  }

  /** Builds {@link TocEntry} values; fields not set are zero or empty. */
  public static final class Builder {
    private String name = "";
    private EntryType type = EntryType.REGULAR;
    private long uncompressedOffset;
    private long uncompressedSize;
    private String linkName = "";
    private long mode;
    private long uid;
    private long gid;
    private String uname = "";
    private String gname = "";
    private String modTime = "";
    private long devMajor;
    private long devMinor;
    private List<PaxRecord> paxRecords = List.of();

    private Builder() {}

    /**
     * @param v name
     * @return this
     */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /**
     * @param v type
     * @return this
     */
    public Builder type(EntryType v) {
      type = v;
      return this;
    }

    /**
     * @param v data offset
     * @return this
     */
    public Builder uncompressedOffset(long v) {
      uncompressedOffset = v;
      return this;
    }

    /**
     * @param v size
     * @return this
     */
    public Builder uncompressedSize(long v) {
      uncompressedSize = v;
      return this;
    }

    /**
     * @param v link target
     * @return this
     */
    public Builder linkName(String v) {
      linkName = v;
      return this;
    }

    /**
     * @param v raw mode
     * @return this
     */
    public Builder mode(long v) {
      mode = v;
      return this;
    }

    /**
     * @param v uid
     * @return this
     */
    public Builder uid(long v) {
      uid = v;
      return this;
    }

    /**
     * @param v gid
     * @return this
     */
    public Builder gid(long v) {
      gid = v;
      return this;
    }

    /**
     * @param v owner name
     * @return this
     */
    public Builder uname(String v) {
      uname = v;
      return this;
    }

    /**
     * @param v group name
     * @return this
     */
    public Builder gname(String v) {
      gname = v;
      return this;
    }

    /**
     * @param v modification time text
     * @return this
     */
    public Builder modTime(String v) {
      modTime = v;
      return this;
    }

    /**
     * @param v device major
     * @return this
     */
    public Builder devMajor(long v) {
      devMajor = v;
      return this;
    }

    /**
     * @param v device minor
     * @return this
     */
    public Builder devMinor(long v) {
      devMinor = v;
      return this;
    }

    /**
     * @param v PAX records sorted by key
     * @return this
     */
    public Builder paxRecords(List<PaxRecord> v) {
      paxRecords = v;
      return this;
    }

    /** @return the entry */
    public TocEntry build() {
      return new TocEntry(name, type, uncompressedOffset, uncompressedSize, linkName, mode, uid, gid,
          uname, gname, modTime, devMajor, devMinor, paxRecords);
    }
  }
}
