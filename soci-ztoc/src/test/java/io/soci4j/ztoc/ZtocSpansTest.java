package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZtocSpansTest {

  static List<Vector> vectors() {
    return GoldenVectors.buildable();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void eachSpanDigestIsTheSha256OfTheSpansCompressedRange(Vector v) throws Exception {
    Ztoc z = ZtocCodec.parse(v.ztocBytes());
    byte[] layer = v.layerBytes();
    List<Span> spans = z.spans();
    assertThat(spans).hasSize(z.spanDigests().size());
    assertThat(spans.get(0).uncompressedStart()).isZero();
    assertThat(spans.get(spans.size() - 1).compressedEnd()).isEqualTo(layer.length);
    for (Span s : spans) {
      assertThat(s.compressedLength()).as("span %d", s.id()).isPositive();
      assertThat(s.uncompressedLength()).as("span %d", s.id()).isPositive();
      Digest actual = Digest.sha256(layer, (int) s.compressedStart(), (int) s.compressedLength());
      assertThat(actual).as("span %d of %s", s.id(), v).isEqualTo(s.digest());
      if (s.id() > 0) {
        Span previous = spans.get(s.id() - 1);
        assertThat(s.uncompressedStart()).isEqualTo(previous.uncompressedEnd());
        assertThat(s.compressedStart()).isBetween(previous.compressedEnd() - 1, previous.compressedEnd());
      }
    }
  }

  @Test
  void gzipSpansStartOneByteEarlyWhenTheCheckpointHasBits() throws Exception {
    Ztoc z = ZtocCodec.parse(vector("member-start-checkpoint-span32k").ztocBytes());
    Span s = z.spans().get(3); // in 79892, bits 1 in the golden JSON
    assertThat(s.bits()).isEqualTo(1);
    assertThat(s.compressedStart()).isEqualTo(79891);
    assertThat(z.spans().get(2).compressedEnd()).isEqualTo(79892);
  }

  @Test
  void geometryOfAParsedZtocIsDecodedOnceAndShared() throws Exception {
    Ztoc z = ZtocCodec.parse(vector("small-gz6-span64k").ztocBytes());
    SpanGeometry g = ZtocGeometry.of(z);
    assertThat(g).isInstanceOf(GzipCheckpoints.class).isSameAs(ZtocGeometry.of(z));
    assertThat(g.spanOf(z.spans().get(5).uncompressedStart())).isEqualTo(5);
  }

  @Test
  void constructedZtocDecodesItsBlobOnFirstUse() throws Exception {
    Ztoc parsed = ZtocCodec.parse(vector("special-tar-span4k").ztocBytes());
    Ztoc built = copy(parsed, parsed.checkpoints(), parsed.spanDigests());
    assertThat(built.spans()).isEqualTo(parsed.spans());
  }

  @Test
  void spansOfAZtocBuiltWithABlobThatDoesNotFitFailAsProgrammerError() throws Exception {
    Ztoc parsed = ZtocCodec.parse(vector("pax-xattrs").ztocBytes());
    byte[] shortBlob = Arrays.copyOf(parsed.checkpoints(), 100);
    Ztoc built = copy(parsed, shortBlob, parsed.spanDigests());
    assertThatThrownBy(built::spans).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint");
  }

  /** Older upstream blobs leave checkpoint 0 out; it is implied (in 10, out 0, zero window). */
  @Test
  void v1CheckpointBlobWithImpliedFirstCheckpointParses() throws Exception {
    Ztoc current = ZtocCodec.parse(vector("member-start-checkpoint-span32k").ztocBytes());
    byte[] blob = current.checkpoints();
    byte[] v1 = new byte[blob.length - GzipCheckpoints.ENTRY_SIZE];
    System.arraycopy(blob, 0, v1, 0, GzipCheckpoints.HEADER_SIZE);
    System.arraycopy(blob, GzipCheckpoints.HEADER_SIZE + GzipCheckpoints.ENTRY_SIZE, v1,
        GzipCheckpoints.HEADER_SIZE, v1.length - GzipCheckpoints.HEADER_SIZE);

    Ztoc old = ZtocCodec.parse(ZtocCodec.serialize(copy(current, v1, current.spanDigests())));

    assertThat(old.spans()).isEqualTo(current.spans());
    GzipCheckpoints g = (GzipCheckpoints) ZtocGeometry.of(old);
    assertThat(g.in(0)).isEqualTo(10);
    byte[] window = new byte[GzipCheckpoints.WINDOW_SIZE];
    Arrays.fill(window, (byte) 1);
    g.copyWindow(0, window, 0);
    assertThat(window).containsOnly(0);
    assertThat(old.checkpoints()).isEqualTo(v1);
  }

  static Ztoc copy(Ztoc z, byte[] checkpoints, List<Digest> digests) {
    return new Ztoc(z.version(), z.buildToolIdentifier(), z.compressedArchiveSize(),
        z.uncompressedArchiveSize(), z.toc(), z.compression(), digests, checkpoints);
  }

  static Vector vector(String name) {
    return GoldenVectors.buildable().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow();
  }
}
