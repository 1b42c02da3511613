package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.internal.tar.TarTocParser;
import java.util.List;

/**
 * Fuzzes the tar TOC parser with the input pushed in chunks of fuzzer-chosen sizes. Every input
 * ends in a TOC whose entries lie inside the stream in order, or in a {@link LayerFormatException}
 * (its subtype {@link io.soci4j.api.UnsupportedLayerException} included); never another exception,
 * never a loop (the crafted sizes of 2^63-512 and up are in the committed corpus).
 */
class TarParserFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 4096);
    byte[] tar = data.consumeRemainingAsBytes();
    TarTocParser parser = new TarTocParser();
    List<TocEntry> toc;
    try {
      for (int off = 0; off < tar.length; off += chunk) {
        parser.accept(tar, off, Math.min(chunk, tar.length - off));
      }
      toc = parser.finish();
    } catch (LayerFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    long end = 0;
    for (TocEntry e : toc) {
      assertThat(e.uncompressedOffset()).isGreaterThanOrEqualTo(end);
      assertThat(e.uncompressedEnd()).isLessThanOrEqualTo(tar.length);
      end = e.uncompressedEnd();
    }
    assertThat(parser.archiveSize()).isBetween(0L, (long) tar.length);
  }
}
