package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Digest;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk span cache: survives a new image instance (no refetch), stays under its cap, drops a
 * corrupt entry (and refetches that span only), leaves no temporary files.
 */
class DiskCacheTest {
  private static TestStore store;
  private static TestImage image;
  private static Digest layer0;

  @BeforeAll
  static void push() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
    layer0 = image.layers().get(0).digest();
  }

  private static SociImage open(Path cacheDir, long cap) throws IOException {
    SociImage img = SociImage.open(store, StandardImage.TAG, SociImageOptions.builder().prefetch(false)
        .retryBackoff(Duration.ZERO).spanCacheBytes(0).decompressedCacheBytes(0).diskCache(cacheDir, cap)
        .metadataCache(cacheDir.resolve("metadata")).build());
    store.resetCounters();
    return img;
  }

  @Test
  void aNewImageInstanceReadsFromTheDiskCacheWithoutFetching(@TempDir Path dir) throws IOException {
    byte[] big = image.file(0, "./bin/big");
    try (SociImage first = open(dir, 1L << 30)) {
      assertThat(first.readAllBytes("/bin/big")).isEqualTo(big);
      assertThat(store.ranges(layer0)).isNotEmpty();
    }
    try (SociImage second = open(dir, 1L << 30)) {
      assertThat(second.readAllBytes("/bin/big")).isEqualTo(big);
      assertThat(store.ranges()).isEmpty();
      assertThat(second.stats().cacheHits()).isPositive();
      assertThat(second.stats().cacheMisses()).isZero();
    }
    assertThat(files(dir.resolve("tmp"))).isEmpty();
  }

  @Test
  void theCacheStaysUnderItsCap(@TempDir Path dir) throws IOException {
    long cap = 200_000;
    try (SociImage img = open(dir, cap)) {
      io.soci4j.reader.testing.TreeSnapshot.of(img);
      long fetched = img.stats().spansFetched();
      List<Path> spanFiles = files(dir.resolve("spans"));
      assertThat(spanFiles.size()).isLessThan((int) fetched);
      assertThat(totalSize(spanFiles)).isLessThanOrEqualTo(cap).isPositive();
    }
    SpanCache.disk(dir, cap / 2).close(); // reopening under a smaller cap trims the oldest files
    assertThat(totalSize(files(dir.resolve("spans")))).isLessThanOrEqualTo(cap / 2).isPositive();
  }

  @Test
  void aCorruptEntryIsDroppedAndItsSpanRefetched(@TempDir Path dir) throws IOException {
    byte[] big = image.file(0, "./bin/big");
    try (SociImage first = open(dir, 1L << 30)) {
      first.readAllBytes("/bin/big");
    }
    List<Path> spanFiles = files(dir.resolve("spans").resolve(layer0.hex()));
    Path victim = spanFiles.get(spanFiles.size() / 2);
    byte[] good = Files.readAllBytes(victim);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 1;
    Files.write(victim, bad);
    try (SociImage second = open(dir, 1L << 30)) {
      assertThat(second.readAllBytes("/bin/big")).isEqualTo(big);
      List<TestStore.Range> reads = store.ranges(layer0);
      assertThat(reads).hasSize(1);
      assertThat(reads.get(0).length()).isEqualTo(good.length);
      assertThat(second.stats().layers().get(0).cacheMisses()).isEqualTo(1);
    }
    assertThat(Files.readAllBytes(victim)).isEqualTo(good);
  }

  @Test
  void aSharedCacheIsNotClosedWithTheImage(@TempDir Path dir) throws IOException {
    SpanCache shared = SpanCache.tiered(SpanCache.memory(1 << 20), SpanCache.disk(dir, 1L << 30));
    SociImageOptions o = SociImageOptions.builder().prefetch(false).spanCache(shared)
        .metadataCache(dir.resolve("metadata")).build();
    try (SociImage a = SociImage.open(store, StandardImage.TAG, o)) {
      a.readAllBytes("/etc/os-release");
    }
    store.resetCounters();
    try (SociImage b = SociImage.open(store, StandardImage.TAG, o)) {
      store.resetCounters();
      b.readAllBytes("/etc/os-release");
      assertThat(store.ranges()).isEmpty();
    }
    shared.close();
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static long totalSize(List<Path> files) throws IOException {
    long n = 0;
    for (Path p : files) {
      n += Files.size(p);
    }
    return n;
  }
}
