package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.testing.ReferenceTar;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import io.soci4j.ztoc.testing.ZstdLayers;
import io.soci4j.ztoc.testing.ZstdLayers.Frame;
import io.soci4j.ztoc.testing.ZstdLayers.ZstdLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * zstd layers through the zTOC builder and reader, against zstd-jni's stream decoder plus
 * commons-compress as the reference: multi-frame layers (frames cut at seeded offsets, with and
 * without content checksums, with skippable frames at the start, in the middle and at the end) and
 * single-frame layers, over several span sizes. Every file, every whole span and seeded random
 * ranges read back as the reference has them, and checkpoints sit where the frame rule puts them.
 */
class ZstdLayerReaderTest {
  private static final Layer LAYER = TestLayers.mixed(77, TestLayers.Size.STANDARD);
  private static final ReferenceTar REFERENCE = ReferenceTar.of(LAYER.tar());

  static Stream<Arguments> layers() {
    List<Arguments> out = new ArrayList<>();
    byte[] tar = LAYER.tar();
    long[] cuts = cuts(new Random(5), tar.length, 40_000, 400_000);
    ZstdLayer multi = ZstdLayers.frames(tar, 3, true, cuts);
    ZstdLayer noChecksum = ZstdLayers.frames(tar, 1, false, cuts(new Random(6), tar.length, 10_000, 900_000));
    ZstdLayer single = ZstdLayers.frames(tar, 3, true);
    ZstdLayer withSkippable = withSkippableFrames(tar);
    for (long span : new long[] {64 << 10, 256 << 10, 1 << 20}) {
      out.add(Arguments.of("multi-frame", multi, span));
      out.add(Arguments.of("multi-frame, no checksum", noChecksum, span));
      out.add(Arguments.of("single frame", single, span));
      out.add(Arguments.of("skippable frames", withSkippable, span));
    }
    return out.stream();
  }

  /** Seeded cut points between {@code min} and {@code max} bytes apart. */
  static long[] cuts(Random r, long size, int min, int max) {
    List<Long> c = new ArrayList<>();
    long p = 0;
    while (true) {
      p += min + r.nextInt(max - min);
      if (p >= size) {
        break;
      }
      c.add(p);
    }
    return c.stream().mapToLong(Long::longValue).toArray();
  }

