package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.Descriptor;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.SociIndexFinder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader reads zTOCs by parts: at open the start and the TOC of each, a span's checkpoint
 * record when a read first needs the span; with the metadata cache a second open fetches no
 * metadata at all. Counted by the in-memory store (every range read and whole fetch recorded).
 */
class LazyCheckpointsTest {
  private static final int RECORD = 17 + 32768;
  private TestStore store;
  private TestImage image;
  private Descriptor layer0;
  private Descriptor ztoc0;

  @BeforeEach
  void push() throws IOException {
    store = new TestStore();
    image = StandardImage.push(store);
    layer0 = image.layers().get(0);
    FoundIndex found = SociIndexFinder.forPlatform(SociImageOptions.defaults().platform()).find(store,
        StandardImage.TAG).orElseThrow();
    ztoc0 = found.ztocFor(layer0).orElseThrow();
    store.resetCounters();
  }

  private SociImageOptions.Builder options() {
    return SociImageOptions.builder().prefetch(false).retryBackoff(Duration.ZERO);
  }

  private long ztocRangeBytes() {
    return store.ranges(ztoc0.digest()).stream().mapToLong(TestStore.Range::length).sum();
  }

  private long layerRanges() {
    return image.layers().stream().mapToLong(l -> store.ranges(l.digest()).size()).sum();
  }

