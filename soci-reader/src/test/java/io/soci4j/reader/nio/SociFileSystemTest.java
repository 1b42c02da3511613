package io.soci4j.reader.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.reader.testing.ReferenceExtractor;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.reader.testing.TreeSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soci: provider over the standard image: Files API reads, attributes, links, and refusals. */
class SociFileSystemTest {
  private static TestStore store;
  private static TestImage image;
  private static SociImage reader;
  private static FileSystem fs;

  @BeforeAll
  static void open() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
    reader = SociImage.open(store, StandardImage.TAG,
        SociImageOptions.builder().prefetch(false).retryBackoff(Duration.ZERO).build());
    fs = FileSystems.newFileSystem(URI.create("soci:standard"), Map.of(SociFileSystemProvider.ENV_IMAGE, reader));
  }

  @AfterAll
  static void close() throws IOException {
    fs.close();
    reader.close();
  }

  @Test
  void theProviderIsInstalledForTheSociScheme() {
    assertThat(fs.provider()).isInstanceOf(SociFileSystemProvider.class);
    assertThat(FileSystems.getFileSystem(URI.create("soci:standard"))).isSameAs(fs);
    assertThat(Path.of(URI.create("soci:standard!/etc/os-release"))).isEqualTo(fs.getPath("/etc/os-release"));
    assertThat(fs.getPath("/etc/os-release").toUri()).isEqualTo(URI.create("soci:standard!/etc/os-release"));
    assertThat(fs.isReadOnly()).isTrue();
    assertThat(fs.supportedFileAttributeViews()).contains("basic", "posix");
  }

  @Test
  void walkAndCompareWithTheReferenceExtraction(@TempDir Path tmp) throws IOException {
    Path ref = tmp.resolve("ref");
    Files.createDirectories(ref);
    ReferenceExtractor.extract(image.tars(), ref);
    Map<String, String> expected = TreeSnapshot.of(ref);
    assertThat(expected).hasSizeGreaterThan(50);
    assertThat(TreeSnapshot.of(fs.getPath("/"))).isEqualTo(expected);
    try (Stream<Path> all = Files.walk(fs.getPath("/"))) {
      assertThat(all.count()).isEqualTo(expected.size() + 1);
    }
    ReferenceExtractor.removeSymlinks(tmp);
  }

  @Test
  void filesReadThroughTheFilesApi() throws IOException {
    Path big = fs.getPath("/bin/big");
    byte[] expected = image.file(0, "./bin/big");
    assertThat(Files.readAllBytes(big)).isEqualTo(expected);
    assertThat(Files.readString(fs.getPath("/etc/os-release"))).isEqualTo(StandardImage.OS_RELEASE);
    try (InputStream in = Files.newInputStream(big)) {
      in.skipNBytes(123_456);
      assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOfRange(expected, 123_456, 124_456));
    }
    try (SeekableByteChannel ch = Files.newByteChannel(big)) {
      ch.position(500_000);
      ByteBuffer buf = ByteBuffer.allocate(100);
      ch.read(buf);
      assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(expected, 500_000, 500_100));
      assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
    }
    assertThat(Files.size(big)).isEqualTo(expected.length);
    assertThatThrownBy(() -> Files.readAllBytes(fs.getPath("/nope"))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.readAllBytes(fs.getPath("/etc"))).isInstanceOf(FileSystemException.class);
  }

  @Test
  void listAndDirectoryStreams() throws IOException {
    try (Stream<Path> l = Files.list(fs.getPath("/etc"))) {
      assertThat(l.map(p -> p.getFileName().toString())).containsExactly("empty", "motd", "os-release", "passwd",
          "secret");
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fs.getPath("/etc"), "o*")) {
      assertThat(ds).containsExactly(fs.getPath("/etc/os-release"));
    }
    assertThatThrownBy(() -> Files.list(fs.getPath("/etc/passwd"))).isInstanceOf(NotDirectoryException.class);
    try (Stream<Path> l = Files.list(fs.getPath("/usr/lib/../lib"))) {
      assertThat(l.count()).isEqualTo(2);
    }
  }

  @Test
  void basicAndPosixAttributes() throws IOException {
    Path secret = fs.getPath("/etc/secret");
    PosixFileAttributes a = Files.readAttributes(secret, PosixFileAttributes.class);
    assertThat(a.isRegularFile()).isTrue();
    assertThat(a.size()).isEqualTo(6);
    assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-------");
    assertThat(a.owner().getName()).isEqualTo("root");
    assertThat(a.group().getName()).isEqualTo("root");
    assertThat(a.lastModifiedTime()).isEqualTo(FileTime.from(io.soci4j.reader.testing.TarBuilder.MTIME));
    assertThat(Files.getPosixFilePermissions(fs.getPath("/bin/big"))).isEqualTo(PosixFilePermissions.fromString(
        "rwxr-xr-x"));
    assertThat(Files.getOwner(secret).getName()).isEqualTo("root");
    Map<String, Object> m = Files.readAttributes(secret, "posix:size,permissions");
    assertThat(m).containsOnlyKeys("size", "permissions").containsEntry("size", 6L);
    assertThat(Files.getAttribute(secret, "unix:mode")).isEqualTo(0100600);
    assertThat(Files.readAttributes(fs.getPath("/etc"), BasicFileAttributes.class).isDirectory()).isTrue();
    assertThat(Files.getFileAttributeView(secret, PosixFileAttributeView.class).readAttributes().size()).isEqualTo(6);
  }

  @Test
  void symbolicLinks() throws IOException {
    Path chain = fs.getPath("/chain1");
    assertThat(Files.isSymbolicLink(chain)).isTrue();
    assertThat(Files.readSymbolicLink(chain)).isEqualTo(fs.getPath("chain2"));
    assertThat(Files.isRegularFile(chain)).isTrue();
    assertThat(Files.isRegularFile(chain, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readAttributes(chain, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink())
        .isTrue();
    assertThat(chain.toRealPath()).isEqualTo(fs.getPath("/usr/lib/libfoo.so.1"));
    assertThat(Files.readString(fs.getPath("/escape"))).isEqualTo(StandardImage.PASSWD);
    assertThatThrownBy(() -> Files.readSymbolicLink(fs.getPath("/etc"))).isInstanceOf(NotLinkException.class);
    assertThatThrownBy(() -> Files.newByteChannel(chain, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        .isInstanceOf(FileSystemException.class);
    assertThatThrownBy(() -> Files.readAllBytes(fs.getPath("/loop1"))).isInstanceOf(FileSystemException.class)
        .hasMessageContaining("Too many levels of symbolic links");
    assertThat(Files.exists(fs.getPath("/loop1"))).isFalse();
    assertThat(Files.exists(fs.getPath("/loop1"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void sameFileAndAccess() throws IOException {
    assertThat(Files.isSameFile(fs.getPath("/bin/hl"), fs.getPath("/bin/big"))).isTrue();
    assertThat(Files.isSameFile(fs.getPath("/chain1"), fs.getPath("/usr/lib/libfoo.so.1"))).isTrue();
    assertThat(Files.isSameFile(fs.getPath("/etc/passwd"), fs.getPath("/etc/secret"))).isFalse();
    assertThat(Files.isReadable(fs.getPath("/etc/passwd"))).isTrue();
    assertThat(Files.isWritable(fs.getPath("/etc/passwd"))).isFalse();
    assertThat(Files.isExecutable(fs.getPath("/bin/big"))).isTrue();
    assertThat(Files.isExecutable(fs.getPath("/etc/passwd"))).isFalse();
    assertThatThrownBy(() -> fs.provider().checkAccess(fs.getPath("/etc/passwd"), AccessMode.WRITE))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> fs.provider().checkAccess(fs.getPath("/nope"))).isInstanceOf(NoSuchFileException.class);
    assertThat(Files.isHidden(fs.getPath("/x/.hidden"))).isTrue();
  }

  @Test
  void everyWriteIsRefused() {
    Path p = fs.getPath("/etc/passwd");
    List<ThrowingWrite> writes = List.of(
        () -> Files.write(p, new byte[1]),
        () -> Files.newOutputStream(fs.getPath("/new")),
        () -> Files.newByteChannel(p, StandardOpenOption.WRITE),
        () -> Files.newByteChannel(p, StandardOpenOption.APPEND),
        () -> Files.delete(p),
        () -> Files.createDirectory(fs.getPath("/d")),
        () -> Files.createSymbolicLink(fs.getPath("/l"), p),
        () -> Files.createLink(fs.getPath("/l"), p),
        () -> Files.copy(p, fs.getPath("/c")),
        () -> Files.move(p, fs.getPath("/m")),
        () -> Files.setLastModifiedTime(p, FileTime.fromMillis(0)),
        () -> Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx")),
        () -> Files.setAttribute(p, "basic:lastModifiedTime", FileTime.fromMillis(0)));
    for (ThrowingWrite w : writes) {
      assertThatThrownBy(w::run).isInstanceOf(ReadOnlyFileSystemException.class);
    }
  }

  @Test
  void copyingOutToTheDefaultFileSystemWorks(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("os-release");
    Files.copy(fs.getPath("/etc/os-release"), out);
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(StandardImage.OS_RELEASE);
  }

  @Test
  void aFileSystemOpenedFromAStoreOwnsItsImageAndClosesIt() throws IOException {
    URI uri = URI.create("soci:owned");
    FileSystem owned = FileSystems.newFileSystem(uri, Map.of(SociFileSystemProvider.ENV_STORE, store,
        SociFileSystemProvider.ENV_REFERENCE, StandardImage.TAG));
    assertThat(Files.readString(owned.getPath("/etc/motd"))).isEqualTo("welcome\n");
    assertThatThrownBy(() -> FileSystems.newFileSystem(uri, Map.of(SociFileSystemProvider.ENV_IMAGE, reader)))
        .isInstanceOf(FileSystemAlreadyExistsException.class);
    owned.close();
    assertThat(owned.isOpen()).isFalse();
    assertThatThrownBy(() -> Files.readAllBytes(owned.getPath("/etc/motd"))).isInstanceOf(
        ClosedFileSystemException.class);
    assertThatThrownBy(() -> FileSystems.getFileSystem(uri)).isInstanceOf(FileSystemNotFoundException.class);
    assertThatThrownBy(() -> FileSystems.newFileSystem(URI.create("soci:x"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pathOperationsBehaveAsTheDefaultFileSystemsOnUnix() {
    FileSystem unix = FileSystems.getDefault();
    String[] samples = {"/", "/a", "/a/b/c", "a", "a/b", "", "a/./b/../c", "/../a", "../../a/b", "/a//b/", "."};
    for (String s : samples) {
      Path mine = fs.getPath(s);
      Path theirs = unix.getPath(s);
      assertThat(mine.toString()).as("toString %s", s).isEqualTo(theirs.toString());
      assertThat(mine.isAbsolute()).as("isAbsolute %s", s).isEqualTo(theirs.isAbsolute());
      assertThat(mine.getNameCount()).as("names %s", s).isEqualTo(theirs.getNameCount());
      assertThat(String.valueOf(mine.getParent())).as("parent %s", s).isEqualTo(String.valueOf(theirs.getParent()));
      assertThat(String.valueOf(mine.getFileName())).as("name %s", s).isEqualTo(String.valueOf(theirs.getFileName()));
      assertThat(String.valueOf(mine.getRoot())).as("root %s", s).isEqualTo(String.valueOf(theirs.getRoot()));
      assertThat(mine.normalize().toString()).as("normalize %s", s).isEqualTo(theirs.normalize().toString());
      for (String t : samples) {
        assertThat(mine.resolve(t).toString()).as("%s resolve %s", s, t).isEqualTo(theirs.resolve(t).toString());
        assertThat(mine.startsWith(t)).as("%s startsWith %s", s, t).isEqualTo(theirs.startsWith(t));
        assertThat(mine.endsWith(t)).as("%s endsWith %s", s, t).isEqualTo(theirs.endsWith(t));
        if (fs.getPath(t).isAbsolute() == mine.isAbsolute()) {
          String expected;
          try {
            expected = theirs.relativize(unix.getPath(t)).normalize().toString();
          } catch (IllegalArgumentException e) {
            continue; // ".." the default file system cannot relativize against
          }
          assertThat(mine.relativize(fs.getPath(t)).normalize().toString()).as("%s relativize %s", s, t)
              .isEqualTo(expected);
        }
      }
    }
    assertThat(fs.getPathMatcher("glob:/etc/*.d").matches(fs.getPath("/etc/conf.d"))).isTrue();
    assertThat(fs.getPathMatcher("glob:/etc/*.d").matches(fs.getPath("/etc/a/conf.d"))).isFalse();
    assertThat(fs.getPathMatcher("glob:/**/{a,b}?").matches(fs.getPath("/x/y/b1"))).isTrue();
  }

  /** A write that must be refused. */
  @FunctionalInterface
  interface ThrowingWrite {
    void run() throws IOException;
  }
}
