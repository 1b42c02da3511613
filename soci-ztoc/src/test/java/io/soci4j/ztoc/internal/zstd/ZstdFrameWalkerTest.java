package io.soci4j.ztoc.internal.zstd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.LayerFormatException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZstdFrameWalkerTest {

  /** Frame header with the longest optional fields (found by ZstdFrameWalkerFuzzTest). */
  @Test
  void walksAFrameHeaderWithAWindowDescriptorDictionaryIdAndEightByteContentSize() throws Exception {
    byte[] frame = {
      0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, // magic
      (byte) 0xC3, // descriptor: 8-byte content size, not single segment, 4-byte dictionary id
      0x50, // window descriptor
      1, 2, 3, 4, // dictionary id
      0, 0, 0, 0, 0, 0, 0, 0, // content size 0
      0x01, 0x00, 0x00 // last block, raw, 0 bytes
    };
    for (int chunk = 1; chunk <= frame.length; chunk++) {
      Recorder r = new Recorder();
      ZstdFrameWalker walker = new ZstdFrameWalker(r, 100, "");
      for (int off = 0; off < frame.length; off += chunk) {
        walker.accept(frame, off, Math.min(chunk, frame.length - off));
      }
      walker.finish();
      assertThat(r.events).as("chunk %d", chunk).containsExactly("start 100", "end 121");
      assertThat(r.bytes.toByteArray()).isEqualTo(frame);
      assertThat(walker.dataFrames()).isEqualTo(1);
    }
  }

  @Test
  void refusesAStreamThatEndsInsideTheLongestHeader() throws Exception {
    byte[] truncated = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, (byte) 0xC3, 0x50, 1, 2, 3, 4, 0, 0};
    ZstdFrameWalker walker = new ZstdFrameWalker(new Recorder(), 0, "layer x");
    walker.accept(truncated, 0, truncated.length);
    assertThatThrownBy(walker::finish).isInstanceOf(LayerFormatException.class)
        .hasMessageContaining("ends inside the frame starting at compressed offset 0");
  }

  private static final class Recorder implements ZstdFrameWalker.Listener {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void frameStart(long offset, boolean skippable) {
      events.add("start " + offset);
    }

    @Override
    public void bytes(byte[] buf, int off, int len) {
      bytes.write(buf, off, len);
    }

    @Override
    public void frameEnd(long end) {
      events.add("end " + end);
    }
  }
}
