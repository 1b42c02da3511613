package io.soci4j.ztoc.internal.tar;

import static io.soci4j.ztoc.internal.tar.TarBuilder.concat;
import static io.soci4j.ztoc.internal.tar.TarBuilder.header;
import static io.soci4j.ztoc.internal.tar.TarBuilder.paxRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PAX extended headers and GNU long names / links. */
class TarTocParserExtensionTest {
  private static final byte[] DATA = "some data".getBytes(StandardCharsets.US_ASCII);

  @Test
  void paxRecordsOverrideHeaderFieldsAndAllAreKeptSortedByKeyBytes() {
    byte[] binary = {0, 1, (byte) 0xFF, '\n', '='};
    byte[] tar = new TarBuilder()
        .pax(paxRecord("path", "long/" + "n".repeat(200)),
            paxRecord("linkpath", "target"),
            paxRecord("uid", "4000000000"),
            paxRecord("gid", "+12"),
            paxRecord("uname", "\u00e9mile"),
            paxRecord("gname", "staff"),
            paxRecord("mtime", "1704164645.123456789123"),
            paxRecord("atime", "1.5"),
            paxRecord("SCHILY.xattr.user.bin", binary),
            paxRecord("SCHILY.xattr.user.a", "first"),
            paxRecord("SCHILY.xattr.user.a", "second"))
        .add(header("short", '2', 0).owner("root", "wheel"))
        .end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.name()).isEqualTo("long/" + "n".repeat(200));
    assertThat(e.linkName()).isEqualTo("target");
    assertThat(e.uid()).isEqualTo(4_000_000_000L);
    assertThat(e.gid()).isEqualTo(12);
    assertThat(e.uname()).isEqualTo("\u00e9mile");
    assertThat(e.gname()).isEqualTo("staff");
    assertThat(e.modTime()).isEqualTo("2024-01-02T03:04:05.123456789Z");
    assertThat(e.paxRecords()).extracting(PaxRecord::key).containsExactly("SCHILY.xattr.user.a",
        "SCHILY.xattr.user.bin", "atime", "gid", "gname", "linkpath", "mtime", "path", "uid", "uname");
    assertThat(e.paxRecords().get(0).valueAsString()).isEqualTo("second");
    assertThat(e.paxRecords().get(1).value()).isEqualTo(binary);
    assertThat(e.uncompressedOffset()).as("just after the member header").isEqualTo(tar.length - 1024);
  }

  /** Go's mergePAX skips empty values; the records themselves still go to the TOC. */
  @Test
  void emptyPaxValueKeepsTheHeaderValueButIsRecorded() {
    byte[] tar = new TarBuilder().pax(paxRecord("path", ""), paxRecord("uname", ""))
        .add(header("name", '0', 0).owner("root", "root")).end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.name()).isEqualTo("name");
    assertThat(e.uname()).isEqualTo("root");
    assertThat(e.paxRecords()).containsExactly(PaxRecord.of("path", ""), PaxRecord.of("uname", ""));
  }

  @Test
  void paxSizeDecidesHowMuchDataIsSkipped() {
    byte[] data = new byte[1500];
    byte[] tar = new TarBuilder().pax(paxRecord("size", "1500"))
        .add(header("big", '0', 0)).data(data).file("next", DATA).end().bytes();

    List<TocEntry> entries = ParseResult.of(tar).ok();

    assertThat(entries.get(0).uncompressedSize()).isEqualTo(1500);
    assertThat(entries.get(1).uncompressedOffset()).isEqualTo(1024 + 512 + 1536 + 512);
  }

  @Test
  void paxHeadersApplyOnlyToTheNextMember() {
    byte[] tar = new TarBuilder().pax(paxRecord("path", "renamed")).file("a", DATA).file("b", DATA).end().bytes();

    List<TocEntry> entries = ParseResult.of(tar).ok();

    assertThat(entries).extracting(TocEntry::name).containsExactly("renamed", "b");
    assertThat(entries.get(1).paxRecords()).isEmpty();
  }

  /** Go keeps only the last local PAX header before a member. */
  @Test
  void secondPaxHeaderReplacesTheFirst() {
    byte[] tar = new TarBuilder().pax(paxRecord("path", "one"), paxRecord("uname", "u"))
        .pax(paxRecord("gname", "g")).file("a", DATA).end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.name()).isEqualTo("a");
    assertThat(e.paxRecords()).containsExactly(PaxRecord.of("gname", "g"));
  }

  @Test
  void negativePaxTimesAndFractionsFollowGo() {
    byte[] tar = new TarBuilder()
        .pax(paxRecord("mtime", "-1.25")).file("a", DATA)
        .pax(paxRecord("mtime", "-0.5")).file("b", DATA)
        .pax(paxRecord("mtime", "1.")).file("c", DATA)
        .pax(paxRecord("mtime", "253402300800")).file("d", DATA)
        .end().bytes();

    assertThat(ParseResult.of(tar).ok()).extracting(TocEntry::modTime)
        .containsExactly("1969-12-31T23:59:58.75Z", "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:01Z", "");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"uid=12a", "gid=99999999999999999999", "size=-5", "mtime=.5", "atime=1.2x", "ctime=--1"})
  void malformedPaxNumbersAreLayerFormatErrors(String record) {
    String[] kv = record.split("=", 2);
    byte[] tar = new TarBuilder().pax(paxRecord(kv[0], kv[1])).file("victim", DATA).end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isNotInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).satisfiesAnyOf(
        m -> assertThat(m).contains("invalid PAX record '" + kv[0] + "'"),
        m -> assertThat(m).contains("negative size"));
    assertThat(e.entryName()).isEqualTo("victim");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "99 path=x\n", // length beyond the data
      "4 a=\n", // length below 5
      "x6 a=b\n", // length not decimal
      "7 path=x", // no space... and short
      "7 a=bcd\n", // newline not where the length says
      "6 abc\n", // no '='
      "5 =b\n", // empty key
      "noSpaceAtAll",
      "3 \n"})
  void paxRecordWithBadFramingIsALayerFormatError(String records) {
    byte[] d = records.getBytes(StandardCharsets.US_ASCII);
    byte[] tar = new TarBuilder().add(header("PaxHeaders/x", 'x', d.length)).data(d).file("a", DATA).end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isNotInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).contains("invalid PAX record at byte 0");
    assertThat(e.uncompressedOffset()).isZero();
  }

  @Test
  void nulInPathValueIsALayerFormatErrorButBinaryXattrValuesAreFine() {
    byte[] nul = {'a', 0, 'b'};
    byte[] bad = new TarBuilder().pax(paxRecord("path", nul)).file("a", DATA).end().bytes();
    byte[] good = new TarBuilder().pax(paxRecord("SCHILY.xattr.user.x", nul)).file("a", DATA).end().bytes();

    assertThat(ParseResult.of(bad).error().getMessage()).contains("NUL byte in record 'path'");
    assertThat(ParseResult.of(good).only().paxRecords().get(0).value()).isEqualTo(nul);
  }

  @Test
  void recordLengthMayCarryAPlusSignAsGoParseIntAllows() {
    byte[] d = "+11 path=y\n".getBytes(StandardCharsets.US_ASCII);
    byte[] tar = new TarBuilder().add(header("PaxHeaders/x", 'x', d.length)).data(d).file("a", DATA).end().bytes();

    assertThat(ParseResult.of(tar).only().name()).isEqualTo("y");
  }

  @Test
  void oversizedExtensionHeaderIsRefusedBeforeItsDataIsBuffered() {
    long size = TarTocParser.MAX_EXTENSION_SIZE + 1L;
    byte[] tar = new TarBuilder().file("a", DATA).add(header("PaxHeaders/huge", 'x', size)).bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e.getMessage()).contains("holds 1048577 bytes, more than the 1048576 allowed");
    assertThat(e.entryName()).isEqualTo("PaxHeaders/huge");
    assertThat(e.uncompressedOffset()).isEqualTo(1024);
  }

  @Test
  void extensionHeaderOfExactlyTheLimitIsAccepted() {
    byte[] records = paxRecord("path", "p".repeat(TarTocParser.MAX_EXTENSION_SIZE - 14));
    assertThat(records).hasSize(TarTocParser.MAX_EXTENSION_SIZE);
    byte[] tar = new TarBuilder().add(header("PaxHeaders/x", 'x', records.length)).data(records)
        .file("a", DATA).end().bytes();

    assertThat(ParseResult.once(tar, 65536).only().name()).hasSize(TarTocParser.MAX_EXTENSION_SIZE - 14);
  }

  @Test
  void gnuLongNameAndLinkReplaceTheHeaderFieldsUpToTheirNul() {
    String longName = "very/" + "long/".repeat(40) + "name";
    String longLink = "link/" + "t".repeat(150);
    byte[] tar = new TarBuilder().gnuLong('L', longName).gnuLong('K', longLink)
        .add(header("././@LongLink", '1', 0).linkName("short")).end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.name()).isEqualTo(longName);
    assertThat(e.linkName()).isEqualTo(longLink);
    assertThat(e.type()).isEqualTo(EntryType.HARDLINK);
    assertThat(e.uncompressedOffset()).as("just after the member header").isEqualTo(tar.length - 1024);
  }

  /** Go applies PAX records first and GNU long names after them. */
  @Test
  void gnuLongNameWinsOverPaxPath() {
    byte[] tar = new TarBuilder().gnuLong('L', "from-gnu").pax(paxRecord("path", "from-pax"))
        .file("header", DATA).end().bytes();

    TocEntry e = ParseResult.of(tar).only();

    assertThat(e.name()).isEqualTo("from-gnu");
    assertThat(e.paxRecords()).containsExactly(PaxRecord.of("path", "from-pax"));
  }

  @Test
  void emptyGnuLongNameKeepsTheHeaderName() {
    byte[] tar = new TarBuilder().add(header("././@LongLink", 'L', 3)).data(new byte[] {0, 'x', 0})
        .file("kept", DATA).end().bytes();

    assertThat(ParseResult.of(tar).only().name()).isEqualTo("kept");
  }

  @Test
  void longNameEndingInSlashMakesALegacyMemberADirectory() {
    byte[] tar = new TarBuilder().gnuLong('L', "some/dir/").add(header("some/dir", '\0', 0)).end().bytes();

    assertThat(ParseResult.of(tar).only().type()).isEqualTo(EntryType.DIRECTORY);
  }

  @Test
  void sparseMemberInPaxFormIsUnsupported() {
    byte[] tar = new TarBuilder()
        .pax(paxRecord("GNU.sparse.major", "1"), paxRecord("GNU.sparse.minor", "0"),
            paxRecord("GNU.sparse.name", "sparse.img"), paxRecord("GNU.sparse.realsize", "1048576"))
        .add(header("GNUSparseFile.0/sparse.img", '0', 512)).data(concat("1\n0\n512\n".getBytes(), new byte[500]))
        .end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).contains("sparse file in PAX form").contains("GNUSparseFile.0/sparse.img");
    assertThat(e.uncompressedOffset()).isEqualTo(1024);
  }

  @Test
  void sparse00RecordsAreUnsupportedWhenOrderedAndMalformedOtherwise() {
    byte[] ordered = new TarBuilder()
        .pax(paxRecord("GNU.sparse.size", "100"), paxRecord("GNU.sparse.numblocks", "1"),
            paxRecord("GNU.sparse.offset", "0"), paxRecord("GNU.sparse.numbytes", "10"))
        .file("s", new byte[10]).end().bytes();
    byte[] misordered = new TarBuilder()
        .pax(paxRecord("GNU.sparse.numbytes", "10"), paxRecord("GNU.sparse.offset", "0"))
        .file("s", new byte[10]).end().bytes();

    assertThat(ParseResult.of(ordered).error()).isInstanceOf(UnsupportedLayerException.class);
    LayerFormatException e = ParseResult.of(misordered).error();
    assertThat(e).isNotInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).contains("out of order");
  }

  @Test
  void paxGlobalHeaderIsUnsupportedNamedByItsPathRecord() {
    byte[] d = paxRecord("path", "global-name");
    byte[] tar = new TarBuilder().file("a", DATA).add(header("pax_global_header", 'g', d.length)).data(d)
        .file("b", DATA).end().bytes();

    LayerFormatException e = ParseResult.of(tar).error();

    assertThat(e).isInstanceOf(UnsupportedLayerException.class);
    assertThat(e.getMessage()).contains("unsupported input tar entry 'g'").contains("entry 'global-name'");
    assertThat(e.uncompressedOffset()).isEqualTo(1024);
  }

  /** Go parses a global header's records before returning it, so bad records are corruption. */
  @Test
  void paxGlobalHeaderWithBadRecordsIsALayerFormatError() {
    byte[] d = "999 path=x\n".getBytes(StandardCharsets.US_ASCII);
    byte[] tar = new TarBuilder().add(header("pax_global_header", 'g', d.length)).data(d).end().bytes();

    assertThat(ParseResult.of(tar).error()).isNotInstanceOf(UnsupportedLayerException.class);
  }

  /** A dangling extension header before the end blocks is dropped, as Go's Next returns io.EOF. */
  @Test
  void extensionHeaderBeforeTheEndIsIgnored() {
    byte[] tar = new TarBuilder().file("a", DATA).pax(paxRecord("path", "lost")).end().bytes();

    ParseResult r = ParseResult.of(tar);

    assertThat(r.ok()).extracting(TocEntry::name).containsExactly("a");
    assertThat(r.archiveSize()).isEqualTo(tar.length);
  }
}
