package io.soci4j.reader.nio;

import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;

/** The one, read-only store of a soci: file system; it reports no space. */
final class SociFileStore extends FileStore {
  private final SociFileSystem fs;

  SociFileStore(SociFileSystem fs) {
    this.fs = fs;
  }

  @Override
  public String name() {
    return fs.key();
  }

  @Override
  public String type() {
    return SociFileSystemProvider.SCHEME;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public long getTotalSpace() {
    return 0;
  }

  @Override
  public long getUsableSpace() {
    return 0;
  }

  @Override
  public long getUnallocatedSpace() {
    return 0;
  }

  @Override
  public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
    return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
        || type == FileOwnerAttributeView.class;
  }

  @Override
  public boolean supportsFileAttributeView(String name) {
    return SociFileSystem.VIEWS.contains(name);
  }

  @Override
  public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
    return null;
  }

  @Override
  public Object getAttribute(String attribute) {
    throw new UnsupportedOperationException("no file store attribute '" + attribute + "'");
  }

  @Override
  public String toString() {
    return fs.key() + " (soci, read-only)";
  }
}
