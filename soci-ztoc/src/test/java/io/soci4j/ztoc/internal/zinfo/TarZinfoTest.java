package io.soci4j.ztoc.internal.zinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.flatbuffers.FlatBufferBuilder;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarZinfoTest {

  @Test
  void encodeGivesTheBlobUpstreamWroteForEveryTarVector() throws Exception {
    List<Vector> tars = GoldenVectors.buildable().stream()
        .filter(v -> v.algorithm().equals("uncompressed")).toList();
    assertThat(tars).isNotEmpty();
    for (Vector v : tars) {
      Ztoc z = ZtocCodec.parse(v.ztocBytes());
      assertThat(TarZinfo.encode(v.spanSize(), z.compressedArchiveSize()))
          .as(v.name()).isEqualTo(z.checkpoints());
    }
  }

  @Test
  void spansAreFixedSlicesAndTheLastRunsToTheLayerEnd() throws Exception {
    byte[] blob = TarZinfo.encode(4096, 10_000);
    TarZinfo z = TarZinfo.decode(blob, 3, 10_000, 9_216);
    assertThat(z.spanCount()).isEqualTo(3);
    assertThat(z.compressedStart(1)).isEqualTo(4096);
    assertThat(z.compressedEnd(1)).isEqualTo(8192);
    assertThat(z.compressedEnd(2)).isEqualTo(10_000);
    assertThat(z.uncompressedStart(2)).isEqualTo(8192);
    assertThat(z.uncompressedEnd(2)).isEqualTo(10_000);
    assertThat(z.bits(2)).isZero();
    assertThat(z.spanOf(0)).isZero();
    assertThat(z.spanOf(4095)).isZero();
    assertThat(z.spanOf(4096)).isEqualTo(1);
    assertThat(z.spanOf(9_999)).isEqualTo(2);
  }

  @Test
  void maxSpanIdFollowsUpstreamWhenTheSpanDividesTheLayer() {
    assertThat(TarZinfo.maxSpanId(4096, 8192)).isEqualTo(1);
    assertThat(TarZinfo.maxSpanId(4096, 8193)).isEqualTo(2);
    assertThat(TarZinfo.maxSpanId(4096, 1)).isZero();
  }

  @Test
  void decodeRefusesSpanCountThatDoesNotMatchTheSizes() {
    byte[] blob = TarZinfo.encode(4096, 8192);
    assertThatThrownBy(() -> TarZinfo.decode(blob, 3, 8192, 8192))
        .isInstanceOfSatisfying(ZtocFormatException.class,
            e -> assertThat(e.field()).isEqualTo("checkpoints.span_size"))
        .hasMessageContaining("max span id 1");
  }

  @Test
  void decodeRefusesSizeOtherThanTheLayerSize() {
    byte[] blob = TarZinfo.encode(4096, 8192);
    assertThatThrownBy(() -> TarZinfo.decode(blob, 2, 8193, 8192))
        .isInstanceOfSatisfying(ZtocFormatException.class,
            e -> assertThat(e.field()).isEqualTo("checkpoints.size"));
  }

  @Test
  void decodeRefusesTarStreamLargerThanTheLayer() {
    byte[] blob = TarZinfo.encode(4096, 8192);
    assertThatThrownBy(() -> TarZinfo.decode(blob, 2, 8192, 8704))
        .isInstanceOf(ZtocFormatException.class).hasMessageContaining("larger than the tar layer");
  }

  @Test
  void decodeRefusesOtherVersionsAndNonPositiveSpanSize() {
    assertThatThrownBy(() -> TarZinfo.decode(tarZinfo(1, 4096, 8192), 2, 8192, 8192))
        .isInstanceOfSatisfying(ZtocFormatException.class,
            e -> assertThat(e.field()).isEqualTo("checkpoints.version"));
    assertThatThrownBy(() -> TarZinfo.decode(tarZinfo(2, 0, 8192), 1, 8192, 8192))
        .isInstanceOfSatisfying(ZtocFormatException.class,
            e -> assertThat(e.field()).isEqualTo("checkpoints.span_size"));
    assertThatThrownBy(() -> TarZinfo.decode(tarZinfo(2, -4096, 8192), 1, 8192, 8192))
        .isInstanceOf(ZtocFormatException.class).hasMessageContaining("not positive");
  }

  @Test
  void decodeRefusesGzipCheckpointBytes() {
    byte[] gzipBlob = GzipCheckpoints.encode(4096, List.of(
        new GzipCheckpoints.Checkpoint(10, 0, 0, new byte[GzipCheckpoints.WINDOW_SIZE])));
    assertThatThrownBy(() -> ZinfoFormats.geometry(Compression.UNCOMPRESSED, gzipBlob, 1, 100, 100))
        .isInstanceOf(ZtocFormatException.class);
  }

  @Test
  void encodeRefusesNonPositiveSizes() {
    assertThatThrownBy(() -> TarZinfo.encode(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TarZinfo.encode(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] tarZinfo(int version, long spanSize, long size) {
    FlatBufferBuilder b = new FlatBufferBuilder(64);
    b.startTable(3);
    b.addInt(0, version, 0);
    b.addLong(1, spanSize, 0);
    b.addLong(2, size, 0);
    b.finish(b.endTable());
    return b.sizedByteArray();
  }
}
