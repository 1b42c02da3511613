package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers without zTOC: fetched whole once and verified (a corrupt fetch is retried once, then
 * refused), kept in memory or in a temporary file deleted when the image closes.
 */
class WholeLayerTest {
  private static TestStore store;
  private static TestImage image;
  private static Digest tiny;

  @BeforeAll
  static void push() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
    tiny = image.layers().get(2).digest();
  }

  @AfterEach
  void clearFault() {
    store.fault((r, d) -> { });
  }

  private static SociImageOptions.Builder options() {
    return SociImageOptions.builder().prefetch(false).retryBackoff(Duration.ZERO);
  }

  @Test
  void aLayerBeyondTheMemoryLimitIsServedFromATemporaryFileDeletedOnClose(@TempDir Path tmp) throws IOException {
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().wholeLayerMemoryBytes(0)
        .tempDirectory(tmp).build())) {
      assertThat(files(tmp)).hasSize(1);
      assertThat(img.readAllBytes("/etc/motd")).isEqualTo("welcome\n".getBytes());
    }
    assertThat(files(tmp)).isEmpty();
  }

  @Test
  void aWholeFetchCorruptedOnceIsFetchedAgain() throws IOException {
    AtomicInteger n = new AtomicInteger();
    store.fault((r, data) -> {
      if (r.blob().equals(tiny) && n.getAndIncrement() == 0) {
        data[data.length / 2] ^= 1;
      }
    });
    store.resetCounters();
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().build())) {
      assertThat(img.readAllBytes("/etc/motd")).isEqualTo("welcome\n".getBytes());
      assertThat(store.wholeFetches(tiny)).isEqualTo(2);
      assertThat(img.stats().layers().get(2).wholeLayerFetches()).isEqualTo(2);
    }
  }

  @Test
  void aWholeFetchCorruptedEveryTimeFailsTheOpen() {
    store.fault((r, data) -> {
      if (r.blob().equals(tiny)) {
        data[data.length / 2] ^= 1;
      }
    });
    assertThatThrownBy(() -> SociImage.open(store, StandardImage.TAG, options().build()))
        .isInstanceOf(DigestMismatchException.class).hasMessageContaining(tiny.toString());
  }

  @Test
  void aWholeFetchFailingTransientlyIsRetried() throws IOException {
    AtomicInteger n = new AtomicInteger();
    store.fault((r, data) -> {
      if (r.blob().equals(tiny) && n.getAndIncrement() < 2) {
        throw new IOException("connection reset (injected)");
      }
    });
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().retries(2).build())) {
      assertThat(img.readAllBytes("/files/f01")).isEqualTo("replaced by layer 2".getBytes());
      assertThat(img.stats().layers().get(2).retries()).isEqualTo(2);
    }
  }

  private static java.util.List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
