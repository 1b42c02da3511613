package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.reader.testing.ReferenceExtractor;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.reader.testing.TreeSnapshot;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads of the standard image: the merged view's semantics, and bytes equal to the layers'. */
class SociImageReadTest {
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

  static SociImageOptions.Builder options() {
    return SociImageOptions.builder().prefetch(false).retryBackoff(Duration.ZERO);
  }

  @Test
  void theTinyLayerHasNoZtocAndIsFetchedWholeOnce() {
    List<ImageLayer> layers = reader.layers();
    assertThat(layers).extracting(ImageLayer::indexed).containsExactly(true, true, false);
    assertThat(layers.get(0).spanCount()).isGreaterThan(5);
    assertThat(store.wholeFetches(image.layers().get(2).digest())).isEqualTo(0); // counters reset after open
    LayerStats whole = reader.stats().layers().get(2);
    assertThat(whole.indexed()).isFalse();
    assertThat(whole.wholeLayerFetches()).isEqualTo(1);
    assertThat(whole.bytesFetched()).isEqualTo(image.layers().get(2).size());
    assertThat(reader.stats().wholeLayerFetches()).isEqualTo(1);
  }

  @Test
  void aFileOfTheLayerWithoutZtocIsServedFromTheWholeFetch() throws IOException {
    long before = store.requests();
    assertThat(text("/etc/motd")).isEqualTo("welcome\n");
    assertThat(text("/files/f01")).isEqualTo("replaced by layer 2");
    assertThat(store.requests()).isEqualTo(before);
  }

  @Test
  void aFileSpanningSeveralSpansReadsWholeAndByRange() throws IOException {
    byte[] expected = image.file(0, "./bin/big");
    assertThat(spansOf(0, "./bin/big")).isGreaterThanOrEqualTo(8);
    assertThat(reader.readAllBytes("/bin/big")).isEqualTo(expected);
    assertThat(reader.read("/bin/big", 100_000, 300_000)).isEqualTo(Arrays.copyOfRange(expected, 100_000, 400_000));
    assertThat(reader.read("/bin/big", expected.length - 10, 100)).hasSize(10);
    assertThat(reader.read("/bin/big", expected.length + 10, 100)).isEmpty();
  }

  @Test
  void aFileStartingAtASpanBoundaryIsReadFromThatSpanOn() throws IOException {
    Ztoc z = ztoc(1);
    TocEntry target = entry(z, "./aligned/target");
    assertThat(target.uncompressedOffset() % StandardImage.SPAN).isZero();
    int first = (int) (target.uncompressedOffset() / StandardImage.SPAN);
    assertThat(z.spans().get(first).uncompressedStart()).isEqualTo(target.uncompressedOffset());
    try (SociImage fresh = SociImage.open(store, StandardImage.TAG, options().build())) {
      store.resetCounters();
      assertThat(fresh.read("/aligned/target", 0, 1000)).isEqualTo(Arrays.copyOf(image.file(1, "./aligned/target"), 1000));
      List<TestStore.Range> reads = store.ranges(image.layers().get(1).digest());
      assertThat(reads).hasSize(1);
      assertThat(reads.get(0).offset()).isEqualTo(z.spans().get(first).compressedStart());
      assertThat(fresh.readAllBytes("/aligned/target")).isEqualTo(image.file(1, "./aligned/target"));
    }
  }

  @Test
  void aHardLinkReadsAsItsTargetAndSharesItsIdentity() throws IOException {
    assertThat(reader.readAllBytes("/bin/hl")).isEqualTo(reader.readAllBytes("/bin/big"));
    assertThat(reader.stat("/bin/hl").fileId()).isEqualTo(reader.stat("/bin/big").fileId());
    assertThat(reader.stat("/bin/hl").type()).isEqualTo(EntryType.REGULAR);
    assertThat(text("/bin/hl2")).as("hard link to a file of a lower layer").isEqualTo(StandardImage.OS_RELEASE);
  }

  @Test
  void aSymlinkChainResolvesToTheFinalFile() throws IOException {
    assertThat(reader.readAllBytes("/chain1")).isEqualTo(image.file(0, "./usr/lib/libfoo.so.1"));
    assertThat(reader.realPath("/chain1")).isEqualTo("/usr/lib/libfoo.so.1");
    ImageEntry link = reader.stat("/chain1", LinkOption.NOFOLLOW_LINKS);
    assertThat(link.type()).isEqualTo(EntryType.SYMLINK);
    assertThat(link.linkTarget()).isEqualTo("chain2");
    assertThat(reader.readSymbolicLink("/chain2")).isEqualTo("/usr/lib/libfoo.so");
    assertThat(reader.stat("/chain1").type()).isEqualTo(EntryType.REGULAR);
  }

  @Test
  void symlinksPointingOutOfTheRootResolveInsideIt() throws IOException {
    assertThat(reader.realPath("/escape")).isEqualTo("/etc/passwd");
    assertThat(text("/escape")).isEqualTo(StandardImage.PASSWD);
    assertThat(reader.realPath("/abs-escape")).isEqualTo("/etc/os-release");
    assertThat(text("/abs-escape")).isEqualTo(StandardImage.OS_RELEASE);
    assertThat(reader.realPath("/../../../etc/../etc/os-release")).isEqualTo("/etc/os-release");
  }

