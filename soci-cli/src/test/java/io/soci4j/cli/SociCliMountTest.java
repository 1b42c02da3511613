package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.cli.testing.DebianRootfs;
import io.soci4j.fuse.SociMount;
import io.soci4j.reader.testing.ReferenceExtractor;
import io.soci4j.reader.testing.TreeSnapshot;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soci mount} as a real process, with real FUSE, on the 3-layer {@link DemoImage} in a real
 * registry (Debian's docker-registry), made SOCI-enabled by {@code soci convert}: the mount equals
 * the whiteout-applying extraction, the JDK layer's {@code java -version} runs from it, {@code soci
 * umount} and SIGTERM end it with nothing left mounted, and {@code --record} writes what was opened.
 */
class SociCliMountTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static DemoImage image;
  static String ref;
  static Path reference;
  private final List<Process> started = new ArrayList<>();
  private final List<Path> mounts = new ArrayList<>();

  @BeforeAll
  static void pushConvertExtract() throws Exception {
    image = DemoImage.build(dir.resolve("layout"));
    String repo = REGISTRY.registry() + "/mount";
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, repo + ":" + DemoImage.TAG, null);
    Cli.Result c = soci("convert", "--plain-http", repo + ":" + DemoImage.TAG, "soci");
    assertThat(c.exit()).as(c.err()).isZero();
    ref = repo + ":soci";
    reference = Files.createDirectory(dir.resolve("reference"));
    ReferenceExtractor.extract(image.tars(), reference);
  }

  @AfterAll
  static void release() throws IOException {
    image = null;
    ReferenceExtractor.removeSymlinks(dir); // the JDK's lib/ links into /etc: JUnit's clean-up would warn
  }

  @AfterEach
  void nothingLeft() throws Exception {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Path m : mounts) {
      boolean mounted = SociMount.mountedAt(m);
      SociMount.unmount(m.toRealPath());
      assertThat(mounted).as("still mounted at " + m).isFalse();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fuseThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(fuseThreads()).as("FUSE threads left in this JVM").isZero();
  }

  private static long fuseThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && (t.getName().startsWith("soci-fuse") || t.getName().startsWith("jnr-fuse")))
        .count();
  }

  /** Starts {@code soci mount} and waits until it says the mount is ready. */
  private Process mount(Path mountPoint, String... extra) throws Exception {
    return mount(ref, mountPoint, extra);
  }

  private Process mount(String image, Path mountPoint, String... extra) throws Exception {
    Files.createDirectories(mountPoint);
    mounts.add(mountPoint);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SociCli.class.getName(), "mount", "--plain-http", "--no-cache"));
    cmd.addAll(List.of(extra));
    cmd.addAll(List.of(image, mountPoint.toString()));
    Path log = mountPoint.resolveSibling(mountPoint.getFileName() + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains("soci: mounted ")) {
      assertThat(p.isAlive()).as("soci mount ended: %s", Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("not ready in 120 s: %s", Files.readString(log)).isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(SociMount.mountedAt(mountPoint)).isTrue();
    return p;
  }

  @Test
  void theMountIsTheExtractionAndRunsTheJdkAndUmountEndsIt() throws Exception {
    Path mnt = dir.resolve("mnt");
    Path record = dir.resolve("record.json");
    Process p = mount(mnt, "--record", record.toString());

    Map<String, String> expected = TreeSnapshot.of(reference);
    Map<String, String> actual = TreeSnapshot.of(mnt);
    assertThat(actual.size()).isEqualTo(expected.size()).isGreaterThan(1000);
    assertThat(actual).isEqualTo(expected); // names, types, modes, sizes, mtimes, link targets, SHA-256 of every file
    assertThat(linkCounts(mnt)).as("hard-link counts").isEqualTo(linkCounts(reference));

    assertThat(javaVersion(mnt)).contains(System.getProperty("java.version"));

    Cli.Result umount = soci("umount", mnt.toString());
    assertThat(umount.exit()).as(umount.err()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(SociMount.mountedAt(mnt)).isFalse();
    List<String> opened = List.of(new ObjectMapper().readValue(record.toFile(), String[].class));
    assertThat(opened).contains("/opt/java/bin/java", "/opt/java/lib/server/libjvm.so").doesNotHaveDuplicates();
    assertThat(opened.indexOf("/opt/java/bin/java")).as("before the libraries it loads")
        .isLessThan(opened.indexOf("/opt/java/lib/server/libjvm.so"));
  }

  /** debootstrap's minbase rootfs (made at test time, cached under target/rootfs) as one layer. */
  @Test
  void aShellRunsFromTheMountedDebianRootfsInAChroot() throws Exception {
    Path layout = dir.resolve("rootfs-layout");
    DebianRootfs.image(layout, "1");
    String repo = REGISTRY.registry() + "/rootfs";
    Skopeo.copyToRegistry(layout, "1", repo + ":1", null);
    Cli.Result c = soci("convert", "--plain-http", repo + ":1", "soci");
    assertThat(c.exit()).as(c.err()).isZero();
    Path mnt = dir.resolve("mnt-rootfs");
    Process p = mount(repo + ":soci", mnt);
    Process sh = new ProcessBuilder("chroot", mnt.toString(), "/bin/sh", "-c", "cat /etc/os-release && ls /usr/bin "
        + "| wc -l").redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).as(out).isZero();
    String osRelease = Files.readString(DebianRootfs.directory().resolve("etc/os-release"));
    assertThat(out).startsWith(osRelease).contains("Debian GNU/Linux 12");
    long binaries;
    try (Stream<Path> s = Files.list(DebianRootfs.directory().resolve("usr/bin"))) {
      binaries = s.count();
    }
    assertThat(out.substring(osRelease.length()).trim()).isEqualTo(Long.toString(binaries));
    assertThat(soci("umount", mnt.toString()).exit()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** Path to link count of every regular file under a directory. */
  private static Map<String, Object> linkCounts(Path root) throws IOException {
    Map<String, Object> out = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          out.put(root.relativize(p).toString(), Files.getAttribute(p, "unix:nlink",
              java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
      }
    }
    return out;
  }

  private static String javaVersion(Path mnt) throws Exception {
    Process java = new ProcessBuilder(mnt.resolve("opt/java/bin/java").toString(), "-version").redirectErrorStream(true)
        .start();
    String version = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(version).isZero();
    return version;
  }

  /**
   * Record then prefetch: the files {@code java -version} opens, recorded by one mount and made
   * prefetch artifacts by {@code soci convert --prefetch-files-json}, are fetched by the next mount
   * before the program runs: the program then fetches no span itself.
   */
  @Test
  void aRecordedListMakesTheNextMountFetchWhatTheProgramReadsFirst() throws Exception {
    Path first = dir.resolve("mnt-record");
    Path record = dir.resolve("java-version.json");
    Process p = mount(first, "--record", record.toString());
    javaVersion(first);
    assertThat(soci("umount", first.toString()).exit()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String[] recorded = new ObjectMapper().readValue(record.toFile(), String[].class);
    assertThat(recorded).contains("/opt/java/lib/server/libjvm.so");

    String repo = ref.substring(0, ref.lastIndexOf(':'));
    Cli.Result c = soci("convert", "--plain-http", "--prefetch-files-json", record.toString(),
        repo + ":" + DemoImage.TAG, "soci-prefetch");
    assertThat(c.exit()).as(c.err()).isZero();

    Path second = Files.createDirectories(dir.resolve("mnt-prefetched"));
    mounts.add(second);
    try (io.soci4j.registry.RegistryClient client = io.soci4j.registry.RegistryClient.builder()
            .plainHttp(REGISTRY.registry()).build();
        io.soci4j.reader.SociImage img = io.soci4j.reader.SociImage.open(
            client.store(io.soci4j.registry.ImageReference.parse(repo + ":soci-prefetch")), "soci-prefetch",
            io.soci4j.reader.SociImageOptions.builder().prefetchInBackground(true).build());
        SociMount m = SociMount.mount(img, second)) {
      img.prefetched().get(120, TimeUnit.SECONDS);
      long prefetched = img.stats().spansFetched();
      assertThat(prefetched).as("spans of the recorded files").isPositive();
      javaVersion(m.mountPoint());
      io.soci4j.reader.ReaderStats after = img.stats();
      System.out.printf("prefetch round trip: %d files recorded, %d spans prefetched; java -version then fetched %d "
          + "spans (%d cache hits)%n", recorded.length, prefetched, after.spansFetched() - prefetched, after.cacheHits());
      assertThat(after.spansFetched()).as("java -version fetched nothing itself").isEqualTo(prefetched);
      assertThat(after.cacheHits()).isPositive();
    }
  }

  @Test
  void sigtermUnmountsAndEnds() throws Exception {
    Path mnt = dir.resolve("mnt-term");
    Process p = mount(mnt);
    assertThat(Files.readAllBytes(mnt.resolve("etc/os-release")))
        .isEqualTo(Files.readAllBytes(reference.resolve("etc/os-release")));
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(SociMount.mountedAt(mnt)).isFalse();
  }

  @Test
  void umountOfWhatIsNotMountedSaysSo() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("not-mounted"));
    Cli.Result r = soci("umount", empty.toString());
    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.err()).contains("nothing is mounted there");
    Cli.Result help = soci("mount", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("MOUNTPOINT").contains("--record");
  }

  @Test
  void aMountPointInUseOrNotEmptyIsRefusedWithOneLine() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("x"), "x");
    Cli.Result r = soci("mount", "--plain-http", "--no-cache", ref, full.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("must be empty");
    try (Stream<Path> s = Files.list(full)) {
      assertThat(s.count()).isEqualTo(1);
    }
    assertThat(SociMount.mountedAt(full)).isFalse();
  }
}
