package io.soci4j.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.Digest;
import io.soci4j.fuse.internal.MountTable;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.reader.testing.ReferenceExtractor;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.reader.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard test image (three layers: whiteouts, an opaque directory, hard links across layers,
 * symbolic links, an uncompressed layer) mounted with real FUSE ({@code /dev/fuse}, Debian's
 * libfuse2, as root): the mount is what the reference extraction of the layers is, file for file
 * and byte for byte; concurrent readers get the right bytes with each span fetched once; after
 * every test no mount and no FUSE thread is left. Fails, never skips, where FUSE is missing
 * (CI runs as root with /dev/fuse; {@code .ci/run} installs libfuse2).
 */
class SociMountTest {
  private static TestStore store;
  private static TestImage image;
  @TempDir Path dir;
  private Path mountPoint;

  @BeforeAll
  static void push() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
  }

  @BeforeEach
  void mountPoint() throws IOException {
    mountPoint = Files.createDirectory(dir.resolve("mnt"));
  }

  @AfterEach
  void nothingLeft() throws Exception {
    Path real = mountPoint.toRealPath();
    try {
      assertThat(MountTable.fuseMountedAt(real)).as("mounted at " + real).isFalse();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (fuseThreads().size() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(fuseThreads()).as("FUSE threads left").isEmpty();
    } finally {
      if (!MountTable.fuseMountedAt(real)) {
        ReferenceExtractor.removeSymlinks(dir); // links out of the temp dir: JUnit's clean-up would warn
      }
    }
  }

  private static List<String> fuseThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && (t.getName().startsWith("soci-fuse") || t.getName().startsWith("jnr-fuse"))) {
        names.add(t.getName());
      }
    }
    return names;
  }

  private SociImage open() throws IOException {
    return SociImage.open(store, StandardImage.TAG, SociImageOptions.builder().prefetch(false).build());
  }

  @Test
  void theMountIsTheReferenceExtraction() throws Exception {
    Path ref = Files.createDirectory(dir.resolve("ref"));
    ReferenceExtractor.extract(image.tars(), ref);
    try (SociImage img = open(); SociMount m = SociMount.mount(img, mountPoint)) {
      assertThat(m.isMounted()).isTrue();
      Map<String, String> expected = TreeSnapshot.of(ref);
      Map<String, String> actual = TreeSnapshot.of(m.mountPoint());
      assertThat(actual).isEqualTo(expected); // names, types, modes, sizes, mtimes, link targets, SHA-256
      Path mnt = m.mountPoint();
      // hard links share an inode and count their names
      Object big = Files.getAttribute(mnt.resolve("bin/big"), "unix:ino", LinkOption.NOFOLLOW_LINKS);
      assertThat(Files.getAttribute(mnt.resolve("bin/hl"), "unix:ino", LinkOption.NOFOLLOW_LINKS)).isEqualTo(big);
      assertThat(Files.getAttribute(mnt.resolve("bin/big"), "unix:nlink", LinkOption.NOFOLLOW_LINKS)).isEqualTo(2);
      assertThat(Files.getAttribute(mnt.resolve("etc/os-release"), "unix:nlink", LinkOption.NOFOLLOW_LINKS))
          .as("linked from layer 1 (bin/hl2)").isEqualTo(2);
      // owners and the symlink verbatim (not resolved)
      PosixFileAttributes secret = Files.readAttributes(mnt.resolve("etc/secret"), PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      assertThat(secret.permissions()).hasSize(2);
      assertThat(Files.readSymbolicLink(mnt.resolve("escape")).toString()).isEqualTo("../../../../etc/passwd");
      // read-only, and what is whited out is gone
      assertThat(catchThrowable(() -> Files.writeString(mnt.resolve("etc/new"), "x"))).isInstanceOf(IOException.class);
      assertThat(catchThrowable(() -> Files.writeString(mnt.resolve("etc/passwd"), "x")))
          .isInstanceOf(IOException.class);
      assertThat(mnt.resolve("data/to-delete")).doesNotExist();
      assertThat(Files.getFileStore(mnt).getTotalSpace()).isPositive();
      assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .filter(l -> l.contains(" " + mnt + " ")).findFirst().orElseThrow()).contains("fuse.soci4j").contains("ro");
    }
  }

  @Test
  void sixteenConcurrentReadersGetTheRightBytesAndEachSpanIsFetchedOnce() throws Exception {
    Path ref = Files.createDirectory(dir.resolve("ref"));
    ReferenceExtractor.extract(image.tars(), ref);
    List<Path> files;
    try (Stream<Path> s = Files.walk(ref)) {
      files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    try (SociImage img = open(); SociMount m = SociMount.mount(img, mountPoint)) {
      store.resetCounters(); // the store is shared by the tests: count this one's requests
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Set<String>>> readers = new ArrayList<>();
        for (int r = 0; r < 16; r++) {
          int seed = r;
          readers.add(pool.submit(() -> {
            Set<String> wrong = new HashSet<>();
            List<Path> order = new ArrayList<>(files);
            java.util.Collections.shuffle(order, new java.util.Random(seed));
            for (Path f : order) {
              Path inMount = m.mountPoint().resolve(ref.relativize(f).toString());
              if (!Digest.sha256(Files.readAllBytes(inMount)).equals(Digest.sha256(Files.readAllBytes(f)))) {
                wrong.add(inMount.toString());
              }
            }
            return wrong;
          }));
        }
        for (Future<Set<String>> f : readers) {
          assertThat(f.get()).isEmpty();
        }
      } finally {
        pool.shutdownNow();
      }
      long spans = img.stats().spansFetched();
      long distinct = store.ranges().stream().filter(r -> image.layers().stream()
          .anyMatch(l -> l.digest().equals(r.blob()))).count();
      assertThat(img.stats().layers().stream().mapToLong(l -> l.spansFetched()).sum()).isEqualTo(spans);
      // single-flight: no span fetched twice, though 16 readers asked for every one
      List<String> fetched = store.ranges().stream().filter(r -> image.layers().stream()
          .anyMatch(l -> l.digest().equals(r.blob()))).map(r -> r.blob() + "@" + r.offset()).toList();
      assertThat(fetched).as("range requests of the layers").doesNotHaveDuplicates();
      assertThat(distinct).isPositive();
    }
  }

  @Test
  void devicesFifosAndExtendedAttributesAreReported() throws Exception {
    TestStore special = new TestStore();
    byte[] tar = new io.soci4j.reader.testing.TarBuilder().dir("./dev/", 0755).charDevice("./dev/null2", 1, 3)
        .fifo("./fifo").fileWithXattrs("./xattr-file", "data".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Map.of("user.comment", "hello")).tar();
    new TestImage.Builder().gzipLayer(tar).push(special, "special",
        io.soci4j.ztoc.index.SociIndexBuilder.create().withSpanSize(64 << 10).withMinLayerSize(0));
    try (SociImage img = SociImage.open(special, "special"); SociMount m = SociMount.mount(img, mountPoint)) {
      Path dev = m.mountPoint().resolve("dev/null2");
      Map<String, Object> a = Files.readAttributes(dev, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
      assertThat((Integer) a.get("mode") & 0170000).as("a character device").isEqualTo(0020000);
      assertThat(a.get("rdev")).isEqualTo((1L << 8) | 3);
      assertThat(catchThrowable(() -> Files.readAllBytes(dev))).as("listed, not opened").isInstanceOf(IOException.class);
      int fifo = (Integer) Files.getAttribute(m.mountPoint().resolve("fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
      assertThat(fifo & 0170000).isEqualTo(0010000);
      var xattrs = Files.getFileAttributeView(m.mountPoint().resolve("xattr-file"),
          java.nio.file.attribute.UserDefinedFileAttributeView.class);
      assertThat(xattrs.list()).containsExactly("comment");
      java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(xattrs.size("comment"));
      xattrs.read("comment", v);
      assertThat(new String(v.array(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(Files.readString(m.mountPoint().resolve("xattr-file"))).isEqualTo("data");
    }
  }

  @Test
  void closingTwiceAndAfterAnExternalUnmountIsFine() throws Exception {
    try (SociImage img = open()) {
      SociMount m = SociMount.mount(img, mountPoint);
      SociMount.unmount(m.mountPoint()); // as soci umount or fusermount -u would
      m.awaitUnmounted();
      assertThat(m.isMounted()).isFalse();
      m.close();
      m.close();
    }
  }

  @Test
  void aMountPointThatIsNotAnEmptyDirectoryIsRefused() throws Exception {
    Files.writeString(mountPoint.resolve("x"), "x");
    try (SociImage img = open()) {
      assertThat(catchThrowable(() -> SociMount.mount(img, mountPoint))).isInstanceOf(IOException.class)
          .hasMessageContaining("must be empty");
      assertThat(catchThrowable(() -> SociMount.mount(img, dir.resolve("missing")))).isInstanceOf(IOException.class)
          .hasMessageContaining("existing directory");
    }
    Files.delete(mountPoint.resolve("x"));
  }

  @Test
  void withoutTheFuseDeviceTheErrorSaysWhatToDo() throws Exception {
    System.setProperty("soci4j.fuse.device", dir.resolve("no-such-device").toString());
    try (SociImage img = open()) {
      Throwable t = catchThrowable(() -> SociMount.mount(img, mountPoint));
      assertThat(t).isInstanceOf(FuseUnavailableException.class).hasMessageContaining("there is no")
          .hasMessageContaining("--device /dev/fuse");
    } finally {
      System.clearProperty("soci4j.fuse.device");
    }
  }

  @Test
  void theFilesOpenedAreRecordedInFirstOpenOrder() throws Exception {
    try (SociImage img = open(); SociMount m = SociMount.mount(img, mountPoint)) {
      Files.readAllBytes(m.mountPoint().resolve("etc/passwd"));
      Files.readAllBytes(m.mountPoint().resolve("bin/big"));
      Files.readAllBytes(m.mountPoint().resolve("etc/passwd"));
      assertThat(m.openedPaths()).containsExactly("/etc/passwd", "/bin/big");
    }
  }
}
