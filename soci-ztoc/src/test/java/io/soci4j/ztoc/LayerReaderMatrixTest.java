package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.testing.ReferenceTar;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Kind;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import io.soci4j.ztoc.testing.TestLayers.Member;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zTOC builder and reader against an independent reference, over a matrix of layer encodings
 * (gzip -1, -6, -9, multi-member gzip, plain tar) and span sizes (64 KiB, 256 KiB, 1 MiB) of one
 * seeded mixed layer: the zTOC round-trips through the codec, its TOC is what commons-compress
 * wrote, and every file, hardlink, span and random range of the tar stream reads back as the JDK's
 * {@code GZIPInputStream} plus commons-compress's {@code TarArchiveInputStream} give it.
 *
 * <p>The matrix is checked to contain the hard cases, so they cannot silently disappear when the
 * generator changes: checkpoints that start in the middle of a byte, a file crossing several
 * spans, a file whose data starts exactly at a span start (plain tar: a filler puts it at a 1 MiB
 * multiple; multi-member gzip: a member starts there after a single-block member of more than 1
 * MiB, so a checkpoint must land there), and a span that runs across a gzip member boundary.
 */
@Timeout(value = 120, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LayerReaderMatrixTest {
  private static final long[] SPAN_SIZES = {64 << 10, 256 << 10, 1 << 20};

  /** The layer encodings of the matrix. */
  enum Encoding { GZIP_1, GZIP_6, GZIP_9, MULTI_MEMBER, TAR }

  private static final Layer LAYER = TestLayers.mixed(20240102L, TestLayers.Size.STANDARD);
  private static final Member FILLER = LAYER.member(TestLayers.FILLER);
  private static final Member ALIGNED = LAYER.member(TestLayers.ALIGNED);
  /** Member starts of the multi-member layer (uncompressed offsets). */
  private static final long[] SPLITS = splits();
  private static final Map<Encoding, byte[]> BLOBS = new EnumMap<>(Encoding.class);
  private static final Map<Encoding, ReferenceTar> REFERENCES = new ConcurrentHashMap<>();
  private static final Map<String, Ztoc> ZTOCS = new ConcurrentHashMap<>();

  static {
    BLOBS.put(Encoding.GZIP_1, TestLayers.gzip(LAYER.tar(), 1));
    BLOBS.put(Encoding.GZIP_6, TestLayers.gzip(LAYER.tar(), 6));
    BLOBS.put(Encoding.GZIP_9, TestLayers.gzip(LAYER.tar(), 9));
    BLOBS.put(Encoding.MULTI_MEMBER, TestLayers.gzipMembers(LAYER.tar(), 6, SPLITS));
    BLOBS.put(Encoding.TAR, LAYER.tar());
  }

  /**
   * Member boundaries: a few seeded ones early, then one at the filler's data, one at the aligned
   * file's data (the member between them is the filler's zeros plus one header: a single deflate
   * block of more than 1 MiB, so a checkpoint must sit at the aligned file for every span size),
   * and one 1000 bytes later, which no checkpoint can follow (less than a span after the last).
   */
  private static long[] splits() {
    Random r = new Random(99);
    List<Long> s = new ArrayList<>();
    long earlyEnd = FILLER.dataOffset();
    for (int i = 0; i < 4; i++) {
      s.add(1 + (long) (r.nextDouble() * (earlyEnd - 1)));
    }
    s.add(FILLER.dataOffset());
    s.add(ALIGNED.dataOffset());
    s.add(ALIGNED.dataOffset() + 1000);
    return s.stream().mapToLong(Long::longValue).distinct().sorted().toArray();
  }

  static Stream<Arguments> matrix() {
    return Arrays.stream(Encoding.values())
        .flatMap(e -> Arrays.stream(SPAN_SIZES).mapToObj(s -> Arguments.of(e, s)));
  }

  private static Ztoc ztoc(Encoding e, long spanSize) {
    return ZTOCS.computeIfAbsent(e + "/" + spanSize, k -> {
      try {
        return ZtocBuilder.create().withSpanSize(spanSize).build(new ByteArrayInputStream(BLOBS.get(e)));
      } catch (IOException ex) {
        throw new AssertionError("building " + k, ex);
      }
    });
  }

  private static ReferenceTar reference(Encoding e) {
    return REFERENCES.computeIfAbsent(e, k -> ReferenceTar.of(BLOBS.get(k)));
  }

  private static LayerReader reader(Encoding e, long spanSize) {
    return LayerReader.of(ztoc(e, spanSize), ByteSource.of(BLOBS.get(e)));
  }

  @ParameterizedTest(name = "{0}, span {1}")
  @MethodSource("matrix")
  void ztocRoundTripsThroughTheCodec(Encoding e, long spanSize) throws Exception {
    Ztoc built = ztoc(e, spanSize);
    Ztoc parsed = ZtocCodec.parse(ZtocCodec.serialize(built));

    assertThat(parsed).isEqualTo(built);
    assertThat(parsed.spans()).isEqualTo(built.spans());
    assertThat(ZtocCodec.serialize(parsed)).isEqualTo(ZtocCodec.serialize(built));
  }

  @ParameterizedTest(name = "{0}, span {1}")
  @MethodSource("matrix")
  void tocIsWhatTheTarWriterWrote(Encoding e, long spanSize) {
    Ztoc z = ztoc(e, spanSize);

    assertThat(z.compression()).isEqualTo(e == Encoding.TAR ? Compression.UNCOMPRESSED : Compression.GZIP);
    assertThat(z.compressedArchiveSize()).isEqualTo(BLOBS.get(e).length);
    assertThat(z.uncompressedArchiveSize()).isEqualTo(LAYER.archiveEnd());
    assertThat(z.toc()).hasSameSizeAs(LAYER.members());
    for (int i = 0; i < z.toc().size(); i++) {
      TocEntry t = z.toc().get(i);
      Member m = LAYER.members().get(i);
      assertThat(t.name()).as("entry %d", i).isEqualTo(m.name());
      assertThat(t.type()).as(m.name()).isEqualTo(switch (m.kind()) {
        case DIR -> EntryType.DIRECTORY;
        case FILE -> EntryType.REGULAR;
        case SYMLINK -> EntryType.SYMLINK;
        case HARDLINK -> EntryType.HARDLINK;
      });
      assertThat(t.uncompressedOffset()).as(m.name()).isEqualTo(m.dataOffset());
      assertThat(t.uncompressedSize()).as(m.name()).isEqualTo(m.data().length);
      assertThat(t.linkName()).as(m.name()).isEqualTo(m.linkName());
    }
  }

  @ParameterizedTest(name = "{0}, span {1}")
  @MethodSource("matrix")
  void everyFileAndHardlinkReadsBackAsExtracted(Encoding e, long spanSize) throws Exception {
    LayerReader reader = reader(e, spanSize);
    Map<String, byte[]> files = reference(e).files();
    long hardlinks = LAYER.members().stream().filter(m -> m.kind() == Kind.HARDLINK).count();
    assertThat(files).hasSize((int) (LAYER.members().stream().filter(m -> m.kind() == Kind.FILE)
        .map(Member::name).distinct().count() + hardlinks));
    Random r = new Random(spanSize + e.ordinal());
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertThat(reader.readFile(f.getKey())).as("readFile(%s)", f.getKey()).isEqualTo(f.getValue());
      try (InputStream in = reader.openFile(f.getKey())) {
        assertThat(readInIrregularChunks(in, r)).as("openFile(%s)", f.getKey()).isEqualTo(f.getValue());
      }
    }
  }

  @ParameterizedTest(name = "{0}, span {1}")
  @MethodSource("matrix")
  void rangesOfTheTarStreamMatchThePlainDecompression(Encoding e, long spanSize) throws Exception {
    LayerReader reader = reader(e, spanSize);
    byte[] stream = reference(e).stream();
    long size = ztoc(e, spanSize).uncompressedArchiveSize();
    Random r = new Random(spanSize * 31 + e.ordinal());
    for (int i = 0; i < 60; i++) {
      long offset = (long) (r.nextDouble() * size);
      int len = (int) Math.min(size - offset, i % 3 == 0 ? r.nextInt(100) : r.nextInt((int) (3 * spanSize)));
      assertRange(reader, stream, offset, len);
    }
    for (Span s : ztoc(e, spanSize).spans()) {
      long from = Math.max(0, s.uncompressedStart() - 7);
      assertRange(reader, stream, from, (int) Math.min(size - from, 14));
    }
    assertRange(reader, stream, 0, (int) size);
  }

  @ParameterizedTest(name = "{0}, span {1}")
  @MethodSource("matrix")
  void everySpanDecompressesOnItsOwn(Encoding e, long spanSize) throws Exception {
    LayerReader reader = reader(e, spanSize);
    byte[] stream = reference(e).stream();
    for (Span s : ztoc(e, spanSize).spans()) {
      byte[] dst = new byte[(int) s.uncompressedLength() + 3];
      int n = reader.decompressSpan(s.id(), dst, 3);
      assertThat(n).isEqualTo(s.uncompressedLength());
      assertThat(Arrays.copyOfRange(dst, 3, dst.length)).as("span %d", s.id())
          .isEqualTo(Arrays.copyOfRange(stream, (int) s.uncompressedStart(), (int) s.uncompressedEnd()));
    }
  }

  @Test
  void gzipLayersHaveCheckpointsThatStartInTheMiddleOfAByte() {
    for (Encoding e : List.of(Encoding.GZIP_1, Encoding.GZIP_6, Encoding.GZIP_9, Encoding.MULTI_MEMBER)) {
      for (long spanSize : SPAN_SIZES) {
        assertThat(ztoc(e, spanSize).spans()).as("%s, span %d", e, spanSize)
            .hasSizeGreaterThan(2).anySatisfy(s -> assertThat(s.bits()).isNotZero());
      }
    }
  }

  @Test
  void everyLayerHasAFileCrossingSeveralSpans() {
    for (Encoding e : Encoding.values()) {
      for (long spanSize : SPAN_SIZES) {
        Ztoc z = ztoc(e, spanSize);
        int most = z.toc().stream().filter(t -> t.type() == EntryType.REGULAR && t.uncompressedSize() > 0)
            .mapToInt(t -> spansTouched(z, t.uncompressedOffset(), t.uncompressedEnd())).max().orElse(0);
        assertThat(most).as("%s, span %d", e, spanSize).isGreaterThanOrEqualTo(spanSize < (1 << 20) ? 4 : 2);
      }
    }
  }

  @Test
  void alignedFileStartsExactlyAtASpanStart() {
    assertThat(ALIGNED.dataOffset() % (1 << 20)).isZero();
    assertThat(ALIGNED.dataOffset() - FILLER.dataOffset()).isGreaterThan(1 << 20);
    byte[] between = TestLayers.member(LAYER.tar(), (int) FILLER.dataOffset(),
        (int) (ALIGNED.dataOffset() - FILLER.dataOffset()), 6);
    assertThat(TestLayers.isSingleBlock(between)).as("the filler member is one deflate block").isTrue();
    for (Encoding e : List.of(Encoding.TAR, Encoding.MULTI_MEMBER)) {
      for (long spanSize : SPAN_SIZES) {
        assertThat(ztoc(e, spanSize).spans()).as("%s, span %d", e, spanSize)
            .anySatisfy(s -> assertThat(s.uncompressedStart()).isEqualTo(ALIGNED.dataOffset()));
      }
    }
  }

  @Test
  void fileAtASpanStartIsReadFromThatSpanOnly() throws Exception {
    for (Encoding e : List.of(Encoding.TAR, Encoding.MULTI_MEMBER)) {
      for (long spanSize : SPAN_SIZES) {
        Ztoc z = ztoc(e, spanSize);
        Span first = z.spans().stream().filter(s -> s.uncompressedStart() == ALIGNED.dataOffset()).findFirst()
            .orElseThrow();
        List<long[]> fetched = new ArrayList<>();
        ByteSource blob = ByteSource.of(BLOBS.get(e));
        ByteSource recording = new ByteSource() {
          @Override
          public long size() throws IOException {
            return blob.size();
          }

          @Override
          public void read(long offset, ByteBuffer dst) throws IOException {
            fetched.add(new long[] {offset, offset + dst.remaining()});
            blob.read(offset, dst);
          }
        };
        byte[] data = LayerReader.of(z, recording).readFile(ALIGNED.name());

        assertThat(data).isEqualTo(ALIGNED.data());
        assertThat(fetched).as("%s, span %d", e, spanSize).isNotEmpty()
            .allSatisfy(r -> assertThat(r[0]).isGreaterThanOrEqualTo(first.compressedStart()));
        assertThat(fetched.get(0)[0]).isEqualTo(first.compressedStart());
      }
    }
  }

  @Test
  void multiMemberLayerHasASpanCrossingAMemberBoundary() {
    for (long spanSize : SPAN_SIZES) {
      List<Span> spans = ztoc(Encoding.MULTI_MEMBER, spanSize).spans();
      assertThat(Arrays.stream(SPLITS).filter(b -> spans.stream()
          .anyMatch(s -> s.uncompressedStart() < b && b < s.uncompressedEnd())))
          .as("span %d", spanSize).contains(ALIGNED.dataOffset() + 1000);
    }
  }

  @Test
  void randomFilesAreStoredBlocksAndTextIsCompressed() {
    Member random = LAYER.member("usr/lib/random-0.bin");
    byte[] member = TestLayers.member(random.data(), 0, random.data().length, 9);
    assertThat(member[10] & 6).as("BTYPE of the first block: 00 = stored").isZero();
    Member text = LAYER.member("usr/share/doc/big.txt");
    assertThat(TestLayers.member(text.data(), 0, text.data().length, 1).length)
        .isLessThan(text.data().length * 2 / 3);
  }

  private static int spansTouched(Ztoc z, long from, long to) {
    return (int) z.spans().stream().filter(s -> s.uncompressedStart() < to && from < s.uncompressedEnd()).count();
  }

  private static void assertRange(LayerReader reader, byte[] stream, long offset, int len) throws IOException {
    assertThat(reader.read(offset, len)).as("range [%d, +%d)", offset, len)
        .isEqualTo(Arrays.copyOfRange(stream, (int) offset, (int) offset + len));
  }

  private static byte[] readInIrregularChunks(InputStream in, Random r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int first = in.read();
    if (first < 0) {
      assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
      return out.toByteArray();
    }
    out.write(first);
    byte[] buf = new byte[70_000];
    for (int n; (n = in.read(buf, 1, 1 + r.nextInt(buf.length - 1))) >= 0; ) {
      out.write(buf, 1, n);
    }
    return out.toByteArray();
  }
}
