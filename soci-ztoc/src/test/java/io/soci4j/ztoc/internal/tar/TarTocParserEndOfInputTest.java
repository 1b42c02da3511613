package io.soci4j.ztoc.internal.tar;

import static io.soci4j.ztoc.internal.tar.TarBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.TocEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How the parser ends: end-of-archive blocks, clean ends without them, truncation, garbage. */
class TarTocParserEndOfInputTest {
  private static final byte[] HELLO = "hello, world".getBytes(StandardCharsets.US_ASCII);

  @Test
  void archiveSizeStopsAfterTheTwoZeroBlocksAndIgnoresPadding() {
    byte[] tar = new TarBuilder().file("a.txt", HELLO).end().raw(new byte[10240 - 2048]).bytes();

    ParseResult r = ParseResult.of(tar);

    assertThat(r.ok()).extracting(TocEntry::name).containsExactly("a.txt");
    assertThat(r.archiveSize()).isEqualTo(2048);
    assertThat(r.endOfArchiveSeen()).isTrue();
  }

  /** Bytes after the end blocks are never parsed, even when they are not a valid header. */
  @Test
  void garbageAfterTheEndOfArchiveIsIgnored() {
    byte[] garbage = new byte[3000];
    new Random(7).nextBytes(garbage);
    byte[] tar = new TarBuilder().file("a", HELLO).end().raw(garbage).bytes();

    ParseResult r = ParseResult.of(tar);

    assertThat(r.ok()).hasSize(1);
    assertThat(r.archiveSize()).isEqualTo(2048);
  }

  /** Go's readHeader returns io.EOF when no byte of a new header was read: a clean end. */
  @Test
  void inputEndingAtABlockBoundaryWithoutEndBlocksIsACleanEnd() {
    byte[] tar = new TarBuilder().file("a", HELLO).file("b", new byte[512]).bytes();

    ParseResult r = ParseResult.of(tar);

    assertThat(r.ok()).extracting(TocEntry::name).containsExactly("a", "b");
    assertThat(r.archiveSize()).isEqualTo(tar.length);
    assertThat(r.endOfArchiveSeen()).isFalse();
  }

  @Test
  void inputEndingAfterOneZeroBlockIsACleanEnd() {
    byte[] tar = new TarBuilder().file("a", HELLO).raw(new byte[512]).bytes();

    ParseResult r = ParseResult.of(tar);

    assertThat(r.ok()).hasSize(1);
    assertThat(r.archiveSize()).isEqualTo(1536);
    assertThat(r.endOfArchiveSeen()).isFalse();
  }

  /** Go reads padding with tryReadFull, which reports io.EOF, so Next ends the archive. */
  @Test
  void inputEndingInsideThePaddingAfterDataIsACleanEnd() {
    byte[] full = new TarBuilder().file("a", HELLO).bytes();
    byte[] tar = Arrays.copyOf(full, 512 + HELLO.length + 3);

    ParseResult r = ParseResult.of(tar);

    assertThat(r.ok()).hasSize(1);
    assertThat(r.archiveSize()).isEqualTo(tar.length);
  }

  @Test
  void emptyInputIsAnEmptyArchive() {
    ParseResult r = ParseResult.of(new byte[0]);

    assertThat(r.ok()).isEmpty();
    assertThat(r.archiveSize()).isZero();
  }

  @Test
  void inputEndingInsideAHeaderIsTruncated() {
    byte[] full = new TarBuilder().file("a", HELLO).file("b", HELLO).bytes();
    byte[] tar = Arrays.copyOf(full, 1024 + 100);

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isNotInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).contains("truncated inside a header block (100 of 512 bytes)");
    assertThat(e.uncompressedOffset()).isEqualTo(1024);
  }

  @Test
  void inputEndingInsideTheSecondEndBlockIsTruncated() {
    byte[] tar = Arrays.copyOf(new TarBuilder().file("a", HELLO).end().bytes(), 1024 + 512 + 10);

    assertThat(ParseResult.of(tar).error().getMessage()).contains("truncated inside a header block");
  }

  @Test
  void inputEndingInsideMemberDataNamesTheEntryAndOffset() {
    byte[] data = new byte[5000];
    byte[] full = new TarBuilder().file("dir/big.bin", data).end().bytes();
    byte[] tar = Arrays.copyOf(full, 512 + 4000);

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e.entryName()).isEqualTo("dir/big.bin");
    assertThat(e.uncompressedOffset()).isZero();
    assertThat(e.getMessage()).contains("truncated inside member data: 1000 bytes missing at offset 4512")
        .contains("entry 'dir/big.bin'");
  }

  @Test
  void inputEndingInsidePaxDataIsTruncated() {
    byte[] full = new TarBuilder().pax(TarBuilder.paxRecord("path", "x".repeat(600))).file("a", HELLO).bytes();
    byte[] tar = Arrays.copyOf(full, 512 + 300);

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e.getMessage()).contains("truncated inside extension header data (300 of");
    assertThat(e.entryName()).isEqualTo("PaxHeaders/x");
  }

  /** Go: a zero block then a non-zero block is ErrHeader, not an end of archive. */
  @Test
  void zeroBlockFollowedByAHeaderIsAnError() {
    byte[] tar = new TarBuilder().file("a", HELLO).raw(new byte[512]).file("b", HELLO).end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e.getMessage()).contains("zero block is followed by a non-zero block");
    assertThat(e.uncompressedOffset()).isEqualTo(1536);
  }

  @Test
  void failureIsStickyAndFinishRethrowsIt() throws Exception {
    TarTocParser parser = new TarTocParser();
    byte[] bad = header("a", '0', 0).checksum(1).block();
    assertThatThrownBy(() -> parser.accept(bad, 0, bad.length)).isInstanceOf(LayerFormatException.class);

    byte[] good = new TarBuilder().end().bytes();
    assertThatThrownBy(() -> parser.accept(good, 0, good.length)).hasMessageContaining("checksum");
    assertThatThrownBy(parser::finish).hasMessageContaining("checksum");
  }

  @Test
  void archiveSizeIsUnknownBeforeFinishAndAcceptAfterFinishIsRefused() throws Exception {
    TarTocParser parser = new TarTocParser();
    assertThatThrownBy(parser::archiveSize).isInstanceOf(IllegalStateException.class);
    byte[] tar = new TarBuilder().file("a", HELLO).end().bytes();
    parser.accept(tar, 0, tar.length);
    List<TocEntry> entries = parser.finish();

    assertThat(parser.finish()).isEqualTo(entries);
    assertThatThrownBy(() -> parser.accept(tar, 0, 1)).isInstanceOf(IllegalStateException.class);
  }
}
