package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.testing.CountingByteSource;
import io.soci4j.ztoc.testing.ReferenceTar;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import io.soci4j.ztoc.testing.TestLayers.Member;
import io.soci4j.ztoc.testing.ZstdLayers;
import io.soci4j.ztoc.testing.ZstdLayers.Frame;
import io.soci4j.ztoc.testing.ZstdLayers.ZstdLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Recompression to seekable zstd: the output is standard zstd that zstd-jni's stream decoder reads
 * back to the identical tar, one frame per span, frames cut after more than the span size at tar
 * member boundaries (inside members only when they are huge), a valid seekable-format seek table,
 * and a zTOC equal to the one the builder makes from the output.
 */
class ZstdRecompressorTest {
  private static final Layer LAYER = TestLayers.mixed(4242, TestLayers.Size.STANDARD);
  private static final long SPAN = 256 << 10;

  /** Input encodings. */
  enum Input { GZIP, ZSTD_SINGLE_FRAME, ZSTD_WITH_SKIPPABLE, TAR }

  static byte[] input(Input i) {
    return switch (i) {
      case GZIP -> TestLayers.gzipMembers(LAYER.tar(), 6, 300_000, 2_000_000);
      case ZSTD_SINGLE_FRAME -> ZstdLayers.frames(LAYER.tar(), 9, false).blob();
      case ZSTD_WITH_SKIPPABLE -> ZstdLayers.concat(ZstdLayers.skippable(3, new byte[20]),
          ZstdLayers.frames(LAYER.tar(), 1, true, 1_000_000).blob()).blob();
      case TAR -> LAYER.tar();
    };
  }

  static ZstdRecompressor.Result recompress(ZstdRecompressor r, byte[] input, ByteArrayOutputStream out)
      throws IOException {
    return r.recompress(new ByteArrayInputStream(input), out);
  }

  @ParameterizedTest
  @EnumSource(Input.class)
  void outputIsStandardZstdOfTheSameTarWithOneFramePerSpan(Input input) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ZstdRecompressor.Result r = recompress(ZstdRecompressor.create().withSpanSize(SPAN), input(input), out);
    byte[] blob = out.toByteArray();

