package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.cli.testing.CountingStore;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.SociIndexFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reading one small file moves, counted per blob by a store wrapper, on the realistic 3-layer
 * {@link DemoImage} in a real registry (Debian's docker-registry), made SOCI-enabled by {@code soci
 * convert} with upstream's 4 MiB spans and with 1 MiB spans: the index and manifests, the TOC parts
 * of the zTOCs, one checkpoint record, one span (and the small layer without a zTOC, read whole to
 * list it). With the metadata cache a second open fetches only the span; with the span cache too,
 * nothing.
 */
class FetchLessMetadataTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  private static final int RECORD = 17 + 32768;
  @TempDir static Path dir;
  static DemoImage image;
  static String repo4m;
  static String repo1m;

  @BeforeAll
  static void pushAndConvert() throws Exception {
    image = DemoImage.build(dir.resolve("layout"));
    repo4m = REGISTRY.registry() + "/demo4m";
    repo1m = REGISTRY.registry() + "/demo1m";
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, repo4m + ":" + DemoImage.TAG, null);
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, repo1m + ":" + DemoImage.TAG, null);
    Cli.Result c4 = soci("convert", "--plain-http", repo4m + ":" + DemoImage.TAG, "soci");
    assertThat(c4.exit()).as(c4.err()).isZero();
    Cli.Result c1 = soci("convert", "--plain-http", "--span-size", "1048576", repo1m + ":" + DemoImage.TAG, "soci");
    assertThat(c1.exit()).as(c1.err()).isZero();
  }

  @AfterAll
  static void release() {
    image = null;
  }

  private static RegistryClient client() {
    return RegistryClient.builder().plainHttp(REGISTRY.registry()).build();
  }

  /**
   * The target, 1.2%, is below this image's floor with 4 MiB spans: the span holding the
   * file is 2.5 MB compressed (1.24% alone) and the TOCs 1 MB; the test prints the figures and
   * checks that the zTOCs now cost their TOC parts and one record.
   */
  @Test
  void catWith4MiBSpansMovesTheTocPartsOneCheckpointAndOneSpan() throws Exception {
    Moved m = readOsRelease(repo4m, "4 MiB");
    assertThat(m.total()).as("less than 60%% of reading with whole zTOCs (%,d bytes)", m.withWholeZtocs())
        .isLessThan(m.withWholeZtocs() * 6 / 10);
  }

  @Test
  void catWith1MiBSpansMovesAtMostSevenTenthsOfAPercent() throws Exception {
    Moved m = readOsRelease(repo1m, "1 MiB");
    assertThat(m.percent()).as("target: at most 0.7%").isLessThanOrEqualTo(0.7);
  }

  /**
   * What reading the file moved.
   *
   * @param total bytes moved, everything included
   * @param withWholeZtocs what the same read moves when every zTOC is fetched whole
   * @param percent total of the image's compressed bytes
   */
  record Moved(long total, long withWholeZtocs, double percent) {}

  /** Reads /etc/os-release through a counting store; checks and prints what moved. */
  private static Moved readOsRelease(String repo, String spans) throws Exception {
    long imageBytes = image.layers().stream().mapToLong(Descriptor::size).sum();
    try (RegistryClient client = client()) {
      FoundIndex found = SociIndexFinder.forPlatform(SociImageOptions.defaults().platform())
          .find(client.store(ImageReference.parse(repo + ":soci")), "soci").orElseThrow();
      Set<Digest> ztocs = found.index().ztocs().stream().map(Descriptor::digest).collect(Collectors.toSet());
      Set<Digest> indexed = found.layers().stream().filter(l -> found.ztocFor(l).isPresent())
          .map(Descriptor::digest).collect(Collectors.toSet());
      Set<Digest> whole = found.layers().stream().filter(l -> found.ztocFor(l).isEmpty())
          .map(Descriptor::digest).collect(Collectors.toSet());
      long ztocBytes = found.index().ztocs().stream().mapToLong(Descriptor::size).sum();
      long records = 0;
      for (Descriptor z : found.index().ztocs()) {
        byte[] bytes = client.store(ImageReference.parse(repo + ":soci")).fetch(z);
        records += io.soci4j.ztoc.ZtocCodec.parse(bytes).checkpoints().length - 12;
      }
      try (CountingStore store = new CountingStore(client.store(ImageReference.parse(repo + ":soci")));
          SociImage img = SociImage.open(store, "soci")) {
        List<CountingStore.Read> atOpen = store.reads();
        store.reset();
        assertThat(img.readAllBytes("/etc/os-release")).isEqualTo(Files.readAllBytes(Path.of("/etc/os-release")));
        List<CountingStore.Read> cat = store.reads();

        long tocParts = sum(atOpen, r -> ztocs.contains(r.blob()));
        long manifests = sum(atOpen, r -> !ztocs.contains(r.blob()) && !indexed.contains(r.blob())
            && !whole.contains(r.blob()));
        long wholeLayers = sum(atOpen, r -> whole.contains(r.blob()));
        List<CountingStore.Read> checkpointReads = cat.stream().filter(r -> ztocs.contains(r.blob())).toList();
        List<CountingStore.Read> spanReads = cat.stream().filter(r -> indexed.contains(r.blob())).toList();
        long checkpoints = sum(cat, r -> ztocs.contains(r.blob()));
        long span = sum(cat, r -> indexed.contains(r.blob()));
        long total = tocParts + manifests + wholeLayers + checkpoints + span;
        double percent = 100.0 * total / imageBytes;
        System.out.printf(Locale.ROOT, "cat /etc/os-release, %s spans: index and manifests %,d bytes; zTOC parts %,d "
            + "of the zTOCs' %,d; checkpoints %,d in %d reads (%d of a whole record); span %,d in %d read(s); layers "
            + "read whole (no zTOC) %,d; total %,d of the image's %,d compressed bytes = %.2f%% (whole zTOCs: %.2f%%); "
            + "stats: %s%n", spans, manifests, tocParts, ztocBytes, checkpoints, checkpointReads.size(),
            checkpointReads.stream().filter(r -> r.length() >= RECORD).count(), span, spanReads.size(), wholeLayers,
            total, imageBytes, percent, 100.0 * (manifests + ztocBytes + wholeLayers + span) / imageBytes,
            img.stats().format());
        assertThat(atOpen.stream().filter(r -> indexed.contains(r.blob()))).as("no span read at open").isEmpty();
        assertThat(cat.stream().filter(CountingStore.Read::whole)).as("nothing fetched whole to read").isEmpty();
        assertThat(spanReads).as("one span").hasSize(1);
        assertThat(checkpointReads.stream().filter(r -> r.length() >= RECORD)).as("one checkpoint record").hasSize(1);
        assertThat(checkpoints).as("one record and a few 17-byte headers").isLessThanOrEqualTo(RECORD + 17L * 16);
        assertThat(tocParts).as("the zTOCs but their checkpoint records (and the first read's overlap)")
            .isBetween(ztocBytes - records, ztocBytes - records + 16384L * found.index().ztocs().size());
        assertThat(img.stats().checkpointsRead()).isEqualTo(1);
        return new Moved(total, manifests + ztocBytes + wholeLayers + span, percent);
      }
    }
  }

  private static long sum(List<CountingStore.Read> reads, java.util.function.Predicate<CountingStore.Read> which) {
    return reads.stream().filter(which).mapToLong(CountingStore.Read::length).sum();
  }

  @Test
  void aSecondOpenWithTheMetadataCacheFetchesOnlyTheSpan(@TempDir Path cacheDir) throws Exception {
    byte[] expected = Files.readAllBytes(Path.of("/etc/os-release"));
    SociImageOptions metadataOnly = SociImageOptions.builder().metadataCache(cacheDir.resolve("metadata")).build();
    try (RegistryClient client = client();
        CountingStore store = new CountingStore(client.store(ImageReference.parse(repo4m + ":soci")))) {
      try (SociImage first = SociImage.open(store, "soci", metadataOnly)) {
        assertThat(first.readAllBytes("/etc/os-release")).isEqualTo(expected);
      }
      long firstBytes = store.bytes();
      store.reset();
      try (SociImage second = SociImage.open(store, "soci", metadataOnly)) {
        assertThat(second.readAllBytes("/etc/os-release")).isEqualTo(expected);
        List<CountingStore.Read> reads = store.reads();
        System.out.printf(Locale.ROOT, "second open with the metadata cache: %d read(s), %,d bytes (first open: %,d)%n",
            reads.size(), store.bytes(), firstBytes);
        assertThat(reads).as("only the span").hasSize(1).allSatisfy(r -> assertThat(r.whole()).isFalse());
        assertThat(second.stats().metadataBytes()).isZero();
      }

      SociImageOptions both = SociImageOptions.builder().metadataCache(cacheDir.resolve("metadata"))
          .diskCache(cacheDir.resolve("spans"), 1L << 30).build();
      try (SociImage warm = SociImage.open(store, "soci", both)) {
        warm.readAllBytes("/etc/os-release");
      }
      store.reset();
      try (SociImage hot = SociImage.open(store, "soci", both)) {
        assertThat(hot.readAllBytes("/etc/os-release")).isEqualTo(expected);
        assertThat(store.reads()).as("nothing").isEmpty();
        assertThat(store.bytes()).isZero();
      }
    }
  }

  /**
   * A checkpoint record altered on the wire (a range read is not covered by the zTOC's digest):
   * refused when read, before any byte of the file is written; one line naming the zTOC and layer.
   */
  @Test
  void aCheckpointRecordCorruptedOnTheWireFailsCatWithOneLine() throws Exception {
    Descriptor base = image.layers().get(0); // holds usr/lib/os-release
    Digest ztoc;
    try (RegistryClient client = client()) {
      ztoc = SociIndexFinder.forPlatform(SociImageOptions.defaults().platform())
          .find(client.store(ImageReference.parse(repo4m + ":soci")), "soci").orElseThrow().ztocFor(base)
          .orElseThrow().digest();
    }
    try (FaultProxy proxy = FaultProxy.start(REGISTRY.url())) {
      // the zTOC's first read, its tail, then a record or record header: its last byte is a
      // checkpoint's bits, which the flip (xor 0x55) puts outside 0..7
      FaultProxy.Rule flip = proxy.injectNth("GET", "/v2/demo4m/blobs/" + ztoc, 3, FaultProxy.Kind.CORRUPT);
      Cli.Result r = soci("cat", "--plain-http", "--no-cache", proxy.registry() + "/demo4m:soci", "/etc/os-release");
      assertThat(flip.applied()).isEqualTo(1);
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertThat(r.bytes()).isEmpty();
      assertThat(r.err().lines()).hasSize(1);
      assertThat(r.err()).contains("invalid zTOC").contains("is not in 0..7").contains(ztoc.toString())
          .contains(base.digest().toString());
    }
  }

  @Test
  void theCliCachesMetadataAndSpansAndPrintsOpenAndFirstByteTimes(@TempDir Path cacheDir) throws Exception {
    String ref = repo4m + ":soci";
    byte[] expected = Files.readAllBytes(Path.of("/etc/os-release"));
    Cli.Result first = soci("cat", "--plain-http", "--stats", "--cache-dir", cacheDir.toString(), ref, "/etc/os-release");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.bytes()).isEqualTo(expected);
    assertThat(first.err()).containsPattern("time: open \\d+\\.\\d{3} s, first byte \\d+\\.\\d{3} s")
        .contains("1 checkpoints read").doesNotContain("metadata 0 bytes");
    Cli.Result second = soci("cat", "--plain-http", "--stats", "--cache-dir", cacheDir.toString(), ref,
        "/etc/os-release");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.bytes()).isEqualTo(expected);
    assertThat(second.err()).as(second.err()).contains("fetched 0 bytes").contains("metadata 0 bytes");
    assertThat(Files.list(cacheDir.resolve("metadata").resolve("tmp")).count()).isZero();

    Cli.Result off = soci("cat", "--plain-http", "--stats", "--no-cache", "--cache-dir", cacheDir.toString(), ref,
        "/etc/os-release");
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(off.err()).doesNotContain("metadata 0 bytes");

    Cli.Result whole = soci("cat", "--plain-http", "--stats", "--no-cache", "--whole-ztocs", ref, "/etc/os-release");
    assertThat(whole.exit()).as(whole.err()).isZero();
    assertThat(whole.bytes()).isEqualTo(expected);
    assertThat(whole.err()).contains(" 0 checkpoints read");
  }
}
