package io.soci4j.ztoc.internal.tar;

import static io.soci4j.ztoc.internal.tar.TarBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.internal.tar.TarBuilder.Format;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Header blocks: checksums, formats, numeric encodings, types, names. */
class TarTocParserHeaderTest {
  private static final byte[] DATA = new byte[700];

  @Test
  void badChecksumIsALayerFormatErrorWithTheHeaderOffset() {
    TarBuilder.Header h = header("second", '0', 0);
    byte[] tar = new TarBuilder().file("first", DATA).add(h.checksum(h.unsignedSum() + 1)).end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isNotInstanceOf(UnsupportedLayerException.class);
    assertThat(e.uncompressedOffset()).isEqualTo(1536);
    assertThat(e.getMessage()).contains("checksum").contains("matches neither the unsigned sum");
  }

  @Test
  void nonOctalChecksumFieldIsALayerFormatError() {
    TarBuilder.Header h = header("a", '0', 0);
    byte[] block = h.block();
    block[150] = 'z';

    assertThat(ParseResult.of(new TarBuilder().raw(block).end().bytes()).error().getMessage())
        .contains("checksum field is not octal");
  }

  /** Sun tar summed signed bytes; Go accepts either sum. */
  @Test
  void signedChecksumIsAccepted() {
    TarBuilder.Header h = header("caf\u00e9", '0', 0).owner("\u00fcser", "");
    assertThat(h.signedSum()).isNotEqualTo(h.unsignedSum());
    byte[] tar = new TarBuilder().add(h.checksum(h.signedSum())).end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.name()).isEqualTo("caf\u00e9");
    assertThat(e.uname()).isEqualTo("\u00fcser");
  }

  @Test
  void headerFieldsAreReadAsGoReadsThem() {
    byte[] tar = new TarBuilder()
        .add(header("dev/sda", '4', 0).owner("root", "disk").devices(8, 1).octal(100, 8, 0660)
            .octal(108, 8, 7).octal(116, 8, 6).mtime(1_704_164_645L))
        .end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.type()).isEqualTo(EntryType.BLOCK);
    assertThat(e.mode()).isEqualTo(0660);
    assertThat(e.uid()).isEqualTo(7);
    assertThat(e.gid()).isEqualTo(6);
    assertThat(e.uname()).isEqualTo("root");
    assertThat(e.gname()).isEqualTo("disk");
    assertThat(e.devMajor()).isEqualTo(8);
    assertThat(e.devMinor()).isEqualTo(1);
    assertThat(e.modTime()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(e.uncompressedOffset()).isEqualTo(512);
  }

  @Test
  void octalFieldsMayBePaddedWithSpacesAndNuls() {
    TarBuilder.Header h = header("a", '0', 0).text(124, 12, "  1750 \0").text(100, 8, "\0\0 644 ");
    byte[] tar = new TarBuilder().add(h).data(new byte[01750]).end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.uncompressedSize()).isEqualTo(01750);
    assertThat(e.mode()).isEqualTo(0644);
  }

  @Test
  void base256NumericFieldsAreDecoded() {
    long size = 3000;
    TarBuilder.Header h = header("big", '0', 0).base256(124, 12, size).base256(108, 8, 5_000_000_000L)
        .base256(116, 8, -2).base256(136, 12, -86_400L).base256(100, 8, 0755);
    byte[] tar = new TarBuilder().add(h).data(new byte[(int) size]).file("next", DATA).end().bytes();

    List<TocEntry> entries = ParseResult.of(tar).ok();

    TocEntry e = entries.get(0);
    assertThat(e.uncompressedSize()).isEqualTo(size);
    assertThat(e.uid()).as("upstream stores uint32(uid)").isEqualTo(5_000_000_000L & 0xFFFF_FFFFL);
    assertThat(e.gid()).isEqualTo(0xFFFF_FFFEL);
    assertThat(e.modTime()).isEqualTo("1969-12-31T00:00:00Z");
    assertThat(e.mode()).isEqualTo(0755);
    assertThat(entries.get(1).uncompressedOffset()).isEqualTo(512 + 3072 + 512);
  }

  @Test
  void base256OverflowIsALayerFormatErrorNamingTheField() {
    TarBuilder.Header h = header("huge", '0', 0);
    byte[] field = new byte[12];
    java.util.Arrays.fill(field, (byte) 0x7F);
    field[0] = (byte) 0x80;
    h.bytes(124, 12, field);

    LayerFormatException e = ParseResult.of(new TarBuilder().add(h).end().bytes()).error();

    assertThat(e.getMessage()).contains("field 'size'").contains("overflows");
    assertThat(e.entryName()).isEqualTo("huge");
  }

  @Test
  void nonOctalNumericFieldIsALayerFormatError() {
    TarBuilder.Header h = header("a", '0', 0).text(108, 8, "12x");

    assertThat(ParseResult.of(new TarBuilder().add(h).end().bytes()).error().getMessage())
        .contains("field 'uid'").contains("invalid octal digit");
  }

  @Test
  void negativeSizeIsALayerFormatError() {
    TarBuilder.Header h = header("neg", '0', 0).base256(124, 12, -1);

    assertThat(ParseResult.of(new TarBuilder().add(h).end().bytes()).error().getMessage())
        .contains("negative size -1");
  }

  @Test
  void ustarPrefixIsJoinedToTheName() {
    String prefix = "a/".repeat(70) + "deep";
    byte[] tar = new TarBuilder().add(header("file.txt", '0', 0).prefix(prefix)).end().bytes();

    assertThat(ParseResult.of(tar).only().name()).isEqualTo(prefix + "/file.txt");
  }

  @Test
  void starHeaderUsesItsShorterPrefix() {
    TarBuilder.Header h = header(Format.STAR, "file", '0', 0).text(345, 131, "star/prefix").octal(476, 12, 5);
    byte[] tar = new TarBuilder().add(h).end().bytes();

    assertThat(ParseResult.of(tar).only().name()).isEqualTo("star/prefix/file");
  }

  @Test
  void gnuHeaderHasNoPrefixButReadsPreGo18PrefixWhenTimesDoNotParse() {
    TarBuilder.Header valid = header(Format.GNU, "file", '0', 0).octal(345, 12, 1234).octal(357, 12, 5678);
    TarBuilder.Header buggy = header(Format.GNU, "file", '0', 0).text(345, 155, "old/go/prefix");
    TarBuilder.Header binary = header(Format.GNU, "file", '0', 0).text(345, 155, "caf\u00e9");

    assertThat(ParseResult.of(new TarBuilder().add(valid).end().bytes()).only().name()).isEqualTo("file");
    assertThat(ParseResult.of(new TarBuilder().add(buggy).end().bytes()).only().name())
        .isEqualTo("old/go/prefix/file");
    assertThat(ParseResult.of(new TarBuilder().add(binary).end().bytes()).only().name()).isEqualTo("file");
  }

  @Test
  void v7HeaderHasNoOwnerNamesDevicesOrPrefix() {
    TarBuilder.Header h = header(Format.V7, "old", '0', 0).owner("root", "root").devices(1, 2).prefix("p");

    TocEntry e = ParseResult.of(new TarBuilder().add(h).end().bytes()).only();

    assertThat(e.name()).isEqualTo("old");
    assertThat(e.uname()).isEmpty();
    assertThat(e.devMajor()).isZero();
  }

  @Test
  void legacyTypeFlagNulIsRegularOrDirectoryByTrailingSlash() {
    byte[] tar = new TarBuilder()
        .add(header("file", '\0', DATA.length)).data(DATA)
        .add(header("dir/", '\0', 0))
        .end().bytes();

    List<TocEntry> entries = ParseResult.of(tar).ok();

    assertThat(entries).extracting(TocEntry::type).containsExactly(EntryType.REGULAR, EntryType.DIRECTORY);
  }

  /**
   * Go reads no data for links, directories, devices and fifos even when the size field is set,
   * and upstream records the size field as it is.
   */
  @ParameterizedTest(name = "type {0}")
  @ValueSource(chars = {'1', '2', '3', '4', '5', '6'})
  void headerOnlyTypesSkipNoDataButKeepTheirSizeField(char type) {
    byte[] tar = new TarBuilder()
        .add(header("node", type, 100).linkName("target"))
        .file("after", DATA)
        .end().bytes();

    List<TocEntry> entries = ParseResult.of(tar).ok();

    assertThat(entries.get(0).uncompressedSize()).isEqualTo(100);
    assertThat(entries.get(1).name()).isEqualTo("after");
    assertThat(entries.get(1).uncompressedOffset()).isEqualTo(1024);
  }

  /** A legacy '\0' member named like a directory becomes one, so its size is not skipped either. */
  @Test
  void legacyDirectoryWithSizeSkipsNoData() {
    byte[] tar = new TarBuilder().add(header("d/", '\0', 10)).file("after", DATA).end().bytes();

    List<TocEntry> entries = ParseResult.of(tar).ok();

    assertThat(entries.get(0).type()).isEqualTo(EntryType.DIRECTORY);
    assertThat(entries.get(1).uncompressedOffset()).isEqualTo(1024);
  }

  @Test
  void namesAreNotCleaned() {
    byte[] tar = new TarBuilder().add(header("./a//b/../c/", '5', 0)).end().bytes();

    assertThat(ParseResult.of(tar).only().name()).isEqualTo("./a//b/../c/");
  }

  @Test
  void nonUtf8NameBytesSurviveAsEscapes() {
    byte[] raw = {'n', (byte) 0xE9, 'e', (byte) 0xFF};
    TarBuilder.Header h = header("x", '0', 0).bytes(0, 100, raw);

    TocEntry e = ParseResult.of(new TarBuilder().add(h).end().bytes()).only();

    assertThat(e.name()).isEqualTo("n\uDCE9e\uDCFF");
    assertThat(TarText.encode(e.name())).isEqualTo(raw);
  }

  @ParameterizedTest(name = "type {0}")
  @ValueSource(chars = {'7', 'S', 'D', 'M', 'V', 'N', 'A', 'Z'})
  void typesUpstreamRefusesAreUnsupportedNamingEntryAndFlag(char type) {
    byte[] tar = new TarBuilder().file("ok", DATA).add(header("odd", type, 0)).end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).contains("unsupported input tar entry '" + type + "'").contains("entry 'odd'");
    assertThat(e.uncompressedOffset()).isEqualTo(1536);
  }

  @Test
  void unprintableTypeFlagIsQuotedAsGoDoes() {
    byte[] tar = new TarBuilder().add(header("odd", '\u0001', 0)).end().bytes();

    assertThat(ParseResult.of(tar).error().getMessage()).contains("unsupported input tar entry '\\x01'");
  }
}
