package io.soci4j.reader.nio;

import io.soci4j.api.ImageStore;
import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.ztoc.EntryType;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code soci:} file system provider: a read-only {@link java.nio.file.FileSystem} over an
 * image opened through its SOCI index, so standard {@link java.nio.file.Files} code reads an image
 * without pulling it.
 *
 * <pre>{@code
 * URI uri = URI.create("soci:myapp");   // "myapp": any name for this file system
 * try (FileSystem fs = FileSystems.newFileSystem(uri,
 *     Map.of(SociFileSystemProvider.ENV_STORE, store, SociFileSystemProvider.ENV_REFERENCE, "latest"))) {
 *   byte[] osRelease = Files.readAllBytes(fs.getPath("/etc/os-release"));
 *   try (Stream<Path> all = Files.walk(fs.getPath("/"))) {
 *     all.forEach(System.out::println);
 *   }
 * }
 * }</pre>
 *
 * <p>A file system is named by the scheme-specific part of its URI ({@code soci:NAME}); a file
 * in it by {@code soci:NAME!/path} ({@link java.nio.file.Path#of(URI)}). The environment gives
 * either an opened image ({@link #ENV_IMAGE}, not closed with the file system) or a store and a
 * reference ({@link #ENV_STORE}, {@link #ENV_REFERENCE}, optionally {@link #ENV_OPTIONS}), opened
 * now and closed with the file system. Supported: byte channels (seekable), input streams,
 * directory streams (so {@code Files.list} and {@code Files.walk}), the {@code basic}, {@code
 * posix}, {@code owner} and {@code unix} attribute views, symbolic links ({@code
 * NOFOLLOW_LINKS}, {@code readSymbolicLink}), {@code isSameFile} (hard links are the same file),
 * {@code checkAccess}, path matchers. Every write throws {@link ReadOnlyFileSystemException}.
 */
public final class SociFileSystemProvider extends FileSystemProvider {
  /** The URI scheme. */
  public static final String SCHEME = "soci";
  /** Environment key: an opened {@link SociImage} to serve (the caller closes it). */
  public static final String ENV_IMAGE = "image";
  /** Environment key: the {@link ImageStore} to open the image from. */
  public static final String ENV_STORE = "store";
  /** Environment key: the image reference (tag or digest) in the store, a String. */
  public static final String ENV_REFERENCE = "reference";
  /** Environment key: {@link SociImageOptions} for opening from a store (optional). */
  public static final String ENV_OPTIONS = "options";

  private final Map<String, SociFileSystem> fileSystems = new ConcurrentHashMap<>();

  /** Creates the provider; the JDK does, through {@code META-INF/services}. */
  public SociFileSystemProvider() {}

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
    String key = key(uri);
    SociImage image;
    boolean owns;
    if (env.get(ENV_IMAGE) instanceof SociImage given) {
      image = given;
      owns = false;
    } else if (env.get(ENV_STORE) instanceof ImageStore store && env.get(ENV_REFERENCE) instanceof String ref) {
      Object o = env.get(ENV_OPTIONS);
      image = SociImage.open(store, ref, o instanceof SociImageOptions opts ? opts : SociImageOptions.defaults());
      owns = true;
    } else {
      throw new IllegalArgumentException("the environment needs '" + ENV_IMAGE + "' (a SociImage) or '"
          + ENV_STORE + "' (an ImageStore) and '" + ENV_REFERENCE + "' (a String); got keys " + env.keySet());
    }
    SociFileSystem fs = new SociFileSystem(this, key, image, owns);
    if (fileSystems.putIfAbsent(key, fs) != null) {
      if (owns) {
        image.close();
      }
      throw new FileSystemAlreadyExistsException("soci:" + key);
    }
    return fs;
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    SociFileSystem fs = fileSystems.get(key(uri));
    if (fs == null) {
      throw new FileSystemNotFoundException("no open file system soci:" + key(uri));
    }
    return fs;
  }

  @Override
  public Path getPath(URI uri) {
    String ssp = schemeSpecificPart(uri);
    int bang = ssp.indexOf('!');
    String path = bang < 0 ? "/" : ssp.substring(bang + 1);
    return getFileSystem(uri).getPath(path.isEmpty() ? "/" : path);
  }

  void removed(SociFileSystem fs) {
    fileSystems.remove(fs.key(), fs);
  }

  private static String schemeSpecificPart(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a soci: URI: " + uri);
    }
    String ssp = uri.getSchemeSpecificPart();
    if (ssp == null || ssp.isEmpty() || ssp.startsWith("!")) {
      throw new IllegalArgumentException("a soci: URI names its file system: soci:NAME[!/path], got " + uri);
    }
    return ssp;
  }

  private static String key(URI uri) {
    String ssp = schemeSpecificPart(uri);
    int bang = ssp.indexOf('!');
    return bang < 0 ? ssp : ssp.substring(0, bang);
  }

  private static SociPath check(Path p) {
    if (!(p instanceof SociPath s)) {
      throw new ProviderMismatchException("not a soci: path: " + p);
    }
    return s;
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    SociPath p = check(path);
    boolean follow = true;
    for (OpenOption o : options) {
      if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE_NEW
          || o == StandardOpenOption.DELETE_ON_CLOSE) {
        throw new ReadOnlyFileSystemException();
      }
      if (o == LinkOption.NOFOLLOW_LINKS) {
        follow = false;
      }
    }
    SociFileSystem fs = p.getFileSystem();
    String abs = p.toAbsolutePath().pathString();
    try {
      if (!follow && fs.image().stat(abs, LinkOption.NOFOLLOW_LINKS).type() == EntryType.SYMLINK) {
        throw new FileSystemException(p.toString(), null, "Too many levels of symbolic links (NOFOLLOW_LINKS)");
      }
      return fs.image().open(abs);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      throw SociFileSystem.translate(e, p);
    }
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    SociPath p = check(dir);
    SociFileSystem fs = p.getFileSystem();
    ImageEntry e = fs.stat(p);
    if (e.type() != EntryType.DIRECTORY) {
      throw new NotDirectoryException(p.toString());
    }
    List<Path> children = new ArrayList<>();
    try {
      for (ImageEntry c : fs.image().list(p.toAbsolutePath().pathString())) {
        children.add(p.resolve(c.name()));
      }
    } catch (IOException ex) {
      throw SociFileSystem.translate(ex, p);
    }
    return new SociDirectoryStream(children, filter);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) {
    check(dir);
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
    check(link);
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void createLink(Path link, Path existing) {
    check(link);
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void delete(Path path) {
    check(path);
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) {
    check(target);
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) {
    check(source);
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    SociPath p = check(link);
    ImageEntry e = p.getFileSystem().stat(p, LinkOption.NOFOLLOW_LINKS);
    if (e.type() != EntryType.SYMLINK) {
      throw new NotLinkException(p.toString());
    }
    return p.getFileSystem().getPath(e.linkTarget());
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    SociPath a = check(path);
    if (a.equals(path2)) {
      return true;
    }
    if (!(path2 instanceof SociPath b) || b.getFileSystem() != a.getFileSystem()) {
      return false;
    }
    return a.getFileSystem().stat(a).fileId() == b.getFileSystem().stat(b).fileId();
  }

  @Override
  public boolean isHidden(Path path) {
    Path name = check(path).getFileName();
    return name != null && name.toString().startsWith(".");
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    SociPath p = check(path);
    p.getFileSystem().stat(p);
    return p.getFileSystem().store();
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    SociPath p = check(path);
    ImageEntry e = p.getFileSystem().stat(p);
    for (AccessMode m : modes) {
      switch (m) {
        case READ -> { }
        case WRITE -> throw new AccessDeniedException(p.toString(), null, "read-only file system");
        case EXECUTE -> {
          if ((e.mode() & 0111) == 0) {
            throw new AccessDeniedException(p.toString(), null, "no execute permission (mode "
                + Integer.toOctalString(e.mode()) + ")");
          }
        }
        default -> throw new UnsupportedOperationException("access mode " + m);
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    SociPath p = check(path);
    if (type == BasicFileAttributeView.class) {
      return (V) new SociAttributeView(p, "basic", options);
    }
    if (type == PosixFileAttributeView.class) {
      return (V) new SociAttributeView(p, "posix", options);
    }
    if (type == FileOwnerAttributeView.class) {
      return (V) new SociAttributeView(p, "owner", options);
    }
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
      throws IOException {
    SociPath p = check(path);
    if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
      throw new UnsupportedOperationException("attributes " + type.getName() + " are not supported");
    }
    return (A) p.getFileSystem().attributes(p, options);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    SociPath p = check(path);
    int colon = attributes.indexOf(':');
    String view = colon < 0 ? "basic" : attributes.substring(0, colon);
    String names = colon < 0 ? attributes : attributes.substring(colon + 1);
    if (!SociFileSystem.VIEWS.contains(view)) {
      throw new UnsupportedOperationException("attribute view '" + view + "' is not supported");
    }
    Map<String, Object> all = p.getFileSystem().attributes(p, options).asMap(view);
    if (names.equals("*")) {
      return all;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names.split(",")) {
      if (n.equals("*")) {
        out.putAll(all);
      } else if (all.containsKey(n)) {
        out.put(n, all.get(n));
      } else {
        throw new IllegalArgumentException("'" + n + "' is not an attribute of view '" + view + "'");
      }
    }
    return out;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    check(path);
    throw new ReadOnlyFileSystemException();
  }
}
