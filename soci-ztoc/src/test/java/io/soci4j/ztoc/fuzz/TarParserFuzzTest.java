package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.EntryType;
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
      // only regular files have data; the size field of the other types is kept but covers nothing
      long dataEnd = e.type() == EntryType.REGULAR ? e.uncompressedEnd() : e.uncompressedOffset();
      assertThat(e.uncompressedOffset()).isGreaterThanOrEqualTo(end);
      assertThat(dataEnd).isLessThanOrEqualTo(tar.length);
      end = dataEnd;
    }
    assertThat(parser.archiveSize()).isBetween(0L, (long) tar.length);
  }
}
