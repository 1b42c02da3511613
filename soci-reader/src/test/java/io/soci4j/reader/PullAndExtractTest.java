package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.reader.testing.ReferenceExtractor;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.reader.testing.TreeSnapshot;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulling layers (parallel span decompression equals plain decompression, padding included) and
 * extracting images (equal to the reference, atomic, refusing unsafe layers without writing).
 */
class PullAndExtractTest {
  private static TestStore store;
  private static TestImage image;
  private static SociImage reader;

  @BeforeAll
  static void open() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
    reader = SociImage.open(store, StandardImage.TAG, options().build());
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
  }

  private static SociImageOptions.Builder options() {
    return SociImageOptions.builder().prefetch(false).retryBackoff(Duration.ZERO);
  }

  @Test
  void aPulledLayerIsItsPlainDecompressionAndHashesToItsDiffId() throws IOException {
    for (int i = 0; i < 3; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      reader.pullLayer(i, out);
      byte[] tar = image.tars().get(i);
      assertThat(out.toByteArray()).as("layer %d", i).isEqualTo(tar);
      assertThat(Digest.sha256(out.toByteArray())).isEqualTo(Digest.sha256(tar));
    }
    assertThat(image.tars().get(0).length % 10240).as("the tar has record padding").isZero();
  }

  @Test
  void pullingWithOneThreadAndTinyRequestsGivesTheSameBytes(@TempDir Path tmp) throws IOException {
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().pullThreads(1).maxRequestBytes(1)
        .spanCacheBytes(0).decompressedCacheBytes(0).build())) {
      Path file = tmp.resolve("layer0.tar");
      img.pullLayer(0, file);
      assertThat(Files.readAllBytes(file)).isEqualTo(image.tars().get(0));
      assertThat(img.stats().layers().get(0).spansDecompressed()).isEqualTo(img.layers().get(0).spanCount());
    }
  }

  @Test
  void extractionEqualsTheReferenceAndLeavesNoTemporaryDirectory(@TempDir Path tmp) throws IOException {
    Path ref = tmp.resolve("ref");
    Files.createDirectories(ref);
    ReferenceExtractor.extract(image.tars(), ref);
    Path out = tmp.resolve("out");
    reader.extractTo(out);
    assertThat(TreeSnapshot.of(out)).isEqualTo(TreeSnapshot.of(ref));
    assertThat(Files.isSameFile(out.resolve("bin/hl"), out.resolve("bin/big"))).isTrue();
    assertThat(Files.readSymbolicLink(out.resolve("escape"))).isEqualTo(Path.of("../../../../etc/passwd"));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ref", "out");
    }
    assertThatThrownBy(() -> reader.extractTo(out)).isInstanceOf(FileAlreadyExistsException.class);
    ReferenceExtractor.removeSymlinks(tmp);
  }

  @Test
  void aLayerWithDotDotNamesIsRefusedAndNothingIsWritten(@TempDir Path tmp) throws IOException {
    byte[] evil = new TarBuilder()
        .file("./ok", "fine")
        .file("../evil", "escaped")
        .file("a/../../evil2", "escaped")
        .rawFile("/abs-evil", "absolute".getBytes(StandardCharsets.UTF_8))
        .hardlink("./hl", "../outside")
        .tar();
    checkRefused(tmp, evil, 4, "ok");
  }

  @Test
  void aSymlinkThenWriteThroughLayerIsRefusedAndNothingIsWritten(@TempDir Path tmp) throws IOException {
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside);
    byte[] evil = new TarBuilder()
        .symlink("./link", outside.toString())
        .file("./link/pwned", "through the link")
        .symlink("./rel", "../../../../../../" + outside)
        .file("./rel/pwned2", "through the relative link")
        .tar();
    checkRefused(tmp, evil, 2, "link");
    try (Stream<Path> s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }

  private static void checkRefused(Path tmp, byte[] layer, int unsafe, String visible) throws IOException {
    TestStore evilStore = new TestStore();
    new TestImage.Builder().gzipLayer(layer).push(evilStore, "evil", SociIndexBuilder.create().withMinLayerSize(0));
    try (SociImage img = SociImage.open(evilStore, "evil", options().build())) {
      assertThat(img.layers().get(0).indexed()).isTrue();
      assertThat(img.rejectedEntries()).hasSize(unsafe);
      assertThat(img.exists("/" + visible, LinkOption.NOFOLLOW_LINKS)).isTrue();
      Path target = tmp.resolve("target");
      assertThatThrownBy(() -> img.extractTo(target)).isInstanceOf(UnsafeEntryException.class)
          .satisfies(e -> assertThat(((UnsafeEntryException) e).entries()).hasSize(unsafe));
      assertThat(target).doesNotExist();
      try (Stream<Path> s = Files.walk(tmp)) {
        assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("evil")
            || n.startsWith("pwned") || n.startsWith("abs-evil") || n.contains(".soci-"));
      }
    }
    assertThat(Files.exists(Path.of("/abs-evil"))).isFalse();
    assertThat(Files.exists(tmp.getParent().resolve("evil"))).isFalse();
    assertThat(Files.exists(tmp.getParent().resolve("evil2"))).isFalse();
  }

  @Test
  void rejectedEntriesNameTheirLayerAndReason() throws IOException {
    byte[] layer = new TarBuilder().file("../x", "x").hardlink("./hl", "missing").tar();
    TestStore s = new TestStore();
    TestImage img = new TestImage.Builder().gzipLayer(layer).push(s, "t", SociIndexBuilder.create().withMinLayerSize(0));
    try (SociImage r = SociImage.open(s, "t", options().build())) {
      List<RejectedEntry> rejected = r.rejectedEntries();
      assertThat(rejected).extracting(RejectedEntry::name).containsExactly("../x", "./hl");
      assertThat(rejected).allMatch(e -> e.layer().equals(img.layers().get(0).digest()));
      assertThat(rejected.get(0).reason()).contains("..");
      assertThat(rejected.get(1).reason()).contains("does not exist");
    }
  }
}
