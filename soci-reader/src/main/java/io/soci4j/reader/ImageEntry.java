package io.soci4j.reader;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a path of an image's merged file system is: its type, size and attributes, from the layer
 * entry that provides it. Hard links are reported as the file they link to (same {@link
 * #fileId()}, type {@link EntryType#REGULAR} or whatever the target is).
 *
 * @param path absolute normalised path, e.g. {@code /etc/os-release}
 * @param type what it is; never {@link EntryType#HARDLINK}
 * @param size bytes of a regular file, length of a symbolic link's target, else 0
 * @param mode permission bits with setuid, setgid and sticky ({@code 07777} at most)
 * @param uid owner id
 * @param gid group id
 * @param uname owner name, may be empty
 * @param gname group name, may be empty
 * @param modTime modification time
 * @param linkTarget a symbolic link's target as stored, else empty
 * @param devMajor device major number (devices only)
 * @param devMinor device minor number (devices only)
 * @param layer digest of the layer that provides the entry (the top layer for directories several
 *     layers contribute to)
 * @param fileId identity of the underlying file: equal for the paths of hard-linked files
 * @param xattrs extended attributes, from the entry's PAX {@code SCHILY.xattr.<name>} records, in
 *     the layer's order
 */
public record ImageEntry(String path, EntryType type, long size, int mode, long uid, long gid, String uname,
    String gname, Instant modTime, String linkTarget, long devMajor, long devMinor, Digest layer, long fileId,
    List<PaxRecord> xattrs) {

  /**
   * Validates.
   *
   * @param path see the record component
   * @param type see the record component
   * @param size see the record component
   * @param mode see the record component
   * @param uid see the record component
   * @param gid see the record component
   * @param uname see the record component
   * @param gname see the record component
   * @param modTime see the record component
   * @param linkTarget see the record component
   * @param devMajor see the record component
   * @param devMinor see the record component
   * @param layer see the record component
   * @param fileId see the record component
   * @param xattrs see the record component (copied)
   */
  public ImageEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(uname, "uname");
    Objects.requireNonNull(gname, "gname");
    Objects.requireNonNull(modTime, "modTime");
    Objects.requireNonNull(linkTarget, "linkTarget");
    xattrs = List.copyOf(xattrs);
    if (type == EntryType.HARDLINK) {
      throw new IllegalArgumentException("an image entry is never a hard link: '" + path + "'");
    }
  }

  /** {@return whether it is a regular file} */
  public boolean isRegularFile() {
    return type == EntryType.REGULAR;
  }

  /** {@return whether it is a directory} */
  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }

  /** {@return whether it is a symbolic link} */
  public boolean isSymbolicLink() {
    return type == EntryType.SYMLINK;
  }

  /** {@return the file name: the last path component, or "/" for the root} */
  public String name() {
    int slash = path.lastIndexOf('/');
    return path.equals("/") ? "/" : path.substring(slash + 1);
  }
}
