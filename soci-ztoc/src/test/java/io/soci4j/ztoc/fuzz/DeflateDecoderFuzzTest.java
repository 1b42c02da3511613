package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.deflate.CompressedInput;
import io.soci4j.ztoc.internal.deflate.DeflateDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Fuzzes our deflate decoder against zlib ({@link Inflater}, raw): it fails only with {@link
 * LayerFormatException}, never decodes more than a bounded amount per input byte, and wherever
 * both decoders finish a stream they produced the same bytes.
 */
class DeflateDecoderFuzzTest {
  /** Output cap per run: deflate expands at most 1032:1, so 64 KiB of input stays far below it. */
  private static final int MAX_OUTPUT = 1 << 24;

  @FuzzTest(maxDuration = "10s")
  void decode(byte[] data) throws IOException {
    byte[] ours = ours(data);
    byte[] zlib = zlib(data);
    if (ours != null && zlib != null) {
      assertThat(ours).as("decoded bytes").isEqualTo(zlib);
    }
  }

  /** Our decoder's output for a complete stream, or null when it refused the input. */
  private static byte[] ours(byte[] data) throws IOException {
    CompressedInput in = new CompressedInput(new ByteArrayInputStream(data), 4096, (b, f, t, a) -> {});
    DeflateDecoder d = new DeflateDecoder(in, 8192);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    d.startMember();
    try {
      while (true) {
        int r = d.decode();
        out.write(d.out, d.flushed, d.pending());
        d.flushed = d.outPos;
        if (r == DeflateDecoder.MEMBER_END) {
          return out.toByteArray();
        }
        if (out.size() > MAX_OUTPUT) {
          throw new AssertionError(out.size() + " bytes from " + data.length + " input bytes");
        }
        d.slide();
      }
    } catch (LayerFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
  }

  private static byte[] zlib(byte[] data) {
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          return null;
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_OUTPUT) {
          return null;
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      return null;
    } finally {
      inf.end();
    }
  }
}
