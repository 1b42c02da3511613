package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.zinfo.ZstdCheckpoints;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import io.soci4j.ztoc.testing.ZstdLayers;
import io.soci4j.ztoc.testing.ZstdLayers.Frame;
import io.soci4j.ztoc.testing.ZstdLayers.ZstdLayer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Damaged zstd layers and mismatched zTOCs give typed errors whose messages name the frame (its
 * compressed offset) and, when reading, the span: never wrong bytes from a verified read, never an
 * unchecked exception.
 */
class ZstdBadInputTest {
  private static final Layer LAYER = TestLayers.mixed(31, TestLayers.Size.SMALL);
  private static final ZstdLayer MULTI = ZstdLayers.frames(LAYER.tar(), 3, true, 60_000, 150_000, 151_000, 400_000);
  private static final long SPAN = 64 << 10;

  @Test
  void aTruncatedLayerIsRefusedNamingTheFrameItEndsIn() {
    for (Frame f : MULTI.dataFrames()) {
      long mid = (f.start() + f.end()) / 2;
      for (long cut : new long[] {f.start() + 2, f.start() + 5, f.start() + 8, mid, f.end() - 2, f.end() - 5}) {
        if (cut <= f.start() + 3) {
          // a stray partial magic: not a frame at all
          LayerFormatException e = buildFails(Arrays.copyOf(MULTI.blob(), (int) cut));
          assertThat(e.getMessage()).contains("stray bytes, not a frame");
          assertThat(e.compressedOffset()).isEqualTo(f.start());
          continue;
        }
        LayerFormatException e = buildFails(Arrays.copyOf(MULTI.blob(), (int) cut));
        assertThat(e.getMessage()).as("cut at %d", cut)
            .contains("ends inside the frame starting at compressed offset " + f.start() + " (truncated)");
        assertThat(e.compressedOffset()).isEqualTo(cut);
      }
    }
  }

  @Test
  void aCorruptContentChecksumIsRefusedNamingTheFrame() {
    for (Frame f : MULTI.dataFrames()) {
      assertThat(f.checksum()).isTrue();
      byte[] bad = MULTI.blob().clone();
      bad[(int) f.end() - 1] ^= 0x40;
      LayerFormatException e = buildFails(bad);
      assertThat(e.getMessage()).contains("in the frame at compressed offset " + f.start()).contains("checksum");
      assertThat(e.compressedOffset()).isEqualTo(f.start());
      assertThat(e.uncompressedOffset()).isPositive();
    }
  }

