package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ByteSource;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.testing.ReferenceTar;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A layer blob whose bytes differ from the ones the zTOC was built from (one byte of one span
 * changed) is caught by span verification: reading any byte of that span, by span, by range or
 * by file, throws {@link SpanVerificationException} naming the span and its compressed range,
 * while the other spans still read correctly.
 *
 * <p>With verification off nothing guarantees the bytes: a plain tar layer returns the corrupt
 * byte as is (pinned below), and a gzip span returns wrong bytes whenever zlib accepts the
 * damaged deflate data (a byte inside a stored block always is, and the reader cannot see a
 * member's CRC32 from the middle of it). What is pinned for gzip with verification off is only
 * that the reader fails with a {@link LayerFormatException} or returns, never with an unchecked
 * exception or a hang.
 */
@Timeout(value = 60, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LayerReaderCorruptSpanTest {
  private static final Layer LAYER = TestLayers.mixed(13, TestLayers.Size.SMALL);
  private static final long SPAN = 32 << 10;
  /** Member starts of the multi-member layers: many, two of them 100 bytes apart. */
  private static final long[] SPLITS = {20_000, 50_000, 50_100, 90_000, 150_000, 300_000, 450_000};

  @Test
  void everyCorruptGzipSpanFailsVerificationNamingTheSpan() throws Exception {
    checkEverySpan(TestLayers.gzip(LAYER.tar(), 6));
  }

  @Test
  void everyCorruptMultiMemberGzipSpanFailsVerificationNamingTheSpan() throws Exception {
    checkEverySpan(TestLayers.gzipMembers(LAYER.tar(), 9, SPLITS));
  }

  @Test
  void everyCorruptTarSpanFailsVerificationNamingTheSpan() throws Exception {
    checkEverySpan(LAYER.tar());
  }

  @Test
  void withoutVerificationATarLayerReturnsTheCorruptByte() throws Exception {
    byte[] tar = LAYER.tar();
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(tar));
    long pos = LAYER.member("usr/lib/random-0.bin").dataOffset() + 100;
    LayerReader reader = LayerReader.of(z, new CorruptingSource(tar, pos)).withVerification(false);

    byte[] read = reader.read(pos, 1);
    assertThat(read[0]).isEqualTo((byte) ~tar[(int) pos]);
  }

  @Test
  void withoutVerificationACorruptGzipSpanFailsAsLayerFormatOrReturns() throws Exception {
    byte[] gz = TestLayers.gzip(LAYER.tar(), 6);
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(gz));
    for (Span s : z.spans()) {
      for (long pos = s.compressedStart() + 1; pos < s.compressedEnd() - 1; pos += Math.max(1, s.compressedLength() / 7)) {
        decompressCorruptSpanWithoutVerification(gz, z, s, pos);
      }
    }
  }

  /** The member trailers and headers a span runs across are the bytes read least often: each of them. */
  @Test
  void withoutVerificationACorruptMemberBoundaryInsideASpanFailsAsLayerFormatOrReturns() throws Exception {
    byte[] gz = TestLayers.gzipMembers(LAYER.tar(), 6, SPLITS);
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(gz));
    int crossed = 0;
    for (long start : TestLayers.memberStarts(LAYER.tar(), 6, SPLITS)) {
      for (Span s : z.spans()) {
        if (s.compressedStart() + 8 < start && start + 10 < s.compressedEnd()) {
          crossed++;
          for (long pos = start - 8; pos < start + 10; pos++) {
            decompressCorruptSpanWithoutVerification(gz, z, s, pos);
          }
        }
      }
    }
    assertThat(crossed).as("member boundaries inside a span").isGreaterThanOrEqualTo(2);
  }

  /**
   * Regression: a bad member header met inside a span was reported as "trailing garbage after the
   * last gzip member" at compressed offset 0 (offsets relative to the header), naming no span.
   */
  @Test
  void corruptMemberHeaderInsideASpanIsReportedWithTheSpanAndItsAbsoluteOffset() throws Exception {
    byte[] gz = TestLayers.gzipMembers(LAYER.tar(), 6, SPLITS);
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(gz));
    long[] starts = TestLayers.memberStarts(LAYER.tar(), 6, SPLITS);
    int checked = 0;
    for (long start : Arrays.copyOfRange(starts, 1, starts.length)) {
      assertThat(gz[(int) start]).isEqualTo((byte) 0x1f);
      for (Span s : z.spans()) {
        if (s.compressedStart() + 8 < start && start + 10 < s.compressedEnd()) {
          LayerReader reader = LayerReader.of(z, new CorruptingSource(gz, start + 2)).withVerification(false);
          Throwable t = catchThrowable(() -> reader.decompressSpan(s.id(), new byte[(int) s.uncompressedLength()], 0));
          assertThat(t).isInstanceOf(LayerFormatException.class)
              .hasMessageContaining("span " + s.id() + " runs into an invalid gzip member header")
              .hasMessageContaining("compressed offset " + (start + 2));
          assertThat(((LayerFormatException) t).compressedOffset()).isEqualTo(start + 2);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(2);
  }

  private static void decompressCorruptSpanWithoutVerification(byte[] gz, Ztoc z, Span s, long pos) {
    LayerReader reader = LayerReader.of(z, new CorruptingSource(gz, pos)).withVerification(false);
    byte[] dst = new byte[(int) s.uncompressedLength()];
    Throwable t = catchThrowable(() -> reader.decompressSpan(s.id(), dst, 0));
    if (t != null) {
      assertThat(t).as("span %d, byte %d", s.id(), pos).isInstanceOf(LayerFormatException.class)
          .hasMessageContaining("span " + s.id());
    }
  }

  private static void checkEverySpan(byte[] layer) throws Exception {
    Ztoc z = ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(layer));
    byte[] stream = ReferenceTar.of(layer).stream();
    List<Span> spans = z.spans();
    assertThat(spans).hasSizeGreaterThan(5);
    for (Span s : spans) {
      // a byte of this span only: consecutive gzip spans can share their boundary byte
      long pos = s.compressedStart() + 1 + (s.compressedLength() - 2) / 2;
      assertThat(s.compressedLength()).isGreaterThan(2);
      LayerReader reader = LayerReader.of(z, new CorruptingSource(layer, pos));

      assertVerificationFails(s, () -> reader.decompressSpan(s.id(), new byte[(int) s.uncompressedLength()], 0));
      long mid = s.uncompressedStart() + s.uncompressedLength() / 2;
      assertVerificationFails(s, () -> reader.read(mid, 1));
      long from = Math.max(0, s.uncompressedStart() - 10);
      assertVerificationFails(s, () -> reader.read(from, (int) Math.min(z.uncompressedArchiveSize() - from, 20)));

      Span other = spans.get(s.id() == 0 ? 1 : s.id() - 1);
      assertThat(reader.read(other.uncompressedStart(), (int) other.uncompressedLength()))
          .as("span %d next to corrupt span %d", other.id(), s.id())
          .isEqualTo(Arrays.copyOfRange(stream, (int) other.uncompressedStart(), (int) other.uncompressedEnd()));
    }
  }

  private static void assertVerificationFails(Span s, Runnable0 read) {
    Throwable t = catchThrowable(read::run);
    assertThat(t).as("span %d", s.id()).isInstanceOf(SpanVerificationException.class)
        .hasMessageContaining("span " + s.id() + " (compressed bytes [" + s.compressedStart() + ", "
            + s.compressedEnd() + "))")
        .hasMessageContaining(s.digest().toString());
    SpanVerificationException e = (SpanVerificationException) t;
    assertThat(e.spanId()).isEqualTo(s.id());
    assertThat(e.compressedStart()).isEqualTo(s.compressedStart());
    assertThat(e.compressedEnd()).isEqualTo(s.compressedEnd());
    assertThat(e.expected()).isEqualTo(s.digest());
    assertThat(e.actual()).isNotEqualTo(s.digest());
  }

  @FunctionalInterface
  private interface Runnable0 {
    void run() throws IOException;
  }

  /** The layer with the byte at one offset inverted. */
  private static final class CorruptingSource implements ByteSource {
    private final ByteSource layer;
    private final long corrupt;

    CorruptingSource(byte[] layer, long corrupt) {
      this.layer = ByteSource.of(layer);
      this.corrupt = corrupt;
    }

    @Override
    public long size() throws IOException {
      return layer.size();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
      int start = dst.position();
      int len = dst.remaining();
      layer.read(offset, dst);
      if (corrupt >= offset && corrupt < offset + len) {
        int i = start + (int) (corrupt - offset);
        dst.put(i, (byte) ~dst.get(i));
      }
    }
  }
}
