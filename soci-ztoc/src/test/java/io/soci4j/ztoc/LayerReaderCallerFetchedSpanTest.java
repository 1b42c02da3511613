package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Readers that fetch and cache spans themselves decompress them with {@link
 * LayerReader#decompressSpan(int, byte[], int, long, byte[], int, int)} and {@link
 * LayerReader#decompressWholeSpan}: the byte source is never used, digests are still checked, and
 * whole spans concatenated are the full decompressed stream, record padding after the tar's
 * end-of-archive included (so a layer materialised span by span hashes to its diff ID).
 */
class LayerReaderCallerFetchedSpanTest {
  private static final Layer LAYER = TestLayers.mixed(21, TestLayers.Size.SMALL);
  private static final long SPAN = 32 << 10;
  private static final ByteSource UNUSED = new ByteSource() {
    @Override
    public long size() {
      throw new AssertionError("the byte source must not be used");
    }

    @Override
    public void read(long offset, java.nio.ByteBuffer dst) {
      throw new AssertionError("the byte source must not be used");
    }
  };

  @Test
  void wholeGzipSpansConcatenateToTheFullDecompressedStreamWithPadding() throws Exception {
    byte[] gz = TestLayers.gzip(LAYER.tar(), 6);
    assertThat((long) LAYER.tar().length).as("the tar has record padding").isGreaterThan(LAYER.archiveEnd());
    assertThat(concatenatedSpans(gz)).isEqualTo(gunzip(gz));
  }

  @Test
  void wholeSpansOfAMultiMemberGzipLayerConcatenateToItsDecompressedStream() throws Exception {
    byte[] gz = TestLayers.gzipMembers(LAYER.tar(), 9, 20_000, 90_000, 300_000, LAYER.tar().length - 100);
    assertThat(concatenatedSpans(gz)).isEqualTo(gunzip(gz));
  }

  @Test
  void wholeSpansOfATarLayerConcatenateToTheLayer() throws Exception {
    assertThat(concatenatedSpans(LAYER.tar())).isEqualTo(LAYER.tar());
  }

  @Test
  void partOfASpanFromCallerBytesEqualsTheRangeRead() throws Exception {
    byte[] gz = TestLayers.gzip(LAYER.tar(), 6);
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(gz));
    LayerReader viaSource = LayerReader.of(z, ByteSource.of(gz));
    LayerReader viaCaller = LayerReader.of(z, UNUSED);
    for (Span s : z.spans()) {
      byte[] compressed = Arrays.copyOfRange(gz, (int) s.compressedStart() - 3, (int) s.compressedEnd());
      int len = (int) Math.min(1000, s.uncompressedLength() / 2);
      long skip = s.uncompressedLength() / 3;
      byte[] dst = new byte[len + 5];
      viaCaller.decompressSpan(s.id(), compressed, 3, skip, dst, 5, len);
      assertThat(Arrays.copyOfRange(dst, 5, 5 + len))
          .isEqualTo(viaSource.read(s.uncompressedStart() + skip, len));
    }
  }

  @Test
  void corruptCallerBytesFailVerificationUnlessItIsOff() throws Exception {
    byte[] tar = LAYER.tar();
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(tar));
    Span s = z.spans().get(2);
    byte[] compressed = Arrays.copyOfRange(tar, (int) s.compressedStart(), (int) s.compressedEnd());
    compressed[10] ^= 1;
    LayerReader reader = LayerReader.of(z, UNUSED);
    assertThatThrownBy(() -> reader.decompressWholeSpan(2, compressed, 0))
        .isInstanceOf(SpanVerificationException.class).hasMessageContaining("span 2");
    assertThatThrownBy(() -> reader.decompressSpan(2, compressed, 0, 0, new byte[20], 0, 20))
        .isInstanceOf(SpanVerificationException.class);
    assertThat(reader.withVerification(false).decompressWholeSpan(2, compressed, 0)[10])
        .isEqualTo(compressed[10]);
  }

  @Test
  void rangesOutsideTheSpanAreRejected() throws Exception {
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(LAYER.tar()));
    LayerReader reader = LayerReader.of(z, UNUSED);
    Span s = z.spans().get(0);
    byte[] compressed = Arrays.copyOfRange(LAYER.tar(), 0, (int) s.compressedEnd());
    assertThatThrownBy(() -> reader.decompressSpan(0, compressed, 0, s.uncompressedLength() - 5, new byte[10], 0,
        10)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> reader.decompressSpan(0, compressed, 1, 0, new byte[10], 0, 10))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> reader.decompressWholeSpan(z.maxSpanId() + 1, compressed, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static byte[] concatenatedSpans(byte[] layer) throws Exception {
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(layer));
    assertThat(z.spans()).hasSizeGreaterThan(5);
    LayerReader reader = LayerReader.of(z, UNUSED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Span s : z.spans()) {
      byte[] compressed = Arrays.copyOfRange(layer, (int) s.compressedStart(), (int) s.compressedEnd());
      byte[] span = reader.decompressWholeSpan(s.id(), compressed, 0);
      if (s.id() < z.maxSpanId()) {
        assertThat((long) span.length).isEqualTo(s.uncompressedLength());
      }
      out.writeBytes(span);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
