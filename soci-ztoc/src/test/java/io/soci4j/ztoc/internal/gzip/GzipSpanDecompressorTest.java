package io.soci4j.ztoc.internal.gzip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  /**
   * The decompressor reuses its inflaters across calls: threads sharing one decompressor must
   * never see each other's state (dictionary, input, member position).
   */
  @Test
  void threadsSharingOneDecompressorEachGetTheirSpansBytes() throws Exception {
    Decoded d = largestGzipVector();
    GzipSpanDecompressor decompressor = new GzipSpanDecompressor(d.cps());
    int threads = GzipSpanDecompressor.MAX_IDLE + 2; // more than the pool keeps
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random random = new Random(t);
        done.add(pool.submit(() -> {
          int checked = 0;
          for (int round = 0; round < 3; round++) {
            for (int k = 0; k < d.cps().spanCount(); k++) {
              int s = random.nextInt(d.cps().spanCount());
              int outStart = (int) d.cps().uncompressedStart(s);
              int outLen = (int) (d.cps().uncompressedEnd(s) - outStart);
              int skip = random.nextBoolean() ? 0 : random.nextInt(outLen);
              byte[] out = new byte[outLen - skip];
              decompressor.decompress(s, d.layer(), (int) d.cps().compressedStart(s),
                  (int) (d.cps().compressedEnd(s) - d.cps().compressedStart(s)), skip, out, 0, out.length);
              assertThat(out).as("span %d from %d", s, skip)
                  .isEqualTo(Arrays.copyOfRange(d.tar(), outStart + skip, outStart + outLen));
              checked++;
            }
          }
          return checked;
        }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A call that fails (here: a span cut short) must not leave state behind for the next call. */
  @Test
  void aFailedSpanDoesNotSpoilTheNextCalls() throws Exception {
    Decoded d = largestGzipVector();
    GzipSpanDecompressor decompressor = new GzipSpanDecompressor(d.cps());
    for (int s = 0; s < d.cps().spanCount(); s++) {
      int start = (int) d.cps().compressedStart(s);
      int srcLen = (int) (d.cps().compressedEnd(s) - start);
      int outStart = (int) d.cps().uncompressedStart(s);
      int outLen = (int) (d.cps().uncompressedEnd(s) - outStart);
      int span = s;
      assertThatThrownBy(() -> decompressor.decompress(span, d.layer(), start, Math.min(srcLen, 64), 0,
          new byte[outLen], 0, outLen)).isInstanceOf(LayerFormatException.class);
      byte[] out = new byte[outLen];
      decompressor.decompress(s, d.layer(), start, srcLen, 0, out, 0, outLen);
      assertThat(out).as("span %d after a failed call", s)
          .isEqualTo(Arrays.copyOfRange(d.tar(), outStart, outStart + outLen));
    }
  }

  /** A gzip layer with its decompressed tar and checkpoints. */
  record Decoded(byte[] layer, byte[] tar, GzipCheckpoints cps) {}

  /** The gzip golden layer with the most spans. */
  static Decoded largestGzipVector() throws Exception {
    Decoded best = null;
    for (Vector v : gzipVectors().toList()) {
      byte[] layer = v.layerBytes();
      ByteArrayOutputStream tarOut = new ByteArrayOutputStream();
      LayerScan scan;
      try {
        scan = new GzipLayerScanner(v.spanSize(), tarOut::write).scan(new ByteArrayInputStream(layer));
      } catch (LayerFormatException e) { // also UnsupportedLayerException: refused vectors
        continue;
      }
      byte[] tar = tarOut.toByteArray();
      Decoded d = new Decoded(layer, tar, GzipCheckpoints.decode(scan.checkpointBlob(), scan.spanDigests().size(),
          layer.length, tar.length));
      if (best == null || Comparator.<Decoded>comparingInt(x -> x.cps().spanCount()).compare(d, best) > 0) {
        best = d;
      }
    }
    assertThat(best).as("a gzip golden vector").isNotNull();
    assertThat(best.cps().spanCount()).as("spans of the largest gzip vector").isGreaterThan(2);
    return best;
  }
}
