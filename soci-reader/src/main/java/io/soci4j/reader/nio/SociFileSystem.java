package io.soci4j.reader.nio;

import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.NotRegularFileException;
import io.soci4j.reader.PathNotFoundException;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SymlinkLoopException;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The read-only file system of one {@link SociImage}. */
final class SociFileSystem extends FileSystem {
  static final Set<String> VIEWS = Set.of("basic", "posix", "owner", "unix");

  private final SociFileSystemProvider provider;
  private final String key;
  private final SociImage image;
  private final boolean ownsImage;
  private final SociFileStore store = new SociFileStore(this);
  private volatile boolean open = true;

  SociFileSystem(SociFileSystemProvider provider, String key, SociImage image, boolean ownsImage) {
    this.provider = provider;
    this.key = key;
    this.image = image;
    this.ownsImage = ownsImage;
  }

  String key() {
    return key;
  }

  SociImage image() {
    if (!open) {
      throw new ClosedFileSystemException();
    }
    return image;
  }

  @Override
  public SociFileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    provider.removed(this);
    if (ownsImage) {
      image.close();
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    image();
    return List.of(new SociPath(this, "/"));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    image();
    return List.of(store);
  }

  FileStore store() {
    return store;
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return VIEWS;
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder sb = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        if (sb.length() > 0) {
          sb.append('/');
        }
        sb.append(m);
      }
    }
    return new SociPath(this, sb.toString());
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    int colon = syntaxAndPattern.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("want syntax:pattern, got '" + syntaxAndPattern + "'");
    }
    String syntax = syntaxAndPattern.substring(0, colon);
    String pattern = syntaxAndPattern.substring(colon + 1);
    Pattern re = switch (syntax) {
      case "glob" -> Globs.toRegex(pattern);
      case "regex" -> Pattern.compile(pattern);
      default -> throw new UnsupportedOperationException("pattern syntax '" + syntax + "' is not supported");
    };
    return p -> re.matcher(p.toString()).matches();
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return new UserPrincipalLookupService() {
      @Override
      public UserPrincipal lookupPrincipalByName(String name) {
        return new SociPrincipal(name, false);
      }

      @Override
      public GroupPrincipal lookupPrincipalByGroupName(String group) {
        return new SociPrincipal(group, true);
      }
    };
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("a soci: file system cannot be watched: it never changes");
  }

  ImageEntry stat(SociPath p, LinkOption... options) throws IOException {
    try {
      return image().stat(p.toAbsolutePath().pathString(), options);
    } catch (IOException e) {
      throw translate(e, p);
    }
  }

  SociFileAttributes attributes(SociPath p, LinkOption... options) throws IOException {
    return new SociFileAttributes(stat(p, options));
  }

  String realPath(SociPath p, LinkOption... options) throws IOException {
    for (LinkOption o : options) {
      if (o == LinkOption.NOFOLLOW_LINKS) {
        stat(p, options);
        return p.toAbsolutePath().normalize().toString();
      }
    }
    try {
      return image().realPath(p.toAbsolutePath().pathString());
    } catch (IOException e) {
      throw translate(e, p);
    }
  }

  /** The NIO exception for a reader exception about a path. */
  static IOException translate(IOException e, Path p) {
    FileSystemException out;
    if (e instanceof PathNotFoundException) {
      out = new NoSuchFileException(p.toString(), null, e.getMessage());
    } else if (e instanceof SymlinkLoopException) {
      out = new FileSystemException(p.toString(), null, "Too many levels of symbolic links");
    } else if (e instanceof NotRegularFileException n) {
      out = new FileSystemException(p.toString(), null, "Is a " + n.type().wireName() + ", not a regular file");
    } else {
      return e;
    }
    out.initCause(e);
    return out;
  }

  @Override
  public String toString() {
    return "soci:" + key;
  }
}
