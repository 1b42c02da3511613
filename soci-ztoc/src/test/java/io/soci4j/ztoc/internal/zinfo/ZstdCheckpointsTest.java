package io.soci4j.ztoc.internal.zinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.internal.zinfo.ZstdCheckpoints.Checkpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The zstd checkpoint blob of docs/zstd.md: its exact bytes, the geometry it decodes to, and every
 * malformation refused with a {@link ZtocFormatException} naming the field and its offset in the
 * blob.
 */
class ZstdCheckpointsTest {
  private static final long LAYER = 10_000;
  private static final long TAR = 50_000;
  private static final byte[] BLOB = ZstdCheckpoints.encode(4096,
      List.of(new Checkpoint(0, 0), new Checkpoint(3000, 20_000), new Checkpoint(7000, 41_000)));

  @Test
  void blobLayoutIsTheDocumentedOne() {
    assertThat(HexFormat.of().formatHex(BLOB)).isEqualTo("5a534350" + "01000000" + "0010000000000000" + "03000000"
        + "0000000000000000" + "0000000000000000"
        + "b80b000000000000" + "204e000000000000"
        + "581b000000000000" + "28a0000000000000");
    assertThat(BLOB).hasSize(ZstdCheckpoints.HEADER_SIZE + 3 * ZstdCheckpoints.ENTRY_SIZE);
  }

  @Test
  void decodesToSpansOfWholeFrameRuns() throws ZtocFormatException {
    SpanGeometry g = ZinfoFormats.geometry(Compression.ZSTD, BLOB, 3, LAYER, TAR);
    assertThat(g).isInstanceOf(ZstdCheckpoints.class);
    assertThat(((ZstdCheckpoints) g).spanSize()).isEqualTo(4096);
    assertThat(g.spanCount()).isEqualTo(3);
    assertThat(new long[] {g.compressedStart(0), g.compressedEnd(0), g.compressedStart(1), g.compressedEnd(1),
        g.compressedStart(2), g.compressedEnd(2)}).containsExactly(0, 3000, 3000, 7000, 7000, LAYER);
    assertThat(new long[] {g.uncompressedStart(1), g.uncompressedEnd(1), g.uncompressedEnd(2)})
        .containsExactly(20_000, 41_000, TAR);
    assertThat(g.bits(1)).isZero();
    assertThat(g.spanOf(20_000)).isEqualTo(1);
    assertThat(g.spanOf(19_999)).isZero();
    assertThat(ZinfoFormats.decompressor(Compression.ZSTD, g)).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "magic           | 0  | 1  | 65   | checkpoints.magic     | 0  | zstd checkpoint magic",
      "version         | 4  | 1  | 2    | checkpoints.version   | 4  | version 2 is not 1",
      "span size       | 8  | 8  | 0    | checkpoints.span_size | 8  | span size 0 is not positive",
      "count           | 16 | 4  | 0    | checkpoints.count     | 16 | count 0 is not positive",
      "count vs spans  | 16 | 4  | 2    | checkpoints.count     | 16 | does not match max_span_id + 1 = 3",
      "first in        | 20 | 8  | 5    | checkpoints[0].in     | 20 | span 0 starts at compressed offset 5",
      "in past layer   | 52 | 8  | 10000| checkpoints[2].in     | 52 | outside the layer (size 10000)",
      "in decreasing   | 52 | 8  | 2999 | checkpoints[2]        | 52 | do not increase from checkpoint 1",
      "out decreasing  | 60 | 8  | 20000| checkpoints[2]        | 52 | do not increase from checkpoint 1",
      "out impossible  | 60 | 8  | 999999999999 | checkpoints[2].out | 60 | more than 7000 compressed bytes",
      "negative out    | 44 | 8  | -1   | checkpoints[1].out    | 44 | uncompressed offset -1"})
  void malformedFieldsAreRefusedByName(String what, int offset, int width, long value, String field, int at,
      String problem) {
    byte[] b = BLOB.clone();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    switch (width) {
      case 1 -> b[offset] = (byte) value;
      case 4 -> bb.putInt(offset, (int) value);
      default -> bb.putLong(offset, value);
    }
    ZtocFormatException e = refused(b, 3);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.offset()).isEqualTo(at);
    assertThat(e.problem()).contains(problem);
  }

  @Test
  void wrongLengthsAreRefused() {
    assertThat(refused(Arrays.copyOf(BLOB, 19), 3).problem()).contains("shorter than its 20-byte header");
    assertThat(refused(Arrays.copyOf(BLOB, BLOB.length - 1), 3).problem())
        .contains("is 67 bytes; 3 checkpoints need 68");
    assertThat(refused(Arrays.copyOf(BLOB, BLOB.length + 16), 3).problem()).contains("need 68");
  }

  @Test
  void aCheckpointPastTheTarEndIsAcceptedWhenItsCompressedBytesCanProduceIt() throws ZtocFormatException {
    byte[] b = ZstdCheckpoints.encode(4096, List.of(new Checkpoint(0, 0), new Checkpoint(9000, 60_000)));
    SpanGeometry g = ZstdCheckpoints.decode(b, 2, LAYER, TAR);
    assertThat(g.uncompressedEnd(1)).isEqualTo(60_000);
  }

  private static ZtocFormatException refused(byte[] blob, int spans) {
    return catchThrowableOfType(ZtocFormatException.class, () -> ZstdCheckpoints.decode(blob, spans, LAYER, TAR));
  }
}
