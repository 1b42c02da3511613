package io.soci4j.reader.nio;

import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.internal.extract.TreeExtractor;
import io.soci4j.ztoc.EntryType;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Basic and POSIX attributes of an image entry: size, the tar modification time for all three
 * times, permissions from the mode, owner and group from uname/gname (uid/gid when empty), and the
 * file id as file key (shared by hard links).
 */
final class SociFileAttributes implements PosixFileAttributes {
  private final ImageEntry entry;

  SociFileAttributes(ImageEntry entry) {
    this.entry = entry;
  }

  ImageEntry entry() {
    return entry;
  }

  @Override
  public FileTime lastModifiedTime() {
    return FileTime.from(entry.modTime());
  }

  @Override
  public FileTime lastAccessTime() {
    return lastModifiedTime();
  }

  @Override
  public FileTime creationTime() {
    return lastModifiedTime();
  }

  @Override
  public boolean isRegularFile() {
    return entry.type() == EntryType.REGULAR;
  }

  @Override
  public boolean isDirectory() {
    return entry.type() == EntryType.DIRECTORY;
  }

  @Override
  public boolean isSymbolicLink() {
    return entry.type() == EntryType.SYMLINK;
  }

  @Override
  public boolean isOther() {
    return !isRegularFile() && !isDirectory() && !isSymbolicLink();
  }

  @Override
  public long size() {
    return entry.size();
  }

  @Override
  public Object fileKey() {
    return entry.fileId();
  }

  @Override
  public UserPrincipal owner() {
    return new SociPrincipal(entry.uname().isEmpty() ? Long.toString(entry.uid()) : entry.uname(), false);
  }

  @Override
  public GroupPrincipal group() {
    return new SociPrincipal(entry.gname().isEmpty() ? Long.toString(entry.gid()) : entry.gname(), true);
  }

  @Override
  public Set<PosixFilePermission> permissions() {
    return TreeExtractor.permissions(entry.mode());
  }

  /** The mode as {@code stat} reports it: file type bits and permission bits. */
  int unixMode() {
    int type = switch (entry.type()) {
      case DIRECTORY -> 0040000;
      case SYMLINK -> 0120000;
      case CHAR -> 0020000;
      case BLOCK -> 0060000;
      case FIFO -> 0010000;
      default -> 0100000;
    };
    return type | entry.mode();
  }

  /** Attributes by name for {@code readAttributes(path, "view:names")}. */
  Map<String, Object> asMap(String view) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lastModifiedTime", lastModifiedTime());
    m.put("lastAccessTime", lastAccessTime());
    m.put("creationTime", creationTime());
    m.put("size", size());
    m.put("isRegularFile", isRegularFile());
    m.put("isDirectory", isDirectory());
    m.put("isSymbolicLink", isSymbolicLink());
    m.put("isOther", isOther());
    m.put("fileKey", fileKey());
    if (view.equals("owner")) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("owner", owner());
      return o;
    }
    if (view.equals("posix") || view.equals("unix")) {
      m.put("owner", owner());
      m.put("group", group());
      m.put("permissions", permissions());
    }
    if (view.equals("unix")) {
      m.put("mode", unixMode());
      m.put("uid", (int) entry.uid());
      m.put("gid", (int) entry.gid());
      m.put("ino", entry.fileId());
      m.put("dev", 0L);
      m.put("rdev", (entry.devMajor() << 8) | entry.devMinor());
      m.put("nlink", 1);
      m.put("ctime", lastModifiedTime());
    }
    return m;
  }
}
