package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.zstd.ZstdFrameWalker;
import java.io.IOException;

/**
 * Fuzzes the zstd frame walker with the input pushed in chunks of fuzzer-chosen sizes. It fails
 * only with {@link LayerFormatException}; otherwise every byte reaches the listener once, in
 * order, frames start and end alternately, inside the stream, in increasing order.
 */
class ZstdFrameWalkerFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void walk(FuzzedDataProvider data) throws IOException {
    int chunk = data.consumeInt(1, 1024);
    byte[] stream = data.consumeRemainingAsBytes();
    Checker checker = new Checker(stream);
    ZstdFrameWalker walker = new ZstdFrameWalker(checker, 0, "fuzz input");
    try {
      for (int off = 0; off < stream.length; off += chunk) {
        walker.accept(stream, off, Math.min(chunk, stream.length - off));
      }
      walker.finish();
    } catch (LayerFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(checker.seen).isEqualTo(stream.length);
    assertThat(checker.inFrame).as("a frame still open after finish()").isFalse();
    assertThat(walker.position()).isEqualTo(stream.length);
  }

  private static final class Checker implements ZstdFrameWalker.Listener {
    private final byte[] stream;
    long seen;
    boolean inFrame;
    long lastEnd;

    Checker(byte[] stream) {
      this.stream = stream;
    }

    @Override
    public void frameStart(long offset, boolean skippable) {
      assertThat(inFrame).as("frame started inside a frame").isFalse();
      assertThat(offset).isEqualTo(seen).isGreaterThanOrEqualTo(lastEnd);
      inFrame = true;
    }

    @Override
    public void bytes(byte[] buf, int off, int len) {
      for (int i = 0; i < len; i++) {
        assertThat(buf[off + i]).isEqualTo(stream[(int) (seen + i)]);
      }
      seen += len;
    }

    @Override
    public void frameEnd(long end) {
      assertThat(inFrame).as("frame ended outside a frame").isTrue();
      assertThat(end).isEqualTo(seen).isLessThanOrEqualTo(stream.length);
      inFrame = false;
      lastEnd = end;
    }
  }
}
