package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.TarZinfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** zTOCs made in code, with values the golden vectors do not hold, survive a write and a read. */
class ZtocCodecRoundTripTest {
  private static final Digest SPAN = Digest.sha256(new byte[] {1});

  @Test
  void namesThatAreNotUtf8AreWrittenAsTheirRawBytes() throws Exception {
    String latin1Name = "dir/caf\udce9.txt"; // the tar header held 'caf', 0xE9, '.txt'
    TocEntry e = TocEntry.builder().name(latin1Name).uncompressedOffset(512).uncompressedSize(3)
        .linkName("\udcff").uname("\udc80root").modTime("2024-01-02T03:04:05.5Z").build();

    byte[] bytes = ZtocCodec.serialize(tar(List.of(e)));

    byte[] raw = {'d', 'i', 'r', '/', 'c', 'a', 'f', (byte) 0xE9, '.', 't', 'x', 't'};
    assertThat(indexOf(bytes, raw)).isPositive();
    assertThat(ZtocCodec.parse(bytes).toc()).containsExactly(e);
  }

  @Test
  void binaryPaxValuesAndUnsignedIdsRoundTrip() throws Exception {
    byte[] capability = {1, 0, 0, 2, 0, (byte) 0xFF, (byte) 0x80, 0};
    TocEntry e = TocEntry.builder().name("bin/ping").uncompressedOffset(1024).uncompressedSize(10)
        .mode(0104755).uid(4_294_967_295L).gid(2_147_483_648L).devMajor(259).devMinor(-1)
        .paxRecords(List.of(new PaxRecord("SCHILY.xattr.security.capability", capability),
            PaxRecord.of("SCHILY.xattr.user.empty", "")))
        .build();

    Ztoc parsed = ZtocCodec.parse(ZtocCodec.serialize(tar(List.of(e))));

    TocEntry back = parsed.toc().get(0);
    assertThat(back).isEqualTo(e);
    assertThat(back.uid()).isEqualTo(4_294_967_295L);
    assertThat(back.paxRecords().get(0).value()).isEqualTo(capability);
  }

  /** Go's sort.Strings compares bytes: U+FF61 (EF BD A1) sorts before U+1F600 (F0 ...). */
  @Test
  void paxRecordsAreWrittenSortedByKeyBytesAsUpstreamDoes() throws Exception {
    String halfwidth = "k\uff61";
    String emoji = "k\ud83d\ude00";
    String rawByte = "k\udcff";
    TocEntry e = TocEntry.builder().name("f").uncompressedOffset(512)
        .paxRecords(List.of(PaxRecord.of(rawByte, "4"), PaxRecord.of(emoji, "3"),
            PaxRecord.of(halfwidth, "2"), PaxRecord.of("b", "1"), PaxRecord.of("a", "0")))
        .build();
    assertThat(emoji.compareTo(halfwidth)).isNegative(); // UTF-16 order differs

    Ztoc parsed = ZtocCodec.parse(ZtocCodec.serialize(tar(List.of(e))));

    assertThat(parsed.toc().get(0).paxRecords()).extracting(PaxRecord::key)
        .containsExactly("a", "b", halfwidth, emoji, rawByte);
  }

  @Test
  void ztocWithoutEntriesRoundTrips() throws Exception {
    Ztoc empty = tar(List.of());
    assertThat(ZtocCodec.parse(ZtocCodec.serialize(empty))).isEqualTo(empty);
  }

  @Test
  void gzipAlgorithmIsLeftOutAsTheSchemaDefault() throws Exception {
    byte[] blob = GzipCheckpoints.encode(1 << 20, List.of(
        new GzipCheckpoints.Checkpoint(10, 0, 0, new byte[GzipCheckpoints.WINDOW_SIZE])));
    Ztoc gzip = new Ztoc(Ztoc.VERSION, "t", 100, 2048, List.of(), Compression.GZIP, List.of(SPAN), blob);
    Ztoc tar = new Ztoc(Ztoc.VERSION, "t", 100, 2048, List.of(), Compression.UNCOMPRESSED,
        List.of(SPAN), TarZinfo.encode(1 << 20, 100));

    byte[] gzipBytes = ZtocCodec.serialize(gzip);
    assertThat(ZtocCodec.parse(gzipBytes)).isEqualTo(gzip);
    // compression_info's vtable has no entry for slot 0 when it is gzip
    assertThat(compressionAlgorithmSlot(gzipBytes)).isZero();
    assertThat(compressionAlgorithmSlot(ZtocCodec.serialize(tar))).isNotZero();
  }

  @Test
  void firstCheckpointAfterTheStreamStartIsRefused() {
    byte[] window = new byte[GzipCheckpoints.WINDOW_SIZE];
    byte[] blob = GzipCheckpoints.encode(1 << 20, List.of(
        new GzipCheckpoints.Checkpoint(10, 5, 0, window)));
    Ztoc z = new Ztoc(Ztoc.VERSION, "t", 100, 2048, List.of(), Compression.GZIP, List.of(SPAN), blob);
    assertThatThrownBy(() -> ZtocCodec.parse(ZtocCodec.serialize(z)))
        .isInstanceOfSatisfying(ZtocFormatException.class,
            e -> assertThat(e.field()).isEqualTo("compression_info.checkpoints"))
        .hasMessageContaining("span 0 starts at uncompressed offset 5");
  }

  @Test
  void serializeRefusesTextWithALoneSurrogateThatStandsForNoByte() {
    TocEntry e = TocEntry.builder().name("bad\ud800").uncompressedOffset(512).build();
    assertThatThrownBy(() -> ZtocCodec.serialize(tar(List.of(e))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ztocRefusesAnEmptyLayer() {
    assertThatThrownBy(() -> new Ztoc(Ztoc.VERSION, "t", 0, 0, List.of(), Compression.UNCOMPRESSED,
        List.of(SPAN), new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  private static Ztoc tar(List<TocEntry> toc) {
    return new Ztoc(Ztoc.VERSION, "AWS SOCI CLI v0.2", 10240, 10240, toc, Compression.UNCOMPRESSED,
        List.of(SPAN), TarZinfo.encode(1 << 20, 10240));
  }

  /** The vtable entry of compression_info.compression_algorithm, read by hand. */
  private static int compressionAlgorithmSlot(byte[] b) {
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int root = bb.getInt(0);
    int rootVtable = root - bb.getInt(root);
    int infoField = root + bb.getShort(rootVtable + 4 + 2 * 5);
    int info = infoField + bb.getInt(infoField);
    int infoVtable = info - bb.getInt(info);
    return bb.getShort(infoVtable + 4);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

}