    assertThat(ZstdLayers.decompress(blob)).isEqualTo(LAYER.tar());
    assertThat(r.diffId()).isEqualTo(Digest.sha256(LAYER.tar()));
    assertThat(r.uncompressedSize()).isEqualTo(LAYER.tar().length);
    assertThat(r.digest()).isEqualTo(Digest.sha256(blob));
    assertThat(r.size()).isEqualTo(blob.length);
    assertThat(r.ztoc()).isEqualTo(ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(blob)));

    ZstdLayer layer = new ZstdLayer(blob, ZstdLayers.list(blob));
    List<Frame> frames = layer.dataFrames();
    assertThat(frames).hasSize(r.frames()).allMatch(Frame::checksum);
    List<Span> spans = r.ztoc().spans();
    assertThat(spans).hasSize(frames.size());
    long[] outs = ZstdLayers.frameOuts(layer);
    for (int i = 0; i < spans.size(); i++) {
      assertThat(spans.get(i).compressedStart()).isEqualTo(frames.get(i).start());
      assertThat(spans.get(i).uncompressedStart()).isEqualTo(outs[i]);
      if (i + 1 < spans.size()) {
        assertThat(outs[i + 1] - outs[i]).as("frame %d length", i).isGreaterThan(SPAN).isLessThanOrEqualTo(2 * SPAN);
      }
    }
    for (long cut : Arrays.copyOfRange(outs, 1, outs.length)) {
      for (Member m : LAYER.members()) {
        boolean inside = cut > m.dataOffset() && cut < m.dataOffset() + m.data().length;
        if (inside) {
          assertThat(m.data().length).as("%s is cut at %d", m.name(), cut).isGreaterThan((int) SPAN);
          assertThat(cut % 512).isZero();
        }
      }
    }
    assertThat(frames.size()).isGreaterThan(5);
  }

  @Test
  void theSeekTableListsEveryFrame() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    recompress(ZstdRecompressor.create().withSpanSize(SPAN), input(Input.GZIP), out);
    byte[] blob = out.toByteArray();
    List<Frame> frames = ZstdLayers.list(blob);
    Frame table = frames.get(frames.size() - 1);
    assertThat(table.skippable()).isTrue();
    List<Frame> data = frames.subList(0, frames.size() - 1);
    assertThat(data).noneMatch(Frame::skippable);
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int at = (int) table.start();
    assertThat(b.getInt(at)).isEqualTo(0x184D2A5E);
    assertThat(b.getInt(at + 4)).isEqualTo(data.size() * 8 + 9);
    assertThat(b.getInt(blob.length - 4)).isEqualTo(0x8F92EAB1);
    assertThat(blob[blob.length - 5]).isZero(); // no checksums
    assertThat(b.getInt(blob.length - 9)).isEqualTo(data.size());
    long[] outs = ZstdLayers.frameOuts(new ZstdLayer(blob, frames));
    for (int i = 0; i < data.size(); i++) {
      Frame f = data.get(i);
      assertThat(b.getInt(at + 8 + 8 * i)).isEqualTo((int) (f.end() - f.start()));
      long next = i + 1 < outs.length ? outs[i + 1] : LAYER.tar().length;
      assertThat(b.getInt(at + 12 + 8 * i)).isEqualTo((int) (next - outs[i]));
    }

    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    recompress(ZstdRecompressor.create().withSpanSize(SPAN).withSeekTable(false), input(Input.GZIP), plain);
    assertThat(ZstdLayers.list(plain.toByteArray())).noneMatch(Frame::skippable);
    assertThat(plain.size()).isEqualTo(blob.length - (table.end() - table.start()));
  }

  @Test
  void readingASmallFileFetchesOneSpan() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ZstdRecompressor.Result r = recompress(ZstdRecompressor.create().withSpanSize(SPAN), input(Input.GZIP), out);
    byte[] blob = out.toByteArray();
    Map<String, byte[]> files = ReferenceTar.of(LAYER.tar()).files();
    for (String name : List.of("./etc/os-release", "var/tail-3.txt", TestLayers.ALIGNED)) {
      CountingByteSource counting = new CountingByteSource(ByteSource.of(blob));
      LayerReader reader = LayerReader.of(r.ztoc(), counting);
      TocEntry e = reader.resolve(name);
      Span span = r.ztoc().spans().stream().filter(s -> s.uncompressedStart() <= e.uncompressedOffset()
          && e.uncompressedOffset() < s.uncompressedEnd()).findFirst().orElseThrow();
      assertThat(reader.readFile(name)).isEqualTo(files.get(name));
      assertThat(counting.bytesRead()).as(name).isEqualTo(span.compressedEnd() - span.compressedStart());
      assertThat(counting.reads()).isEqualTo(1);
    }
  }

  @Test
  void inputThatDoesNotDecompressIsATypedError() {
    byte[] gz = input(Input.GZIP);
    Throwable truncated = catchThrowable(() -> recompress(ZstdRecompressor.create(), Arrays.copyOf(gz, gz.length / 2),
        new ByteArrayOutputStream()));
    assertThat(truncated).isInstanceOf(LayerFormatException.class).hasMessageContaining("gzip layer does not decompress");

    byte[] zst = ZstdLayers.frames(LAYER.tar(), 3, true).blob();
    byte[] bad = zst.clone();
    bad[bad.length - 1] ^= 1;
    assertThat(catchThrowable(() -> recompress(ZstdRecompressor.create(), bad, new ByteArrayOutputStream())))
        .isInstanceOf(LayerFormatException.class).hasMessageContaining("zstd layer does not decompress");
    byte[] cut = Arrays.copyOf(zst, zst.length - 100);
    assertThat(catchThrowable(() -> recompress(ZstdRecompressor.create(), cut, new ByteArrayOutputStream())))
        .isInstanceOf(LayerFormatException.class);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> ZstdRecompressor.create().withSpanSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZstdRecompressor.create().withSpanSize(1L << 30))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 GiB");
    assertThat(ZstdRecompressor.create().withSeekTable(false).withSpanSize(1L << 30).spanSize()).isEqualTo(1L << 30);
    assertThatThrownBy(() -> ZstdRecompressor.create().withLevel(23)).isInstanceOf(IllegalArgumentException.class);
  }
}