  @Test
  void symlinkLoopsFailWithATypedException() {
    assertThatThrownBy(() -> reader.readAllBytes("/loop1")).isInstanceOf(SymlinkLoopException.class)
        .hasMessageContaining("/loop1");
    assertThatThrownBy(() -> reader.stat("/loop2/x")).isInstanceOf(SymlinkLoopException.class);
  }

  @Test
  void whitedOutFilesAndDirectoriesAreAbsent() throws IOException {
    assertThat(reader.exists("/data/to-delete")).isFalse();
    assertThat(text("/data/keep")).isEqualTo("kept");
    assertThat(reader.exists("/share/doc")).isFalse();
    assertThat(reader.exists("/share")).isTrue();
    assertThat(reader.list("/data")).extracting(ImageEntry::name).containsExactly("keep");
    assertThatThrownBy(() -> reader.readAllBytes("/data/to-delete")).isInstanceOf(PathNotFoundException.class);
    assertThat(reader.list("/")).extracting(ImageEntry::name).noneMatch(n -> n.startsWith(".wh."));
  }

  @Test
  void anOpaqueDirectoryHidesAllLowerContent() throws IOException {
    assertThat(reader.list("/opaque")).extracting(ImageEntry::name).containsExactly("new");
    assertThat(reader.exists("/opaque/sub/old2")).isFalse();
  }

  @Test
  void anEmptyFileReadsAsNoBytes() throws IOException {
    assertThat(reader.readAllBytes("/etc/empty")).isEmpty();
    assertThat(reader.stat("/etc/empty").size()).isZero();
    try (SeekableByteChannel ch = reader.open("/etc/empty")) {
      assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
    }
  }

  @Test
  void laterLayersWinAndDirectoryAttributesComeFromTheTopEntry() throws IOException {
    assertThat(text("/etc/passwd")).isEqualTo(StandardImage.PASSWD);
    ImageEntry etc = reader.stat("/etc");
    assertThat(etc.mode()).isEqualTo(0751);
    assertThat(etc.layer()).isEqualTo(image.layers().get(1).digest());
    assertThat(reader.list("/etc")).extracting(ImageEntry::name)
        .containsExactly("empty", "motd", "os-release", "passwd", "secret");
    ImageEntry secret = reader.stat("/etc/secret");
    assertThat(secret.mode()).isEqualTo(0600);
    assertThat(secret.uname()).isEqualTo("root");
    assertThat(secret.modTime()).isEqualTo(io.soci4j.reader.testing.TarBuilder.MTIME);
  }

  @Test
  void readingADirectoryOrAMissingPathFailsWithTypedExceptions() {
    assertThatThrownBy(() -> reader.readAllBytes("/etc")).isInstanceOf(NotRegularFileException.class);
    assertThatThrownBy(() -> reader.readAllBytes("/nope")).isInstanceOf(PathNotFoundException.class);
    assertThatThrownBy(() -> reader.stat("/etc/passwd/x")).isInstanceOf(PathNotFoundException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void aSeekableChannelReadsFromAnyPosition() throws IOException {
    byte[] expected = image.file(0, "./bin/big");
    try (SeekableByteChannel ch = reader.open("/bin/big")) {
      assertThat(ch.size()).isEqualTo(expected.length);
      ByteBuffer buf = ByteBuffer.allocate(70_000);
      ch.position(200_000);
      while (buf.hasRemaining()) {
        ch.read(buf);
      }
      assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(expected, 200_000, 270_000));
      ByteBuffer direct = ByteBuffer.allocateDirect(5);
      ch.position(3);
      ch.read(direct);
      direct.flip();
      byte[] five = new byte[5];
      direct.get(five);
      assertThat(five).isEqualTo(Arrays.copyOfRange(expected, 3, 8));
    }
  }

  @Test
  void everyFileReadThroughTheReaderEqualsAReferenceExtraction(@TempDir Path tmp) throws IOException {
    Path ref = tmp.resolve("ref");
    java.nio.file.Files.createDirectories(ref);
    ReferenceExtractor.extract(image.tars(), ref);
    java.util.Map<String, String> expected = TreeSnapshot.of(ref);
    assertThat(expected).containsKeys("/bin/big", "/aligned/target", "/escape", "/etc/motd");
    assertThat(TreeSnapshot.of(reader)).isEqualTo(expected);
    assertThat(reader.rejectedEntries()).isEmpty();
    ReferenceExtractor.removeSymlinks(tmp);
  }

  private static String text(String path) throws IOException {
    return new String(reader.readAllBytes(path), StandardCharsets.UTF_8);
  }

  private static Ztoc ztoc(int layer) throws IOException {
    Digest layerDigest = image.layers().get(layer).digest();
    var z = image.index().get(0).index().ztocs().stream()
        .filter(d -> layerDigest.toString().equals(d.annotations().get(io.soci4j.api.MediaTypes.ANNOTATION_LAYER_DIGEST)))
        .findFirst().orElseThrow();
    return ZtocCodec.parse(store.blob(z.digest()));
  }

  private static TocEntry entry(Ztoc z, String name) {
    return z.toc().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private static long spansOf(int layer, String name) throws IOException {
    Ztoc z = ztoc(layer);
    TocEntry e = entry(z, name);
    return z.spans().stream().filter(s -> s.uncompressedEnd() > e.uncompressedOffset()
        && s.uncompressedStart() < e.uncompressedEnd()).map(Span::id).count();
  }
}
