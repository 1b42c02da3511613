package io.soci4j.reader.nio;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/** The basic, owner and POSIX views of a soci: path; every setter throws {@link ReadOnlyFileSystemException}. */
final class SociAttributeView implements PosixFileAttributeView {
  private final SociPath path;
  private final String name;
  private final LinkOption[] options;

  SociAttributeView(SociPath path, String name, LinkOption... options) {
    this.path = path;
    this.name = name;
    this.options = options.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PosixFileAttributes readAttributes() throws IOException {
    return path.getFileSystem().attributes(path, options);
  }

  @Override
  public UserPrincipal getOwner() throws IOException {
    return readAttributes().owner();
  }

  @Override
  public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void setPermissions(Set<PosixFilePermission> perms) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void setGroup(GroupPrincipal group) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void setOwner(UserPrincipal owner) {
    throw new ReadOnlyFileSystemException();
  }
}
