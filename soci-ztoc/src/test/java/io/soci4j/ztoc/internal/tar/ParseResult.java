package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.TocEntry;
import java.util.List;

/**
 * What the parser made of a whole stream, fed in several chunkings that must all agree.
 *
 * @param entries the entries, or null on failure
 * @param archiveSize the archive size, or -1 on failure
 * @param endOfArchiveSeen whether the end blocks were seen
 * @param failure the exception, or null
 */
record ParseResult(List<TocEntry> entries, long archiveSize, boolean endOfArchiveSeen, LayerFormatException failure) {
  private static final int[] CHUNKS = {1, 7, 512, 4096, Integer.MAX_VALUE};

  /** Parses {@code tar} in every chunking and checks they give the same result. */
  static ParseResult of(byte[] tar) {
    ParseResult first = null;
    for (int chunk : CHUNKS) {
      ParseResult r = once(tar, chunk);
      if (first == null) {
        first = r;
      } else {
        assertThat(r.describe()).as("chunks of " + chunk).isEqualTo(first.describe());
      }
    }
    return first;
  }

  static ParseResult once(byte[] tar, int chunk) {
    TarTocParser parser = new TarTocParser();
    try {
      for (int off = 0; off < tar.length; off += chunk) {
        parser.accept(tar, off, Math.min(chunk, tar.length - off));
      }
      List<TocEntry> entries = parser.finish();
      return new ParseResult(entries, parser.archiveSize(), parser.endOfArchiveSeen(), null);
    } catch (LayerFormatException e) {
      return new ParseResult(null, -1, false, e);
    }
  }

  /** The entries; fails when parsing failed. */
  List<TocEntry> ok() {
    assertThat(failure).as("parse failure").isNull();
    return entries;
  }

  /** The single entry; fails otherwise. */
  TocEntry only() {
    assertThat(ok()).hasSize(1);
    return entries.get(0);
  }

  /** The failure; fails when parsing succeeded. */
  LayerFormatException error() {
    assertThat(failure).as("expected a parse failure, got " + entries).isNotNull();
    return failure;
  }

  private String describe() {
    return failure != null
        ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
        : entries + " size=" + archiveSize + " eoa=" + endOfArchiveSeen;
  }
}
