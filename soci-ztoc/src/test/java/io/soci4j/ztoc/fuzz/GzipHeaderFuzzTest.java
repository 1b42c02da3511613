package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.deflate.CompressedInput;
import io.soci4j.ztoc.internal.gzip.GzipHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the gzip member header parser (RFC 1952: FEXTRA, FNAME, FCOMMENT, FHCRC). It either
 * stops inside the input or fails with {@link LayerFormatException}.
 */
class GzipHeaderFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void header(byte[] data) throws IOException {
    CompressedInput in = new CompressedInput(new ByteArrayInputStream(data), 64, (b, f, t, a) -> {});
    try {
      GzipHeader.read(in, true);
    } catch (LayerFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(in.position()).isBetween(10L, (long) data.length);
  }
}
