package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.flat.FlatBuffer;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.TestLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading a zTOC by parts ({@link LazyZtoc#open}) gives what parsing it whole gives: the same
 * TOC, spans, span lookups and decompressed bytes, on upstream's golden zTOCs and on generated
 * ones (many spans, the v1 checkpoint form), while reading only the start, the TOC and the
 * checkpoint records of the spans used. Malformed parts are refused with {@link
 * ZtocFormatException} naming the field and the offset.
 */
@Timeout(value = 60, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LazyZtocTest {
  private static final int ENTRY = GzipCheckpoints.ENTRY_SIZE;
  private static byte[] layer;
  private static Ztoc ztoc;
  private static byte[] bytes;

  @BeforeAll
  static void build() throws Exception {
    layer = TestLayers.gzip(TestLayers.mixed(23, TestLayers.Size.SMALL).tar(), 6);
    ztoc = ZtocBuilder.create().withSpanSize(32 << 10).build(new ByteArrayInputStream(layer));
    bytes = ZtocCodec.serialize(ztoc);
    assertThat(ztoc.spans()).hasSizeGreaterThan(8);
  }

  /** A byte source over a zTOC that records every range read. */
  static class Recording implements ByteSource {
    final byte[] data;
    final List<long[]> reads = new ArrayList<>();

    Recording(byte[] data) {
      this.data = data;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) {
      reads.add(new long[] {offset, dst.remaining()});
      dst.put(data, (int) offset, dst.remaining());
    }

    synchronized long bytesRead() {
      return reads.stream().mapToLong(r -> r[1]).sum();
    }

    synchronized int count() {
      return reads.size();
    }
  }

  static Stream<GoldenVectors.Vector> lazyGolden() {
    return GoldenVectors.buildable().stream().filter(v -> v.algorithm().equals("gzip"))
        .filter(v -> v.ztocBytes().length > 3 * ENTRY);
  }

  @ParameterizedTest
  @MethodSource("lazyGolden")
  void goldenZtocsReadByPartsEqualTheWholeParse(GoldenVectors.Vector v) throws Exception {
    assertEquivalent(v.ztocBytes(), v.layerBytes());
  }

  @Test
  void generatedZtocWithManySpansReadByPartsEqualsTheWholeParse() throws Exception {
    assertEquivalent(bytes, layer);
  }

  /** Hundreds of spans: their digests (76 bytes each) put the checkpoint blob past the first read. */
  @Test
  void aZtocWhoseDigestsOutgrowTheFirstReadIsReadByParts() throws Exception {
    TestLayers.TarWriter tar = new TestLayers.TarWriter();
    Random r = new Random(29);
    for (int i = 0; i < 40; i++) {
      tar.file("random/" + i, TestLayers.random(r, 200_000)); // stored blocks: a checkpoint every few KB
    }
    byte[] big = TestLayers.gzip(tar.finish(TestLayers.BLOCK).tar(), 6);
    Ztoc many = ZtocBuilder.create().withSpanSize(16 << 10).build(new ByteArrayInputStream(big));
    assertThat(many.spans().size() * 76L).isGreaterThan(LazyZtoc.FIRST_READ);
    byte[] z = ZtocCodec.serialize(many);
    Recording source = new Recording(z);
    LazyZtoc lazy = LazyZtoc.open(source).orElseThrow();
    assertThat(source.count()).as("first read, the rest of the start, the tail").isEqualTo(3);
    long records = (long) many.spans().size() * ENTRY;
    assertThat(source.bytesRead()).isEqualTo(z.length - records);
    assertThat(lazy.toc()).isEqualTo(many.toc());
    assertThat(lazy.span(many.spans().size() / 2)).isEqualTo(many.spans().get(many.spans().size() / 2));
  }

  @Test
  void theV1CheckpointFormReadByPartsEqualsTheWholeParse() throws Exception {
    byte[] blob = ztoc.checkpoints();
    byte[] v1 = new byte[blob.length - ENTRY];
    System.arraycopy(blob, 0, v1, 0, GzipCheckpoints.HEADER_SIZE);
    System.arraycopy(blob, GzipCheckpoints.HEADER_SIZE + ENTRY, v1, GzipCheckpoints.HEADER_SIZE,
        v1.length - GzipCheckpoints.HEADER_SIZE);
    Ztoc old = new Ztoc(ztoc.version(), ztoc.buildToolIdentifier(), ztoc.compressedArchiveSize(),
        ztoc.uncompressedArchiveSize(), ztoc.toc(), ztoc.compression(), ztoc.spanDigests(), v1);
    assertThat(old.spans().get(0).compressedStart()).isEqualTo(10);
    assertEquivalent(ZtocCodec.serialize(old), layer);
  }

  /** Everything the reader uses, lazily and eagerly; and what reading a few spans costs. */
  private static void assertEquivalent(byte[] ztocBytes, byte[] layerBytes) throws Exception {
    Ztoc eager = ZtocCodec.parse(ztocBytes);
    Recording source = new Recording(ztocBytes);
    Optional<LazyZtoc> opened = LazyZtoc.open(source);
    assertThat(opened).as("records of %d spans", eager.spans().size()).isPresent();
    LazyZtoc lazy = opened.get();
    long recordBytes = eager.checkpoints().length - GzipCheckpoints.HEADER_SIZE;
    assertThat(source.bytesRead()).as("open skips the records (but for what the first read overlaps)")
        .isBetween(ztocBytes.length - recordBytes, ztocBytes.length - recordBytes + LazyZtoc.FIRST_READ);
    assertThat(source.count()).isLessThanOrEqualTo(3);
    assertThat(lazy.toc()).isEqualTo(eager.toc());
    assertThat(lazy.spanDigests()).isEqualTo(eager.spanDigests());
    assertThat(lazy.compressedArchiveSize()).isEqualTo(eager.compressedArchiveSize());
    assertThat(lazy.uncompressedArchiveSize()).isEqualTo(eager.uncompressedArchiveSize());
    assertThat(lazy.checkpointsLoaded()).isZero();

    // one file in the middle: its span found with at most a few record headers besides its record
    long opened0 = source.bytesRead();
    TocEntry middle = eager.toc().stream().filter(e -> e.dataSize() > 0)
        .skip(eager.toc().stream().filter(e -> e.dataSize() > 0).count() / 2).findFirst().orElseThrow();
    int span = lazy.spanOf(middle.uncompressedOffset());
    assertThat(span).isEqualTo(eagerSpanOf(eager, middle.uncompressedOffset()));
    assertThat(lazy.span(span)).isEqualTo(eager.spans().get(span));
    assertThat(lazy.checkpointsLoaded()).as("one window read (none for the implied first of the v1 form)")
        .isEqualTo(span == 0 && recordBytes != (long) eager.spans().size() * ENTRY ? 0 : 1);
    assertThat(lazy.toString()).contains(lazy.checkpointsLoaded() + " checkpoints read");
    assertThat(source.bytesRead() - opened0).as("one record, the next header and a few probes")
        .isLessThanOrEqualTo(ENTRY + 17 + 17L * 8);

    // every span, every entry offset, every span boundary
    LayerReader reader = LayerReader.of(eager, ByteSource.of(layerBytes));
    TreeSet<Long> offsets = new TreeSet<>();
    eager.toc().forEach(e -> offsets.add(e.uncompressedOffset()));
    for (Span s : eager.spans()) {
      offsets.add(s.uncompressedStart());
      offsets.add(s.uncompressedStart() - 1);
      offsets.add(s.uncompressedStart() + 1);
    }
    Random r = new Random(7);
    for (int i = 0; i < 200; i++) {
      offsets.add((long) (r.nextDouble() * eager.uncompressedArchiveSize()));
    }
    for (long off : offsets) {
      if (off >= 0 && off < eager.uncompressedArchiveSize()) {
        LazyZtoc fresh = LazyZtoc.open(new Recording(ztocBytes)).orElseThrow();
        assertThat(fresh.spanOf(off)).as("offset %d", off).isEqualTo(eagerSpanOf(eager, off));
        assertThat(lazy.spanOf(off)).as("offset %d", off).isEqualTo(eagerSpanOf(eager, off));
      }
    }
    for (Span s : eager.spans()) {
      assertThat(lazy.span(s.id())).isEqualTo(s);
      byte[] compressed = Arrays.copyOfRange(layerBytes, (int) s.compressedStart(), (int) s.compressedEnd());
      assertThat(lazy.decompressWholeSpan(s.id(), compressed, 0))
          .isEqualTo(reader.decompressWholeSpan(s.id(), compressed, 0));
      int len = (int) Math.min(100, s.uncompressedLength() / 2);
      byte[] part = new byte[len];
      lazy.decompressSpan(s.id(), compressed, 0, s.uncompressedLength() / 3, part, 0, len);
      assertThat(part).isEqualTo(reader.read(s.uncompressedStart() + s.uncompressedLength() / 3, len));
    }
    boolean v1 = recordBytes != (long) eager.spans().size() * ENTRY;
    assertThat(lazy.checkpointsLoaded()).isEqualTo(eager.spans().size() - (v1 ? 1 : 0));
    assertThat(source.bytesRead()).as("every byte read once at most, plus headers read twice")
        .isLessThanOrEqualTo(ztocBytes.length + LazyZtoc.FIRST_READ + 17L * 2 * eager.spans().size() + 17L * 16);
  }

  private static int eagerSpanOf(Ztoc z, long off) {
    int found = 0;
    for (Span s : z.spans()) {
      if (s.uncompressedStart() <= off) {
        found = s.id();
      }
    }
    return found;
  }

  @Test
  void loadReadsTheRecordsOfARunOfSpansInOneRead() throws Exception {
    Recording source = new Recording(bytes);
    LazyZtoc lazy = LazyZtoc.open(source).orElseThrow();
    int before = source.count();
    lazy.load(2, 6);
    assertThat(source.count()).isEqualTo(before + 1);
    assertThat(source.reads.get(before)[1]).isEqualTo(5L * ENTRY + 17);
    assertThat(lazy.checkpointsLoaded()).isEqualTo(5);
    lazy.load(3, 5);
    assertThat(source.count()).as("nothing new").isEqualTo(before + 1);
    assertThat(lazy.span(4)).isEqualTo(ztoc.spans().get(4));
  }

  @Test
  void concurrentReadersOfOneSpanReadItsRecordOnce() throws Exception {
    Recording source = new Recording(bytes) {
      @Override
      public void read(long offset, ByteBuffer dst) {
        if (dst.remaining() > 17) {
          try {
            Thread.sleep(50); // the record read is slow: every reader arrives while it is in flight
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        super.read(offset, dst);
      }
    };
    LazyZtoc lazy = LazyZtoc.open(source).orElseThrow();
    int before = source.count();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<Span>> got = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        got.add(pool.submit(() -> lazy.span(5)));
      }
      for (var f : got) {
        assertThat(f.get()).isEqualTo(ztoc.spans().get(5));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(source.count() - before).as("one read for 16 readers").isEqualTo(1);
    assertThat(lazy.checkpointsLoaded()).isEqualTo(1);
  }

  @Test
  void smallOrNonGzipZtocsAreLeftToAWholeRead() throws Exception {
    GoldenVectors.Vector small = GoldenVectors.buildable().stream()
        .filter(v -> v.name().equals("small-gz6-span4m")).findFirst().orElseThrow();
    assertThat(LazyZtoc.open(new Recording(small.ztocBytes()))).isEmpty();
    GoldenVectors.Vector tar = GoldenVectors.buildable().stream()
        .filter(v -> v.algorithm().equals("uncompressed")).findFirst().orElseThrow();
    assertThat(LazyZtoc.open(new Recording(tar.ztocBytes()))).isEmpty();
    LazyZtoc whole = LazyZtoc.of(ztoc);
    assertThat(whole.checkpointsLoaded()).isEqualTo(ztoc.spans().size());
    assertThat(whole.span(3)).isEqualTo(ztoc.spans().get(3));
    assertThat(whole.whole()).contains(ztoc);
  }

  // --- malformed parts --------------------------------------------------------------------------

  private static long blobStart() throws Exception {
    return new FlatBuffer(bytes, "").root().table(5, "compression_info").vector(3, "checkpoints", 1).position();
  }

  private static long record(int i) throws Exception {
    return blobStart() + GzipCheckpoints.HEADER_SIZE + (long) i * ENTRY;
  }

  private static byte[] altered(Consumer<ByteBuffer> change) {
    byte[] copy = bytes.clone();
    change.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
    return copy;
  }

  private static ZtocFormatException refusedWhenSpanRead(byte[] ztocBytes, int span) throws Exception {
    LazyZtoc lazy = LazyZtoc.open(new Recording(ztocBytes)).orElseThrow();
    Throwable t = catchThrowable(() -> lazy.span(span));
    assertThat(t).isInstanceOf(ZtocFormatException.class);
    return (ZtocFormatException) t;
  }

  @Test
  void aCorruptedCheckpointRecordIsRefusedWhenItsSpanIsRead() throws Exception {
    int at = (int) record(4);
    ZtocFormatException bits = refusedWhenSpanRead(altered(b -> b.put(at + 16, (byte) 9)), 4);
    assertThat(bits.field()).isEqualTo("compression_info.checkpoints[4].bits");
    assertThat(bits.offset()).isEqualTo(at + 16);
    assertThat(bits).hasMessageContaining("not in 0..7");

    ZtocFormatException in = refusedWhenSpanRead(altered(b -> b.putLong(at, ztoc.compressedArchiveSize() + 1)), 4);
    assertThat(in.field()).isEqualTo("compression_info.checkpoints[4].in");
    assertThat(in).hasMessageContaining("outside the layer");

    // checkpoint 5's offsets (read with span 4, to end it) go backwards
    int next = (int) record(5);
    ZtocFormatException order = refusedWhenSpanRead(altered(b -> b.putLong(next + 8, 1)), 4);
    assertThat(order.field()).isEqualTo("compression_info.checkpoints[5]");
    assertThat(order).hasMessageContaining("do not increase");

    int first = (int) record(0);
    ZtocFormatException zero = refusedWhenSpanRead(altered(b -> b.putLong(first + 8, 5)), 0);
    assertThat(zero).hasMessageContaining("span 0 starts at uncompressed offset 5");
  }

  @Test
  void aRecordThatContradictsOneReadEarlierIsRefused() throws Exception {
    // record 6 says it starts before record 3, which was read first
    int at = (int) record(6);
    LazyZtoc lazy = LazyZtoc.open(new Recording(altered(b -> b.putLong(at + 8,
        ztoc.spans().get(3).uncompressedStart() - 1)))).orElseThrow();
    lazy.span(2);
    Throwable t = catchThrowable(() -> lazy.span(6));
    assertThat(t).isInstanceOf(ZtocFormatException.class).hasMessageContaining("checkpoint 3");
  }

  @Test
  void aCheckpointCountThatDoesNotFitTheBlobIsRefusedAtOpen() throws Exception {
    long blob = blobStart();
    Throwable count = catchThrowable(() -> LazyZtoc.open(new Recording(altered(b -> b.putInt((int) blob,
        ztoc.spans().size() + 1)))));
    assertThat(count).isInstanceOf(ZtocFormatException.class).hasMessageContaining("does not match max_span_id");
    // the blob's length says it runs past the end of the zTOC: checkpoint records outside the blob
    Throwable length = catchThrowable(() -> LazyZtoc.open(new Recording(altered(b -> b.putInt((int) blob - 4,
        bytes.length)))));
    assertThat(length).isInstanceOf(ZtocFormatException.class).hasMessageContaining("runs past the end");
    assertThat(((ZtocFormatException) length).field()).isEqualTo("compression_info.checkpoints");
  }

  @Test
  void aTocThatPointsIntoTheCheckpointRecordsIsRefusedAtOpen() throws Exception {
    // the root's toc offset moved back into the records: the TOC would share bytes with them
    FlatBuffer fb = new FlatBuffer(bytes, "");
    long field = fb.root().fieldPosition(ZtocSchema.ZTOC_TOC);
    long target = record(3);
    Throwable t = catchThrowable(() -> LazyZtoc.open(new Recording(altered(b -> b.putInt((int) field,
        (int) (target - field))))));
    assertThat(t).isInstanceOf(ZtocFormatException.class).hasMessageContaining("outside the bytes read");
    assertThat(((ZtocFormatException) t).field()).isEqualTo("toc");

    // the blob made longer, over the TOC: the TOC now lies inside what the blob claims
    long blob = blobStart();
    int len = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt((int) blob - 4);
    Throwable over = catchThrowable(() -> LazyZtoc.open(new Recording(altered(b -> b.putInt((int) blob - 4,
        len + ENTRY)))));
    assertThat(over).isInstanceOf(ZtocFormatException.class);
  }

  @Test
  void truncatedRangesAreRefused() throws Exception {
    ByteSource shortReads = new ByteSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public void read(long offset, ByteBuffer dst) {
        throw new UnsupportedOperationException();
      }

      @Override
      public byte[] read(long offset, int length) {
        return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length - 1);
      }
    };
    Throwable t = catchThrowable(() -> LazyZtoc.open(shortReads));
    assertThat(t).isInstanceOf(ZtocFormatException.class).hasMessageContaining("truncated");

    // a zTOC blob shorter than its descriptor says: the TOC's end is missing
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 100);
    Throwable truncated = catchThrowable(() -> LazyZtoc.open(new Recording(cut)));
    assertThat(truncated).isInstanceOf(ZtocFormatException.class);
  }

  @Test
  void garbageAtTheStartIsRefused() throws Exception {
    byte[] garbage = altered(b -> b.putInt(0, 0x7FFFFFF0));
    Throwable t = catchThrowable(() -> LazyZtoc.open(new Recording(garbage)));
    assertThat(t).isInstanceOf(ZtocFormatException.class);
  }

  @Test
  void aFailingReadPropagatesAndTheSpanCanBeReadLater() throws Exception {
    boolean[] fail = {false};
    Recording ok = new Recording(bytes);
    ByteSource flaky = new ByteSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public void read(long offset, ByteBuffer dst) throws IOException {
        if (fail[0]) {
          throw new IOException("connection reset");
        }
        ok.read(offset, dst);
      }
    };
    LazyZtoc lazy = LazyZtoc.open(flaky).orElseThrow();
    fail[0] = true;
    assertThat(catchThrowable(() -> lazy.span(3))).isInstanceOf(IOException.class).hasMessage("connection reset");
    fail[0] = false;
    assertThat(lazy.span(3)).isEqualTo(ztoc.spans().get(3));
  }
}
