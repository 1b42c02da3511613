package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import io.soci4j.ztoc.testing.TestLayers.Member;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Invalid layers are refused with a {@link LayerFormatException} (never another exception type,
 * never a zTOC, never {@link UnsupportedLayerException}, which means "valid but not indexable")
 * whose message says what is wrong and where: truncated gzip at any cut, corrupted deflate data,
 * a bad tar header checksum, trailing garbage, an empty stream, random bytes.
 */
@Timeout(value = 60, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ZtocBuilderBadLayerTest {
  private static final Layer LAYER = TestLayers.mixed(11, TestLayers.Size.SMALL);
  private static final byte[] GZIP = TestLayers.gzip(LAYER.tar(), 6);
  private static final ZtocBuilder AUTO = ZtocBuilder.create().withSpanSize(64 << 10);
  private static final ZtocBuilder FORCED_GZIP = AUTO.withCompression(Compression.GZIP);
  private static final ZtocBuilder FORCED_TAR = AUTO.withCompression(Compression.UNCOMPRESSED);

  @Test
  void truncatedGzipIsRefusedAtEveryCut() {
    Random r = new Random(1);
    TreeSet<Integer> cuts = new TreeSet<>(Arrays.asList(1, 2, 3, 4, 9, 10, 11, GZIP.length - 8,
        GZIP.length - 5, GZIP.length - 4, GZIP.length - 1));
    while (cuts.size() < 200) {
      cuts.add(1 + r.nextInt(GZIP.length - 1));
    }
    for (int cut : cuts) {
      byte[] truncated = Arrays.copyOf(GZIP, cut);
      for (ZtocBuilder b : new ZtocBuilder[] {AUTO, FORCED_GZIP}) {
        LayerFormatException e = refused(b, truncated, "cut at " + cut);
        assertThat(e.getMessage()).as("cut at %d", cut).contains("truncated").contains("offset");
        assertThat(e.compressedOffset()).as("cut at %d: %s", cut, e.getMessage()).isLessThanOrEqualTo(cut);
      }
    }
  }

  @Test
  void corruptedDeflateDataIsRefused() {
    Random r = new Random(2);
    Map<String, Integer> kinds = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      int pos = 10 + r.nextInt(GZIP.length - 10);
      byte[] bad = GZIP.clone();
      bad[pos] ^= (byte) 0xFF;
      LayerFormatException e = refused(AUTO, bad, "byte " + pos + " flipped");
      String m = e.getMessage();
      assertThat(m).as("byte %d flipped", pos).contains("offset")
          .containsAnyOf("invalid deflate data", "CRC32 mismatch", "size mismatch", "truncated",
              "invalid tar header", "trailing garbage");
      kinds.merge(m.replaceAll("[:(].*", ""), 1, Integer::sum);
    }
    assertThat(kinds.keySet()).as("%s", kinds).anyMatch(k -> k.startsWith("invalid deflate data"))
        .anyMatch(k -> k.startsWith("gzip member CRC32 mismatch"));
  }

  @Test
  void badTarHeaderChecksumIsRefusedNamingTheEntryAndItsOffset() {
    Member m = LAYER.member("usr/lib/random-0.bin");
    long header = m.dataOffset() - TestLayers.BLOCK;
    byte[] tar = LAYER.tar().clone();
    assertThat(new String(tar, (int) header, m.name().length(), StandardCharsets.US_ASCII)).isEqualTo(m.name());
    System.arraycopy("0000001\0".getBytes(StandardCharsets.US_ASCII), 0, tar, (int) header + 148, 8);

    for (byte[] layer : new byte[][] {tar, TestLayers.gzip(tar, 6)}) {
      LayerFormatException e = refused(AUTO, layer, "bad checksum");
      assertThat(e.getMessage()).contains("checksum").contains("uncompressed offset " + header)
          .contains(m.name());
      assertThat(e.uncompressedOffset()).isEqualTo(header);
      assertThat(e.entryName()).isEqualTo(m.name());
    }
  }

  @Test
  void trailingGarbageAfterTheLastMemberIsRefusedAtItsOffset() {
    byte[] garbage = "this is not a gzip member".getBytes(StandardCharsets.US_ASCII);
    for (byte[] gz : new byte[][] {GZIP, TestLayers.gzipMembers(LAYER.tar(), 6, 4096, 100_000)}) {
      byte[] layer = Arrays.copyOf(gz, gz.length + garbage.length);
      System.arraycopy(garbage, 0, layer, gz.length, garbage.length);

      LayerFormatException e = refused(AUTO, layer, "trailing garbage");
      assertThat(e.getMessage()).contains("trailing garbage").contains("compressed offset " + gz.length);
      assertThat(e.compressedOffset()).isEqualTo(gz.length);
    }
  }

  @Test
  void emptyStreamIsRefusedInEveryMode() {
    for (ZtocBuilder b : new ZtocBuilder[] {AUTO, FORCED_GZIP, FORCED_TAR}) {
      LayerFormatException e = refused(b, new byte[0], "empty");
      assertThat(e.getMessage()).contains("empty layer");
    }
  }

  @Test
  void randomBytesAreRefusedAsTarAndAsGzip() {
    Random r = new Random(3);
    for (int i = 0; i < 40; i++) {
      byte[] junk = TestLayers.random(r, i < 10 ? 1 + r.nextInt(600) : 1 + r.nextInt(200_000));
      junk[0] = (byte) (0x20 + r.nextInt(0x5f)); // neither gzip (1f) nor zstd (28) magic
      if (junk[0] == 0x28) {
        junk[0]++;
      }
      LayerFormatException asTar = refused(AUTO, junk, "random bytes " + i);
      assertThat(asTar.getMessage()).containsAnyOf("invalid tar header", "truncated").contains("offset 0");

      LayerFormatException asGzip = refused(FORCED_GZIP, junk, "random bytes as gzip " + i);
      assertThat(asGzip.getMessage()).contains("not a gzip stream").contains("compressed offset 0");
    }
  }

  @Test
  void randomDeflateDataAfterAValidGzipHeaderIsRefused() {
    Random r = new Random(4);
    for (int i = 0; i < 100; i++) {
      byte[] junk = TestLayers.random(r, 20 + r.nextInt(50_000));
      System.arraycopy(GZIP, 0, junk, 0, 10);
      LayerFormatException e = refused(AUTO, junk, "random deflate data " + i);
      assertThat(e.getMessage()).contains("offset");
    }
  }

  private static LayerFormatException refused(ZtocBuilder builder, byte[] layer, String what) {
    Throwable t = catchThrowable(() -> builder.build(new ByteArrayInputStream(layer)));
    assertThat(t).as(what).isInstanceOf(LayerFormatException.class).isNotInstanceOf(UnsupportedLayerException.class);
    return (LayerFormatException) t;
  }
}
