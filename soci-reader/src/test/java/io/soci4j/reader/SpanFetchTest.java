package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.SpanVerificationException;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How spans are fetched: only the ones needed, adjacent ones in one request, each verified (a
 * corrupt span refetched once, then refused), transient failures retried, each fetched once while
 * cached even under 64 concurrent readers, prefetch artifacts and the background fetch honoured.
 */
class SpanFetchTest {
  private static TestStore store;
  private static TestImage image;
  private static Ztoc ztoc0;
  private static Digest layer0;

  @BeforeAll
  static void push() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
    layer0 = image.layers().get(0).digest();
    var z = image.index().get(0).index().ztocs().stream()
        .filter(d -> layer0.toString().equals(d.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST)))
        .findFirst().orElseThrow();
    ztoc0 = ZtocCodec.parse(store.blob(z.digest()));
  }

  @AfterEach
  void clearFault() {
    store.fault((r, d) -> { });
    store.resetCounters();
  }

  private static SociImage open(SociImageOptions.Builder b) throws IOException {
    SociImage img = SociImage.open(store, StandardImage.TAG, b.build());
    store.resetCounters();
    return img;
  }

  private static SociImageOptions.Builder options() {
    return SociImageOptions.builder().prefetch(false).retryBackoff(java.time.Duration.ZERO);
  }

  @Test
  void readingAFileFetchesOnlyItsSpansInOneRequest() throws IOException {
    try (SociImage img = open(options())) {
      byte[] big = img.readAllBytes("/bin/big");
      assertThat(big).isEqualTo(image.file(0, "./bin/big"));
      List<TestStore.Range> reads = store.ranges(layer0);
      assertThat(reads).hasSize(1);
      TocEntry e = entry("./bin/big");
      Span first = spanAt(e.uncompressedOffset());
      Span last = spanAt(e.uncompressedEnd() - 1);
      assertThat(reads.get(0).offset()).isEqualTo(first.compressedStart());
      assertThat(reads.get(0).end()).isEqualTo(last.compressedEnd());
      assertThat(reads.get(0).length()).isLessThan((int) image.layers().get(0).size());
      LayerStats s = img.stats().layers().get(0);
      assertThat(s.requests()).isEqualTo(1);
      assertThat(s.spansFetched()).isEqualTo(last.id() - first.id() + 1);
      assertThat(s.cacheMisses()).isEqualTo(s.spansFetched());
      assertThat(s.bytesFetched()).isEqualTo(reads.get(0).length());
    }
  }

  @Test
  void aSecondReadIsServedFromTheCaches() throws IOException {
    try (SociImage img = open(options().decompressedCacheBytes(0))) {
      img.readAllBytes("/bin/big");
      long requests = store.requests();
      long misses = img.stats().cacheMisses();
      assertThat(img.readAllBytes("/bin/big")).isEqualTo(image.file(0, "./bin/big"));
      assertThat(store.requests()).isEqualTo(requests);
      assertThat(img.stats().cacheMisses()).isEqualTo(misses);
      assertThat(img.stats().cacheHits()).isEqualTo(img.stats().spansFetched());
    }
  }

  @Test
  void aRequestBoundSplitsAReadIntoSeveralParallelRequests() throws IOException {
    try (SociImage img = open(options().maxRequestBytes(100_000).fetchThreads(4))) {
      assertThat(img.readAllBytes("/bin/big")).isEqualTo(image.file(0, "./bin/big"));
      List<TestStore.Range> reads = store.ranges(layer0);
      assertThat(reads.size()).isGreaterThan(3);
      assertThat(reads).allMatch(r -> r.length() <= 100_000 + 70_000);
    }
  }

  @Test
  void aSpanCorruptedOnceIsRefetchedAndReadCorrectly() throws IOException {
    TocEntry e = entry("./bin/big");
    Span bad = spanAt(e.uncompressedOffset() + 200_000);
    long at = bad.compressedStart() + bad.compressedLength() / 2;
    AtomicInteger corrupted = new AtomicInteger();
    store.fault((r, data) -> {
      if (r.blob().equals(layer0) && r.offset() <= at && at < r.end() && corrupted.getAndIncrement() == 0) {
        data[(int) (at - r.offset())] ^= 0x55;
      }
    });
    try (SociImage img = open(options())) {
      assertThat(img.readAllBytes("/bin/big")).isEqualTo(image.file(0, "./bin/big"));
      LayerStats s = img.stats().layers().get(0);
      assertThat(s.verificationFailures()).isEqualTo(1);
      assertThat(s.retries()).isEqualTo(1);
      assertThat(store.ranges(layer0)).hasSize(2);
      assertThat(store.ranges(layer0).get(1).offset()).isEqualTo(bad.compressedStart());
    }
  }

  @Test
  void aSpanCorruptedEveryTimeFailsVerificationAndNeverReturnsBytes() throws IOException {
    TocEntry e = entry("./bin/big");
    Span bad = spanAt(e.uncompressedOffset() + 200_000);
    long at = bad.compressedStart() + bad.compressedLength() / 2;
    store.fault((r, data) -> {
      if (r.blob().equals(layer0) && r.offset() <= at && at < r.end()) {
        data[(int) (at - r.offset())] ^= 0x55;
      }
    });
    try (SociImage img = open(options())) {
      assertThatThrownBy(() -> img.readAllBytes("/bin/big")).isInstanceOf(SpanVerificationException.class)
          .satisfies(t -> assertThat(((SpanVerificationException) t).spanId()).isEqualTo(bad.id()));
      assertThatThrownBy(() -> img.read("/bin/big", 200_000, 10)).isInstanceOf(SpanVerificationException.class);
      assertThat(img.read("/bin/big", 0, 1000)).as("other spans still read")
          .isEqualTo(java.util.Arrays.copyOf(image.file(0, "./bin/big"), 1000));
      assertThat(img.stats().layers().get(0).verificationFailures()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void transientStoreFailuresAreRetried() throws IOException {
    AtomicInteger failures = new AtomicInteger();
    store.fault((r, data) -> {
      if (r.blob().equals(layer0) && failures.getAndIncrement() < 2) {
        throw new IOException("connection reset (injected)");
      }
    });
    try (SociImage img = open(options().retries(3))) {
      assertThat(img.readAllBytes("/bin/big")).isEqualTo(image.file(0, "./bin/big"));
      LayerStats s = img.stats().layers().get(0);
      assertThat(s.retries()).isEqualTo(2);
      assertThat(s.requests()).isEqualTo(3);
    }
  }

  @Test
  void failuresBeyondTheRetryBoundSurface() throws IOException {
    store.fault((r, data) -> {
      if (r.blob().equals(layer0)) {
        throw new IOException("connection reset (injected)");
      }
    });
    try (SociImage img = open(options().retries(2))) {
      assertThatThrownBy(() -> img.readAllBytes("/bin/big")).isInstanceOf(IOException.class)
          .hasMessageContaining("injected");
      assertThat(img.stats().layers().get(0).requests()).isEqualTo(3);
      store.fault((r, data) -> { });
      assertThat(img.readAllBytes("/bin/big")).as("a failed span is not stuck")
          .isEqualTo(image.file(0, "./bin/big"));
    }
  }

  /**
   * 64 threads read random files and ranges at once: every read returns the right bytes, and no
   * span is fetched twice (the span cache holds them all, so a second fetch would be a
   * single-flight or cache-race bug).
   */
  @Test
  void sixtyFourConcurrentReadersGetCorrectBytesAndEachSpanIsFetchedOnce() throws Exception {
    Map<String, byte[]> expected = new HashMap<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < StandardImage.FILES; i++) {
      String p = String.format("/files/f%02d", i);
      if (i != 1) {
        paths.add(p);
        expected.put(p, image.file(0, "." + p));
      }
    }
    paths.add("/bin/big");
    expected.put("/bin/big", image.file(0, "./bin/big"));
    paths.add("/aligned/target");
    expected.put("/aligned/target", image.file(1, "./aligned/target"));
    ExecutorService threads = Executors.newFixedThreadPool(64);
    try (SociImage img = open(options().decompressedCacheBytes(256 << 10).fetchThreads(4))) {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        Random r = new Random(t);
        tasks.add(() -> {
          for (int k = 0; k < 20; k++) {
            String p = paths.get(r.nextInt(paths.size()));
            byte[] want = expected.get(p);
            if (r.nextBoolean() || want.length == 0) {
              assertThat(img.readAllBytes(p)).as(p).isEqualTo(want);
            } else {
              int from = r.nextInt(want.length);
              int len = r.nextInt(want.length - from) + 1;
              assertThat(img.read(p, from, len)).as(p).isEqualTo(java.util.Arrays.copyOfRange(want, from, from + len));
            }
          }
          return null;
        });
      }
      for (Future<Void> f : threads.invokeAll(tasks)) {
        f.get();
      }
      long spanFetches = 0;
      for (int layer = 0; layer < 2; layer++) {
        Ztoc z = layer == 0 ? ztoc0 : ztocOf(1);
        int[] fetched = new int[z.spans().size()];
        for (TestStore.Range r : store.ranges(image.layers().get(layer).digest())) {
          for (Span s : z.spans()) {
            if (s.compressedStart() >= r.offset() && s.compressedEnd() <= r.end()) {
              fetched[s.id()]++;
            }
          }
        }
        for (int s = 0; s < fetched.length; s++) {
          assertThat(fetched[s]).as("fetches of span %d of layer %d", s, layer).isLessThanOrEqualTo(1);
        }
        assertThat(java.util.Arrays.stream(fetched).sum()).isPositive();
        spanFetches += java.util.Arrays.stream(fetched).sum();
      }
      assertThat(img.stats().spansFetched()).isEqualTo(spanFetches);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void concurrentReadersOfOneFileFetchAndDecompressEachSpanOnce() throws Exception {
    TocEntry e = entry("./bin/big");
    int spans = spanAt(e.uncompressedEnd() - 1).id() - spanAt(e.uncompressedOffset()).id() + 1;
    byte[] want = image.file(0, "./bin/big");
    ExecutorService threads = Executors.newFixedThreadPool(32);
    try (SociImage img = open(options())) {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<Callable<byte[]>> tasks = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        tasks.add(() -> {
          start.await();
          return img.readAllBytes("/bin/big");
        });
      }
      List<Future<byte[]>> results = new ArrayList<>();
      for (Callable<byte[]> task : tasks) {
        results.add(threads.submit(task));
      }
      start.countDown();
      for (Future<byte[]> f : results) {
        assertThat(f.get()).isEqualTo(want);
      }
      LayerStats s = img.stats().layers().get(0);
      assertThat(s.spansFetched()).isEqualTo(spans);
      assertThat(s.spansDecompressed()).isEqualTo(spans);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void prefetchArtifactsAreFetchedAtOpen() throws IOException {
    TocEntry e = entry("./etc/os-release");
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().prefetch(true).build())) {
      List<TestStore.Range> atOpen = store.ranges(layer0);
      assertThat(atOpen).hasSize(1);
      Span s = spanAt(e.uncompressedOffset());
      assertThat(atOpen.get(0).offset()).isEqualTo(s.compressedStart());
      store.resetCounters();
      assertThat(img.readAllBytes("/etc/os-release")).isEqualTo(StandardImage.OS_RELEASE.getBytes());
      assertThat(store.ranges()).isEmpty();
    }
  }

  @Test
  void theBackgroundFetchCachesEverySpan() throws Exception {
    try (SociImage img = open(options().backgroundFetch(true))) {
      img.backgroundFetch().get();
      long requests = store.requests();
      io.soci4j.reader.testing.TreeSnapshot.of(img);
      assertThat(store.requests()).as("no request after the background fetch").isEqualTo(requests);
      assertThat(img.stats().layers().get(0).spansFetched()).isEqualTo(ztoc0.spans().size());
    }
  }

  @Test
  void withoutTheBackgroundFetchItsFutureIsDoneAtOnce() throws IOException {
    try (SociImage img = open(options())) {
      assertThat(img.backgroundFetch()).isCompleted();
      assertThat(store.ranges()).isEmpty();
    }
  }

  private static TocEntry entry(String name) {
    return ztoc0.toc().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private static Span spanAt(long offset) {
    return ztoc0.spans().stream().filter(s -> s.uncompressedStart() <= offset && offset < s.uncompressedEnd())
        .findFirst().orElseThrow();
  }

  private static Ztoc ztocOf(int layer) throws IOException {
    Digest d = image.layers().get(layer).digest();
    var z = image.index().get(0).index().ztocs().stream()
        .filter(x -> d.toString().equals(x.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST)))
        .findFirst().orElseThrow();
    return ZtocCodec.parse(store.blob(z.digest()));
  }
}
