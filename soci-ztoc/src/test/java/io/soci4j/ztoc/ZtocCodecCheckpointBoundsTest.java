package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.flat.FlatBuffer;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.testing.TestLayers;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The parser refuses gzip checkpoint blobs whose checkpoints cannot belong to the layer, naming
 * the checkpoint field and its offset in the zTOC: an uncompressed offset past the tar stream, a
 * negative compressed offset, bits outside 0..7, bits on a checkpoint at offset 0, offsets that do
 * not increase, a non-positive span size or count. Complements {@code ZtocCodecMalformedInputTest}
 * (compressed offset past the layer, blob length, negative archive and entry sizes), on a zTOC
 * built from a generated layer rather than a golden vector.
 */
@Timeout(value = 30, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ZtocCodecCheckpointBoundsTest {
  private static final int HEADER = GzipCheckpoints.HEADER_SIZE;
  private static final int ENTRY = GzipCheckpoints.ENTRY_SIZE;
  private static Ztoc ztoc;

  @BeforeAll
  static void build() throws Exception {
    byte[] gz = TestLayers.gzip(TestLayers.mixed(17, TestLayers.Size.SMALL).tar(), 6);
    ztoc = ZtocBuilder.create().withSpanSize(32 << 10).build(new ByteArrayInputStream(gz));
    assertThat(ztoc.spans()).hasSizeGreaterThan(4);
  }

  @Test
  void checkpointPastWhatItsCompressedBytesCanProduceIsRefused() {
    // The last checkpoint, so offsets still increase: only the expansion bound is broken.
    int last = ztoc.spans().size() - 1;
    long in = ztoc.spans().get(last).compressedStart() + 1;
    assertRefused(b -> b.putLong(at(last) + 8, Math.max(ztoc.uncompressedArchiveSize(), in * 1032) + 1),
        at(last) + 8, "compression_info.checkpoints[" + last + "].out", "past the tar stream");
  }

  /**
   * Pins the fix for checkpoints placed after the end-of-archive blocks (a gzip member boundary in
   * the tar's zero padding): the zTOC used to be unreadable by this library.
   */
  @Test
  void checkpointAfterTheEndOfTheArchiveIsAccepted() throws Exception {
    var layer = TestLayers.mixed(5, TestLayers.Size.SMALL);
    byte[] gz = TestLayers.gzipMembers(layer.tar(), 6, layer.archiveEnd() + 512);
    Ztoc z = ZtocBuilder.create().withSpanSize(64 << 10).build(new ByteArrayInputStream(gz));
    Span last = z.spans().get(z.spans().size() - 1);
    assertThat(last.uncompressedStart()).isGreaterThan(z.uncompressedArchiveSize());
    assertThat(ZtocCodec.parse(ZtocCodec.serialize(z))).isEqualTo(z);
    LayerReader reader = LayerReader.of(z, io.soci4j.api.ByteSource.of(gz));
    assertThat(reader.read(0, (int) z.uncompressedArchiveSize()))
        .isEqualTo(java.util.Arrays.copyOf(layer.tar(), (int) z.uncompressedArchiveSize()));
  }

  @Test
  void negativeCompressedOffsetIsRefused() {
    assertRefused(b -> {
      b.putLong(at(0), -1);
      b.put(at(0) + 16, (byte) 0);
    }, at(0), "compression_info.checkpoints[0].in", "outside the layer");
  }

  @Test
  void bitsOutsideZeroToSevenAreRefused() {
    for (int bits : new int[] {8, 0xFF}) {
      assertRefused(b -> b.put(at(2) + 16, (byte) bits), at(2) + 16, "compression_info.checkpoints[2].bits",
          "not in 0..7");
    }
  }

  @Test
  void bitsOnACheckpointAtOffsetZeroAreRefused() {
    assertRefused(b -> {
      b.putLong(at(0), 0);
      b.put(at(0) + 16, (byte) 3);
    }, at(0), "compression_info.checkpoints[0].in", "outside the layer");
  }

  @Test
  void checkpointsWhoseOffsetsDoNotIncreaseAreRefused() {
    assertRefused(b -> b.putLong(at(2), b.getLong(at(1))), at(2), "compression_info.checkpoints[2]",
        "do not increase");
    assertRefused(b -> b.putLong(at(2) + 8, b.getLong(at(1) + 8)), at(2), "compression_info.checkpoints[2]",
        "do not increase");
  }

  @Test
  void nonPositiveSpanSizeOrCountIsRefused() {
    assertRefused(b -> b.putLong(4, 0), 4, "compression_info.checkpoints.span_size", "not positive");
    assertRefused(b -> b.putLong(4, -(32 << 10)), 4, "compression_info.checkpoints.span_size", "not positive");
    assertRefused(b -> b.putInt(0, 0), 0, "compression_info.checkpoints.count", "not positive");
    assertRefused(b -> b.putInt(0, -5), 0, "compression_info.checkpoints.count", "not positive");
  }

  @Test
  void unmodifiedBlobParses() throws Exception {
    assertThat(ZtocCodec.parse(ZtocCodec.serialize(ztoc))).isEqualTo(ztoc);
  }

  private static int at(int checkpoint) {
    return HEADER + checkpoint * ENTRY;
  }

  private static void assertRefused(Consumer<ByteBuffer> patch, int blobOffset, String field, String problem) {
    byte[] blob = ztoc.checkpoints();
    patch.accept(ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN));
    byte[] bytes = ZtocCodec.serialize(new Ztoc(ztoc.version(), ztoc.buildToolIdentifier(),
        ztoc.compressedArchiveSize(), ztoc.uncompressedArchiveSize(), ztoc.toc(), ztoc.compression(),
        ztoc.spanDigests(), blob));

    Throwable t = catchThrowable(() -> ZtocCodec.parse(bytes));
    assertThat(t).isInstanceOf(ZtocFormatException.class).hasMessageContaining(problem);
    ZtocFormatException e = (ZtocFormatException) t;
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.offset()).isEqualTo(blobStart(bytes) + blobOffset);
  }

  private static long blobStart(byte[] bytes) {
    try {
      return new FlatBuffer(bytes, "").root().table(5, "compression_info").vector(3, "checkpoints", 1).position();
    } catch (ZtocFormatException e) {
      throw new AssertionError(e);
    }
  }
}