  @Test
  void corruptBlockDataIsRefusedNamingTheFrame() {
    int refused = 0;
    for (Frame f : MULTI.dataFrames()) {
      for (int k = 1; k <= 5; k++) {
        byte[] bad = MULTI.blob().clone();
        int pos = (int) (f.start() + 20 + (f.end() - f.start() - 30) * k / 6);
        bad[pos] ^= 0x10;
        LayerFormatException e = buildFails(bad);
        assertThat(e.compressedOffset()).as("flip at %d", pos).isBetween(f.start(), (long) pos);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(5 * MULTI.dataFrames().size());
  }

  @Test
  void headerViolationsAreRefusedWhereTheyAre() {
    Frame second = MULTI.dataFrames().get(1);
    byte[] reserved = MULTI.blob().clone();
    reserved[(int) second.start() + 4] |= 0x08;
    assertThat(buildFails(reserved)).hasMessageContaining("reserved bit")
        .extracting(LayerFormatException::compressedOffset).isEqualTo(second.start() + 4);

    byte[] garbage = Arrays.copyOf(MULTI.blob(), MULTI.blob().length + 5);
    System.arraycopy(new byte[] {1, 2, 3, 4, 5}, 0, garbage, MULTI.blob().length, 5);
    assertThat(buildFails(garbage)).hasMessageContaining("not a zstd frame: magic 01 02 03 04")
        .extracting(LayerFormatException::compressedOffset).isEqualTo((long) MULTI.blob().length);

    byte[] onlySkippable = ZstdLayers.concat(ZstdLayers.skippable(0, new byte[10]),
        ZstdLayers.skippable(1, new byte[0])).blob();
    assertThat(buildFails(onlySkippable)).hasMessageContaining("no zstd frame, only 2 skippable frames");
  }

  @Test
  void aReservedBlockTypeIsRefused() {
    // frame of level 1 over compressible text: its first block header follows the frame header
    byte[] one = ZstdLayers.frames(LAYER.tar(), 1, false).blob();
    int fhd = one[4] & 0xFF;
    int headerEnd = 5 + ((fhd & 0x20) != 0 ? 0 : 1) + new int[] {0, 1, 2, 4}[fhd & 3]
        + new int[] {(fhd & 0x20) != 0 ? 1 : 0, 2, 4, 8}[fhd >>> 6];
    one[headerEnd] |= 0x06;
    assertThat(buildFails(one)).hasMessageContaining("reserved block type 3")
        .extracting(LayerFormatException::compressedOffset).isEqualTo((long) headerEnd);
  }

  @Test
  void aZtocClaimingZstdOnAGzipLayerGivesATypedErrorNotBytes() throws IOException {
    byte[] gz = TestLayers.gzip(LAYER.tar(), 6);
    Ztoc gzip = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(gz));
    // digest of the whole gzip blob as the only span: verification passes, decoding must not
    Ztoc lying = new Ztoc(Ztoc.VERSION, "test", gz.length, gzip.uncompressedArchiveSize(), gzip.toc(),
        Compression.ZSTD, List.of(Digest.sha256(gz)),
        ZstdCheckpoints.encode(SPAN, List.of(new ZstdCheckpoints.Checkpoint(0, 0))));
    for (boolean verify : new boolean[] {true, false}) {
      LayerReader reader = LayerReader.of(lying, ByteSource.of(gz)).withVerification(verify);
      Throwable t = catchThrowable(() -> reader.readFile("./etc/os-release"));
      assertThat(t).isInstanceOf(LayerFormatException.class)
          .hasMessageContaining("not a zstd frame of span 0: magic 1f 8b 08 00");
      assertThat(((LayerFormatException) t).compressedOffset()).isZero();
      assertThat(catchThrowable(() -> reader.decompressWholeSpan(0, gz, 0))).isInstanceOf(LayerFormatException.class);
    }
  }

  @Test
  void aCorruptSpanFailsVerificationAndWithoutItAWholeSpanReadStillFailsTyped() throws IOException {
    Ztoc ztoc = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(MULTI.blob()));
    assertThat(ztoc.spans()).hasSizeGreaterThan(2);
    for (Span s : ztoc.spans()) {
      byte[] bad = MULTI.blob().clone();
      int pos = (int) (s.compressedStart() + s.compressedEnd()) / 2;
      bad[pos] ^= 0x01;
      LayerReader verifying = LayerReader.of(ztoc, ByteSource.of(bad));
      Throwable v = catchThrowable(() -> verifying.read(s.uncompressedStart(), 1));
      assertThat(v).isInstanceOf(SpanVerificationException.class);
      assertThat(((SpanVerificationException) v).spanId()).isEqualTo(s.id());

      LayerReader unverified = verifying.withVerification(false);
      byte[] compressed = Arrays.copyOfRange(bad, (int) s.compressedStart(), (int) s.compressedEnd());
      Throwable u = catchThrowable(() -> unverified.decompressWholeSpan(s.id(), compressed, 0));
      assertThat(u).as("span %d, flip at %d", s.id(), pos).isInstanceOf(LayerFormatException.class)
          .hasMessageContaining("of span " + s.id());
    }
  }

  private static LayerFormatException buildFails(byte[] layer) {
    Throwable t = catchThrowable(() -> ZtocBuilder.create().withSpanSize(SPAN).withCompression(Compression.ZSTD)
        .build(new ByteArrayInputStream(layer)));
    assertThat(t).isInstanceOf(LayerFormatException.class);
    return (LayerFormatException) t;
  }
}
