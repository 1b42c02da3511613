package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Digest;
import io.soci4j.reader.testing.ReferenceExtractor;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.reader.testing.TreeSnapshot;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction fetches the spans of the files it is about to write ahead of writing them: while one
 * range request is held (a stalled connection), the other requests go on and the files after it
 * arrive; once it is answered, the tree is exactly the reference, and every span was fetched once.
 * Hedged requests are off here: they would answer the held request's spans by a copy.
 */
class ExtractReadAheadTest {
  private static final int FILES = 24;

  private static TestImage image(TestStore store) throws IOException {
    Random r = new Random(5);
    TarBuilder a = new TarBuilder().dir("./a/", 0755);
    TarBuilder b = new TarBuilder().dir("./b/", 0755);
    for (int i = 0; i < FILES; i++) {
      a.file(String.format("./a/f%02d", i), StandardImage.random(r, 150_000), 0644);
      b.file(String.format("./b/f%02d", i), StandardImage.random(r, 150_000), 0644);
    }
    return new TestImage.Builder().gzipLayer(a.tar()).gzipLayer(b.tar()).push(store, "ahead",
        SociIndexBuilder.create().withSpanSize(StandardImage.SPAN).withMinLayerSize(0));
  }

  @org.junit.jupiter.api.RepeatedTest(5)
  void aHeldRequestHoldsUpOnlyTheFilesThatNeedIt(@TempDir Path tmp) throws Exception {
    TestStore store = new TestStore();
    TestImage image = image(store);
    Digest first = image.layers().get(0).digest();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean();
    AtomicInteger answeredWhileHeld = new AtomicInteger();
    try (SociImage img = SociImage.open(store, "ahead", SociImageOptions.builder().prefetch(false)
        .retryBackoff(Duration.ZERO).maxRequestBytes(256 << 10).hedgedRequests(false).build())) {
      store.resetCounters();
      store.fault((range, data) -> {
        if (range.blob().equals(first) && holding.compareAndSet(false, true)) {
          held.countDown(); // the first span request of layer 0: held until the test lets it go
          try {
            if (!release.await(60, TimeUnit.SECONDS)) {
              throw new IOException("never released");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
          }
        } else if (held.getCount() == 0 && release.getCount() == 1) {
          answeredWhileHeld.incrementAndGet();
        }
      });
      Path out = tmp.resolve("out");
      CompletableFuture<ExtractReport> extraction = CompletableFuture.supplyAsync(() -> {
        try {
          return img.extractTo(out);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(held.await(30, TimeUnit.SECONDS)).as("a request of layer 0 arrived").isTrue();
      // the writer waits for the held spans; the read-ahead keeps fetching the files after them
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answeredWhileHeld.get() < 8 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(extraction).as("the extraction waits for the held request").isNotDone();
      assertThat(answeredWhileHeld.get()).as("requests answered while one was held").isGreaterThanOrEqualTo(8);
      release.countDown();
      ExtractReport report = extraction.get(60, TimeUnit.SECONDS);
      assertThat(report.files()).isEqualTo(2L * FILES);

      Path ref = Files.createDirectories(tmp.resolve("ref"));
      ReferenceExtractor.extract(image.tars(), ref);
      assertThat(TreeSnapshot.of(out)).isEqualTo(TreeSnapshot.of(ref));
      for (int l = 0; l < 2; l++) {
        List<TestStore.Range> ranges = store.ranges(image.layers().get(l).digest()).stream()
            .sorted(java.util.Comparator.comparingLong(TestStore.Range::offset)).toList();
        assertThat(ranges).as("layer %d was read", l).isNotEmpty();
        for (int k = 1; k < ranges.size(); k++) {
          // a gzip span starts at the byte holding its checkpoint's first bit: neighbours share it
          assertThat(ranges.get(k).offset()).as("layer %d: no span fetched twice", l)
              .isGreaterThanOrEqualTo(ranges.get(k - 1).end() - 1);
        }
      }
    }
  }
}