  /** Frames of the tar with skippable frames before the first, between two, and after the last. */
  static ZstdLayer withSkippableFrames(byte[] tar) {
    ZstdLayer frames = ZstdLayers.frames(tar, 3, true, cuts(new Random(7), tar.length, 100_000, 600_000));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ZstdLayers.skippable(0, "leading".getBytes(StandardCharsets.US_ASCII)));
    List<Frame> data = frames.dataFrames();
    for (int i = 0; i < data.size(); i++) {
      Frame f = data.get(i);
      out.write(frames.blob(), (int) f.start(), (int) (f.end() - f.start()));
      if (i % 3 == 1) {
        out.writeBytes(ZstdLayers.skippable(i & 15, new byte[i * 100]));
      }
    }
    out.writeBytes(ZstdLayers.skippable(0xE, new byte[37]));
    return ZstdLayers.concat(out.toByteArray());
  }

  @ParameterizedTest(name = "{0}, span {2}")
  @MethodSource("layers")
  void everyFileSpanAndRangeReadsAsTheReferenceHasThem(String name, ZstdLayer layer, long span) throws IOException {
    assertThat(ZstdLayers.decompress(layer.blob())).isEqualTo(LAYER.tar());
    Ztoc built = ZtocBuilder.create().withSpanSize(span).build(new ByteArrayInputStream(layer.blob()));
    Ztoc ztoc = ZtocCodec.parse(ZtocCodec.serialize(built));
    assertThat(ztoc).isEqualTo(built);
    assertThat(ztoc.compression()).isEqualTo(Compression.ZSTD);
    assertThat(ztoc.compressedArchiveSize()).isEqualTo(layer.blob().length);
    assertThat(ztoc.uncompressedArchiveSize()).isEqualTo(LAYER.archiveEnd());

    LayerReader reader = LayerReader.of(ztoc, ByteSource.of(layer.blob()));
    for (Map.Entry<String, byte[]> f : REFERENCE.files().entrySet()) {
      assertThat(reader.readFile(f.getKey())).as(f.getKey()).isEqualTo(f.getValue());
    }
    ByteArrayOutputStream spans = new ByteArrayOutputStream();
    for (Span s : ztoc.spans()) {
      byte[] compressed = Arrays.copyOfRange(layer.blob(), (int) s.compressedStart(), (int) s.compressedEnd());
      spans.writeBytes(reader.decompressWholeSpan(s.id(), compressed, 0));
    }
    assertThat(spans.toByteArray()).isEqualTo(LAYER.tar());
    Random r = new Random(span);
    for (int i = 0; i < 30; i++) {
      int len = r.nextInt(300_000);
      long off = (long) (r.nextDouble() * (ztoc.uncompressedArchiveSize() - len));
      assertThat(reader.read(off, len)).isEqualTo(Arrays.copyOfRange(LAYER.tar(), (int) off, (int) off + len));
    }
  }

  @ParameterizedTest(name = "{0}, span {2}")
  @MethodSource("layers")
  void spansStartAtTheFramesTheRuleChooses(String name, ZstdLayer layer, long span) throws IOException {
    Ztoc ztoc = ZtocBuilder.create().withSpanSize(span).build(new ByteArrayInputStream(layer.blob()));
    List<Frame> data = layer.dataFrames();
    long[] outs = ZstdLayers.frameOuts(layer);
    List<long[]> expected = new ArrayList<>();
    expected.add(new long[] {0, 0});
    long last = 0;
    for (int i = 1; i < data.size(); i++) {
      if (outs[i] - last > span) {
        expected.add(new long[] {data.get(i).start(), outs[i]});
        last = outs[i];
      }
    }
    List<Span> spans = ztoc.spans();
    assertThat(spans).hasSize(expected.size());
    for (int i = 0; i < spans.size(); i++) {
      assertThat(spans.get(i).compressedStart()).as("span %d start", i).isEqualTo(expected.get(i)[0]);
      assertThat(spans.get(i).uncompressedStart()).as("span %d out", i).isEqualTo(expected.get(i)[1]);
      assertThat(spans.get(i).bits()).isZero();
    }
    assertThat(spans.get(spans.size() - 1).compressedEnd()).isEqualTo(layer.blob().length);
  }

  @Test
  void theMatrixHoldsTheHardCases() {
    ZstdLayer multi = ZstdLayers.frames(LAYER.tar(), 3, true, cuts(new Random(5), LAYER.tar().length, 40_000,
        400_000));
    boolean[] types = new boolean[3];
    for (Frame f : multi.frames()) {
      for (int t = 0; t < 3; t++) {
        types[t] |= f.blockTypes()[t];
      }
    }
    assertThat(types).as("raw, RLE and compressed blocks").containsExactly(true, true, true);
    ZstdLayer skippable = withSkippableFrames(LAYER.tar());
    assertThat(skippable.frames().get(0).skippable()).isTrue();
    assertThat(skippable.frames().get(skippable.frames().size() - 1).skippable()).isTrue();
    assertThat(skippable.frames().stream().filter(Frame::skippable).count()).isGreaterThan(3);
    assertThat(ZstdLayers.frames(LAYER.tar(), 3, true).frames()).hasSize(1);
  }

  @Test
  void aSingleFrameLayerIsOneSpanReadCorrectly() throws IOException {
    ZstdLayer single = ZstdLayers.frames(LAYER.tar(), 5, true);
    Ztoc ztoc = ZtocBuilder.create().withSpanSize(64 << 10).build(new ByteArrayInputStream(single.blob()));
    assertThat(ztoc.maxSpanId()).isZero();
    assertThat(ztoc.spans().get(0).compressedEnd()).isEqualTo(single.blob().length);
    LayerReader reader = LayerReader.of(ztoc, ByteSource.of(single.blob()));
    TestLayers.Member last = LAYER.members().stream().filter(m -> m.kind() == TestLayers.Kind.FILE)
        .reduce((a, b) -> b).orElseThrow();
    assertThat(reader.readFile(last.name())).isEqualTo(last.data());
  }

  @Test
  void aZtocForcedToZstdIsTheSameAsDetected() throws IOException {
    ZstdLayer multi = ZstdLayers.frames(LAYER.tar(), 3, true, 500_000, 2_000_000);
    Ztoc detected = ZtocBuilder.create().build(new ByteArrayInputStream(multi.blob()));
    Ztoc forced = ZtocBuilder.create().withCompression(Compression.ZSTD).build(new ByteArrayInputStream(multi.blob()));
    assertThat(forced).isEqualTo(detected);
    ZstdLayer leadingSkippable = ZstdLayers.concat(ZstdLayers.skippable(9, new byte[3]), multi.blob());
    assertThat(ZtocBuilder.create().build(new ByteArrayInputStream(leadingSkippable.blob())).compression())
        .isEqualTo(Compression.ZSTD);
  }
}
