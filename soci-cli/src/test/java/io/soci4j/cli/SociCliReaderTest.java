package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.cli.DemoImage;
import io.soci4j.cli.testing.CountingStore;
import io.soci4j.cli.testing.WhiteoutExtractor;
import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.SociImage;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a remote image without pulling it, against a real registry (Debian's docker-registry
 * 2.8, started for this class) holding the realistic 3-layer {@link DemoImage} pushed by skopeo
 * and indexed by {@code soci create}.
 */
class SociCliReaderTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static DemoImage image;

  /** The image holds its layer tars in memory (hundreds of MB): let them go for the next classes. */
  @org.junit.jupiter.api.AfterAll
  static void releaseImage() throws java.io.IOException {
    image = null;
    // the JDK's lib/ has links into /etc: removed here, JUnit's clean-up would warn about each
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (java.nio.file.Files.isSymbolicLink(p)) {
          java.nio.file.Files.delete(p);
        }
      }
    }
  }
  static String ref;
  static Path reference;

  @BeforeAll
  static void pushAndIndex() throws Exception {
    image = DemoImage.build(dir.resolve("layout"));
    ref = REGISTRY.registry() + "/demo:" + DemoImage.TAG;
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, ref, null);
    Cli.Result created = soci("create", "--plain-http", ref);
    assertThat(created.exit()).as(created.err()).isZero();
    reference = dir.resolve("reference");
    WhiteoutExtractor.extract(image.tars(), reference);
  }

  @Test
  void readingASmallFileMovesAFewPercentOfTheImage() throws Exception {
    long imageBytes = image.layers().stream().mapToLong(l -> l.size()).sum();
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build();
        CountingStore store = new CountingStore(client.store(ImageReference.parse(ref)));
        SociImage img = SociImage.open(store, DemoImage.TAG)) {
      byte[] osRelease = img.readAllBytes("/etc/os-release");
      assertThat(osRelease).isEqualTo(Files.readAllBytes(Path.of("/etc/os-release")));
      double percent = 100.0 * store.bytes() / imageBytes;
      System.out.printf(Locale.ROOT, "read /etc/os-release: %,d of the image's %,d compressed bytes (%.2f%%) in %d "
          + "requests; reader stats: %s%n", store.bytes(), imageBytes, percent, store.requests(), img.stats().format());
      assertThat(percent).isLessThan(5.0);
    }
  }

  @Test
  void catWritesOnlyTheFileToStdoutAndStatsToStderr() throws Exception {
    Cli.Result r = soci("cat", "--plain-http", "--stats", ref, "/etc/os-release");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.bytes()).isEqualTo(Files.readAllBytes(Path.of("/etc/os-release")));
    assertThat(r.err()).contains("fetched").contains("requests")
        .contains("registry: 0 retries, 0 resumes (0 bytes kept), 0 blobs read whole (Range ignored)");

    Cli.Result missing = soci("cat", "--plain-http", ref, "/usr/share/doc/bash/copyright");
    assertThat(missing.exit()).as("whited out by the app layer").isNotZero();
    assertThat(missing.out()).isEmpty();
  }

  @Test
  void lsAndStatShowTheMergedView() throws Exception {
    Cli.Result ls = soci("ls", "--plain-http", ref, "/opt/java/conf");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out().lines()).as("opaque directory: only the app layer's file").hasSize(1)
        .allSatisfy(l -> assertThat(l).endsWith(" app.properties"));
    Cli.Result stat = soci("stat", "--plain-http", ref, "/etc/os-release");
    assertThat(stat.out()).contains("type:       symlink").contains("resolved:   /usr/lib/os-release");
    assertThat(soci("ls", "--plain-http", ref, "/usr/share/doc").out()).doesNotContain(" bash\n");
  }

  @Test
  void everyFileReadThroughTheReaderEqualsTheReferenceExtraction() throws Exception {
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build();
        SociImage img = SociImage.open(client.store(ImageReference.parse(ref)), DemoImage.TAG)) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(reference)) {
        files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
      }
      assertThat(files).hasSizeGreaterThan(1000);
      for (Path f : files) {
        String path = "/" + reference.relativize(f);
        assertThat(img.readAllBytes(path)).as(path).isEqualTo(Files.readAllBytes(f));
      }
      for (ImageEntry e : img.list("/usr/share/doc")) {
        assertThat(reference.resolve("usr/share/doc").resolve(e.name())).exists();
      }
    }
  }

  @Test
  void pullExtractsWhatTheReferenceHas() throws Exception {
    Path out = dir.resolve("pulled");
    Cli.Result r = soci("pull", "--plain-http", ref, out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> expected;
    List<String> actual;
    try (Stream<Path> a = Files.walk(reference); Stream<Path> b = Files.walk(out)) {
      expected = a.map(p -> reference.relativize(p).toString()).sorted().toList();
      actual = b.map(p -> out.relativize(p).toString()).sorted().toList();
    }
    assertThat(actual).isEqualTo(expected);
    Path release = Path.of("opt/java/release");
    assertThat(Files.readAllBytes(out.resolve(release))).isEqualTo(Files.readAllBytes(reference.resolve(release)));
  }
}
