package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import java.util.List;

/**
 * Fuzzes the zTOC parser (flatbuffers structure, checkpoint blobs, TOC rules). Any input either
 * parses into a zTOC whose spans tile the layer, or fails with {@link ZtocFormatException}: no
 * other exception, no hang, no allocation beyond the input's size.
 *
 * <p>Regression mode (the normal test run) replays {@code ZtocParserFuzzTestInputs/parse/};
 * {@code JAZZER_FUZZ=1} (the {@code fuzz-*} surefire executions, or {@code scripts/fuzz.sh}) fuzzes.
 */
class ZtocParserFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] data) {
    Ztoc ztoc;
    try {
      ztoc = ZtocCodec.parse(data);
    } catch (ZtocFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    List<Span> spans = ztoc.spans();
    assertThat(spans.get(0).uncompressedStart()).isZero();
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i).uncompressedStart()).isEqualTo(spans.get(i - 1).uncompressedEnd());
      assertThat(spans.get(i).compressedStart()).isLessThanOrEqualTo(ztoc.compressedArchiveSize());
    }
    // what parses serializes and parses back to the same zTOC
    try {
      assertThat(ZtocCodec.parse(ZtocCodec.serialize(ztoc))).isEqualTo(ztoc);
    } catch (ZtocFormatException e) {
      throw new AssertionError("a parsed zTOC does not parse after serialization: " + e.getMessage(), e);
    }
  }
}