  @Test
  void openReadsTheTocsAndAReadOneCheckpoint() throws IOException {
    Ztoc eager = ZtocCodec.parse(store.blob(ztoc0.digest()));
    int spans = eager.spans().size();
    TocEntry f20 = eager.toc().stream().filter(e -> e.name().endsWith("files/f20")).findFirst().orElseThrow();
    long covered = eager.spans().stream().filter(s -> s.uncompressedEnd() > f20.uncompressedOffset()
        && s.uncompressedStart() < f20.uncompressedOffset() + f20.uncompressedSize()).count();
    assertThat(spans).isGreaterThan(20);
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().build())) {
      assertThat(store.wholeFetches(ztoc0.digest())).as("not fetched whole").isZero();
      long atOpen = ztocRangeBytes();
      assertThat(atOpen).as("open skips the records").isLessThan(ztoc0.size() - (spans - 1L) * RECORD);
      assertThat(img.stats().checkpointsRead()).isZero();

      assertThat(img.readAllBytes("/files/f20")).isEqualTo(image.file(0, "./files/f20"));
      long read = ztocRangeBytes() - atOpen;
      ReaderStats stats = img.stats();
      System.out.printf("zTOC of %,d bytes (%d spans): %,d read at open, %,d for /files/f20 (%d checkpoints)%n",
          ztoc0.size(), spans, atOpen, read, stats.checkpointsRead());
      assertThat(stats.checkpointsRead()).as("one per span the file covers").isEqualTo(covered);
      // besides the records: 17-byte headers, a few for each of the two lookups (first and last byte)
      assertThat(read).isLessThanOrEqualTo(stats.checkpointsRead() * RECORD + 17L * 16);
      assertThat(stats.openTime()).isPositive();
      assertThat(stats.firstByteTime()).isPresent().hasValueSatisfying(t -> assertThat(t).isPositive());
      assertThat(stats.format()).contains("checkpoints read").contains("open ").contains("first byte ");
    }
  }

  @Test
  void everyFileReadsTheSameAsWithWholeZtocs() throws IOException {
    try (SociImage lazy = SociImage.open(store, StandardImage.TAG, options().build());
        SociImage whole = SociImage.open(store, StandardImage.TAG, options().lazyCheckpoints(false).build())) {
      assertThat(store.wholeFetches(ztoc0.digest())).as("the eager image fetched it whole").isEqualTo(1);
      for (String f : List.of("/etc/os-release", "/bin/big", "/usr/lib/libfoo.so.1", "/aligned/target")) {
        assertThat(lazy.readAllBytes(f)).as(f).isEqualTo(whole.readAllBytes(f));
      }
      for (int i = 39; i >= 0; i--) {
        String f = String.format("/files/f%02d", i);
        assertThat(lazy.readAllBytes(f)).as(f).isEqualTo(whole.readAllBytes(f));
      }
    }
  }

  @Test
  void aSecondOpenWithTheMetadataCacheFetchesNoMetadata(@TempDir Path dir) throws IOException {
    SociImageOptions o = options().metadataCache(dir.resolve("metadata")).build();
    byte[] f20 = image.file(0, "./files/f20");
    try (SociImage first = SociImage.open(store, StandardImage.TAG, o)) {
      assertThat(first.readAllBytes("/files/f20")).isEqualTo(f20);
    }
    store.resetCounters();
    try (SociImage second = SociImage.open(store, StandardImage.TAG, o)) {
      assertThat(second.readAllBytes("/files/f20")).isEqualTo(f20);
      assertThat(second.stats().metadataBytes()).as("no manifest, index or zTOC fetched").isZero();
      assertThat(ztocRangeBytes()).as("no zTOC range").isZero();
      assertThat(layerRanges()).as("the span itself, without a span cache").isPositive();
    }

    // with the span disk cache too: nothing but the tag's resolution, and the small layer without a
    // zTOC, which is always fetched whole
    SociImageOptions both = options().metadataCache(dir.resolve("metadata")).diskCache(dir.resolve("spans"), 1L << 30)
        .build();
    try (SociImage warm = SociImage.open(store, StandardImage.TAG, both)) {
      warm.readAllBytes("/files/f20");
    }
    store.resetCounters();
    try (SociImage hot = SociImage.open(store, StandardImage.TAG, both)) {
      assertThat(hot.readAllBytes("/files/f20")).isEqualTo(f20);
      assertThat(store.ranges()).isEmpty();
      ReaderStats stats = hot.stats();
      assertThat(stats.metadataBytes()).isZero();
      assertThat(stats.bytesFetched()).isEqualTo(stats.layers().stream().filter(l -> !l.indexed())
          .mapToLong(LayerStats::bytesFetched).sum());
      assertThat(hot.stats().metadataRequests()).as("the tag's resolution, the referrers of a v1 index")
          .isEqualTo(2);
    }
  }

  @Test
  void aZtocCachedWholeIsUsedWholeByLaterOpens(@TempDir Path dir) throws IOException {
    try (SociImage first = SociImage.open(store, StandardImage.TAG,
        options().metadataCache(dir).lazyCheckpoints(false).build())) {
      first.readAllBytes("/files/f20");
    }
    store.resetCounters();
    try (SociImage second = SociImage.open(store, StandardImage.TAG, options().metadataCache(dir).build())) {
      assertThat(second.readAllBytes("/files/f20")).isEqualTo(image.file(0, "./files/f20"));
      assertThat(store.ranges(ztoc0.digest())).isEmpty();
      assertThat(store.wholeFetches(ztoc0.digest())).isZero();
      assertThat(second.stats().checkpointsRead()).as("held whole: none read by range").isZero();
    }
  }

  @Test
  void aDamagedCacheEntryIsDroppedAndFetchedAgain(@TempDir Path dir) throws IOException {
    SociImageOptions o = options().metadataCache(dir).build();
    try (SociImage first = SociImage.open(store, StandardImage.TAG, o)) {
      first.readAllBytes("/files/f20");
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) { // flip one byte of every entry, blobs and ranges
      byte[] b = Files.readAllBytes(f);
      b[b.length / 2] ^= 1;
      Files.write(f, b);
    }
    store.resetCounters();
    try (SociImage second = SociImage.open(store, StandardImage.TAG, o)) {
      assertThat(second.readAllBytes("/files/f20")).isEqualTo(image.file(0, "./files/f20"));
      assertThat(ztocRangeBytes()).as("the parts fetched again").isPositive();
    }
    assertThat(Files.list(dir.resolve("tmp")).count()).isZero();
  }

  @Test
  void aCorruptCheckpointRecordFailsTheReadNamingTheZtocAndLayer() throws IOException {
    // every checkpoint record's bits set to 9: whatever span a read needs is refused
    byte[] z = store.blob(ztoc0.digest());
    long blob = ZtocBlob.checkpointBlob(z);
    int count = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).getInt((int) blob);
    store.fault((range, data) -> {
      if (range.blob().equals(ztoc0.digest())) {
        for (int i = 0; i < count; i++) {
          long bits = blob + 12 + (long) i * RECORD + 16;
          if (bits >= range.offset() && bits < range.end()) {
            data[(int) (bits - range.offset())] = 9;
          }
        }
      }
    });
    try (SociImage img = SociImage.open(store, StandardImage.TAG, options().build())) {
      Throwable t = catchThrowable(() -> img.readAllBytes("/files/f20"));
      assertThat(t).isInstanceOf(ZtocFormatException.class).hasMessageContaining("bits 9 is not in 0..7")
          .hasMessageContaining(ztoc0.digest().toString()).hasMessageContaining(layer0.digest().toString());
      // layers 1 and 2 are fine
      assertThat(img.readAllBytes("/etc/motd")).isEqualTo(image.file(2, "./etc/motd"));
    }
  }

  /** Where a zTOC's checkpoint blob is, from its flatbuffer. */
  static final class ZtocBlob {
    static long checkpointBlob(byte[] ztoc) {
      ByteBuffer b = ByteBuffer.wrap(ztoc).order(ByteOrder.LITTLE_ENDIAN);
      int root = b.getInt(0);
      int vtable = root - b.getInt(root);
      int infoField = root + b.getShort(vtable + 4 + 2 * 5);
      int info = infoField + b.getInt(infoField);
      int infoVtable = info - b.getInt(info);
      int cpField = info + b.getShort(infoVtable + 4 + 2 * 3);
      int vector = cpField + b.getInt(cpField);
      return vector + 4;
    }
  }
}
