package io.soci4j.ztoc.internal.gzip;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every span of every gzip golden layer decompresses from its checkpoint to the right bytes. */
class GzipSpanDecompressorTest {

  static Stream<Vector> gzipVectors() {
    return GoldenVectors.all().stream().filter(v -> v.algorithm().equals("gzip"));
  }

  @ParameterizedTest
  @MethodSource("gzipVectors")
  void everySpanDecompressesFromItsCheckpoint(Vector v) throws Exception {
    byte[] layer = v.layerBytes();
    ByteArrayOutputStream tarOut = new ByteArrayOutputStream();
    LayerScan scan = new GzipLayerScanner(v.spanSize(), tarOut::write).scan(new ByteArrayInputStream(layer));
    byte[] tar = tarOut.toByteArray();
    GzipCheckpoints cps = GzipCheckpoints.decode(scan.checkpointBlob(), scan.spanDigests().size(),
        layer.length, tar.length);
    GzipSpanDecompressor decompressor = new GzipSpanDecompressor(cps);
    Random random = new Random(v.name().hashCode());
    for (int s = 0; s < cps.spanCount(); s++) {
      int start = (int) cps.compressedStart(s);
      int end = (int) cps.compressedEnd(s);
      int outStart = (int) cps.uncompressedStart(s);
      int outLen = (int) (cps.uncompressedEnd(s) - outStart);
      byte[] src = Arrays.copyOfRange(layer, start - 3, end + 5); // offset slice: srcOff matters
      byte[] whole = new byte[outLen];
      decompressor.decompress(s, src, 3, end - start, 0, whole, 0, outLen);
      assertThat(whole).as("span %d of %s (bits %d)", s, v, cps.bits(s))
          .isEqualTo(Arrays.copyOfRange(tar, outStart, outStart + outLen));

      int skip = random.nextInt(outLen);
      int len = 1 + random.nextInt(outLen - skip);
      byte[] part = new byte[len + 2];
      decompressor.decompress(s, src, 3, end - start, skip, part, 1, len);
      assertThat(Arrays.copyOfRange(part, 1, len + 1)).as("span %d bytes [%d, +%d)", s, skip, len)
          .isEqualTo(Arrays.copyOfRange(tar, outStart + skip, outStart + skip + len));
    }
  }
}
