package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.flatbuffers.FlatBufferBuilder;
import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.internal.flat.FlatBuffer;
import io.soci4j.ztoc.internal.flat.FlatTable;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.TarZinfo;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Corrupt zTOCs, made by serializing modified zTOCs or by patching bytes at offsets found with the
 * flatbuffers reader, are refused with a {@link ZtocFormatException} naming the field and offset.
 */
class ZtocCodecMalformedInputTest {
  /** 5280 bytes, uncompressed, 13 entries, max_span_id 27. */
  private static final Vector TAR = ZtocSpansTest.vector("special-tar-span4k");
  /** gzip, 3 entries, 4 checkpoints. */
  private static final Vector GZIP = ZtocSpansTest.vector("member-start-checkpoint-span32k");

  @Test
  void truncatedZtocIsRefusedAtEveryLength() {
    byte[] full = TAR.ztocBytes();
    for (int len = 0; len < full.length; len++) {
      byte[] prefix = Arrays.copyOf(full, len);
      ZtocFormatException e = failure(prefix);
      assertThat(e.offset()).as("offset for a %d-byte prefix", len).isBetween(0L, (long) len);
    }
  }

  @Test
  void randomBytesAreRefused() {
    Random random = new Random(42);
    for (int round = 0; round < 3000; round++) {
      int len = round < 600 ? round : random.nextInt(70_000);
      byte[] b = new byte[len];
      random.nextBytes(b);
      if (len >= 4 && round % 2 == 0) {
        // a plausible root offset, so the reader gets as far as the vtable and fields
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 4 * random.nextInt(Math.max(1, len / 4)));
      }
      failure(b);
    }
  }

  /** Whatever bytes get damaged, the parser answers with a zTOC or a ZtocFormatException. */
  @Test
  void damagedGoldenZtocsNeverFailWithAnUncheckedException() throws Exception {
    Random random = new Random(7);
    for (Vector v : List.of(TAR, ZtocSpansTest.vector("pax-xattrs"))) {
      byte[] good = v.ztocBytes();
      int structureEnd = v == TAR ? good.length : 2048; // past it, pax-xattrs is mostly the window
      for (int round = 0; round < 3000; round++) {
        byte[] b = good.clone();
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
          int pos = random.nextBoolean() ? random.nextInt(structureEnd) : random.nextInt(b.length);
          b[pos] = random.nextInt(3) == 0 ? (byte) random.nextInt() : (byte) (b[pos] ^ (1 << random.nextInt(8)));
        }
        try {
          ZtocCodec.parse(b);
        } catch (ZtocFormatException expected) {
          assertThat(expected.field()).isNotBlank();
        }
      }
    }
  }

  @Test
  void checkpointOutsideTheLayerIsRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(GZIP.ztocBytes());
    byte[] blob = z.checkpoints();
    int at = GzipCheckpoints.HEADER_SIZE + 3 * GzipCheckpoints.ENTRY_SIZE;
    le(blob).putLong(at, z.compressedArchiveSize() + 1);
    byte[] bytes = ZtocCodec.serialize(ZtocSpansTest.copy(z, blob, z.spanDigests()));

    long blobStart = compressionInfo(bytes).vector(3, "checkpoints", 1).position();
    ZtocFormatException e = assertRefused(bytes, "compression_info.checkpoints[3].in", "outside the layer");
    assertThat(e.offset()).isEqualTo(blobStart + at);
  }

  @Test
  void checkpointBlobOfTheWrongLengthIsRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(GZIP.ztocBytes());
    byte[] longer = Arrays.copyOf(z.checkpoints(), z.checkpoints().length + 1);
    assertRefused(ZtocCodec.serialize(ZtocSpansTest.copy(z, longer, z.spanDigests())),
        "compression_info.checkpoints", "4 checkpoints need");
  }

  @Test
  void moreSpanDigestsThanCheckpointsAreRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(GZIP.ztocBytes());
    List<Digest> digests = new ArrayList<>(z.spanDigests());
    digests.add(digests.get(0));
    assertRefused(ZtocCodec.serialize(ZtocSpansTest.copy(z, z.checkpoints(), digests)),
        "compression_info.checkpoints.count", "does not match max_span_id + 1 = 5");
  }

  @Test
  void tarZinfoForAnotherLayerSizeIsRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    byte[] blob = TarZinfo.encode(4096, z.compressedArchiveSize() + 4096);
    assertRefused(ZtocCodec.serialize(ZtocSpansTest.copy(z, blob, z.spanDigests())),
        "compression_info.checkpoints.size", "is not the layer size");
  }

  @Test
  void negativeCompressedSizeIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    le(b).putLong((int) root(b).fieldPosition(2), -5);
    assertRefused(b, "compressed_archive_size", "not positive");
  }

  @Test
  void negativeUncompressedSizeIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    le(b).putLong((int) root(b).fieldPosition(3), -1);
    assertRefused(b, "uncompressed_archive_size", "negative");
  }

  @Test
  void negativeEntrySizeAndOffsetAreRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    le(b).putLong((int) entry(b, 1).fieldPosition(3), -12000);
    assertRefused(b, "toc.metadata[1].uncompressed_size", "negative");

    byte[] c = TAR.ztocBytes();
    le(c).putLong((int) entry(c, 1).fieldPosition(2), Long.MIN_VALUE);
    assertRefused(c, "toc.metadata[1].uncompressed_offset", "negative");
  }

  @Test
  void maxSpanIdThatDoesNotMatchTheSpanDigestsIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    le(b).putInt((int) compressionInfo(b).fieldPosition(1), 26);
    assertRefused(b, "compression_info.span_digests", "28 span digests, but max_span_id 26");

    byte[] c = TAR.ztocBytes();
    le(c).putInt((int) compressionInfo(c).fieldPosition(1), -1);
    assertRefused(c, "compression_info.max_span_id", "negative");
  }

  @Test
  void spanDigestThatIsNotLowercaseSha256HexIsRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    String first = z.spanDigests().get(0).toString();

    byte[] b = TAR.ztocBytes();
    b[indexOf(b, first) + 7] = 'g';
    assertRefused(b, "compression_info.span_digests[0]", "is not sha256:<64 lowercase hex>");

    byte[] upper = TAR.ztocBytes();
    int at = indexOf(upper, first) + 7;
    byte[] hex = first.substring(7).toUpperCase().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hex, 0, upper, at, hex.length);
    assertRefused(upper, "compression_info.span_digests[0]", "lowercase");

    byte[] md5 = TAR.ztocBytes();
    System.arraycopy("md5000".getBytes(StandardCharsets.US_ASCII), 0, md5, indexOf(md5, first), 6);
    assertRefused(md5, "compression_info.span_digests[0]", "'md5000:");
  }

  @Test
  void unknownCompressionAlgorithmIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    b[(int) compressionInfo(b).fieldPosition(0)] = 4;
    assertRefused(b, "compression_info.compression_algorithm", "unknown compression algorithm 4");
  }

  /** A tar zTOC relabelled zstd (the soci4j extension value 3): its blob is not zstd checkpoints. */
  @Test
  void zstdAlgorithmWithATarBlobIsRefusedByTheZstdCheckpointCodec() throws Exception {
    byte[] b = TAR.ztocBytes();
    b[(int) compressionInfo(b).fieldPosition(0)] = Compression.ZSTD.wireValue();
    ZtocFormatException e = assertRefused(b, "compression_info.checkpoints.magic", "zstd checkpoint magic");
    assertThat(e.offset()).isEqualTo(compressionInfo(b).vector(3, "checkpoints", 1).position());
  }

  @Test
  void unknownEntryTypeIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    long type = entry(b, 0).targetPosition(1, "type"); // "dir"
    b[(int) type + 6] = 'x';
    assertRefused(b, "toc.metadata[0].type", "unknown entry type 'dix'");
  }

  @Test
  void tocEntryEndingBeyondTheTarStreamIsRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    List<TocEntry> toc = new ArrayList<>(z.toc());
    TocEntry last = toc.get(12);
    toc.set(12, withData(last, last.uncompressedOffset(),
        z.uncompressedArchiveSize() - last.uncompressedOffset() + 1));
    assertRefused(ZtocCodec.serialize(withToc(z, toc)), "toc.metadata[12].uncompressed_size",
        "ends beyond the tar stream (uncompressed_archive_size 109056)");
  }

  @Test
  void overlappingTocEntriesAreRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    List<TocEntry> toc = new ArrayList<>(z.toc());
    TocEntry plain = toc.get(1); // data at 2048, 12000 bytes
    toc.set(2, withData(toc.get(2), plain.uncompressedOffset() + 512, toc.get(2).uncompressedSize()));
    assertRefused(ZtocCodec.serialize(withToc(z, toc)), "toc.metadata[2].uncompressed_offset",
        "previous entry 'dir/plain.txt'");
  }

  @Test
  void entriesOutOfTarOrderAreRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    List<TocEntry> toc = new ArrayList<>(z.toc());
    toc.add(0, toc.remove(4));
    assertRefused(ZtocCodec.serialize(withToc(z, toc)), "toc.metadata[1].uncompressed_offset",
        "tar order");
  }

  /** The overlap rule is upstream's: data may start where an entry without data sits. */
  @Test
  void entryWithoutDataMayShareItsOffsetWithTheNextEntry() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    List<TocEntry> toc = new ArrayList<>(z.toc());
    TocEntry symlink = toc.get(6); // size 0
    toc.set(7, withData(toc.get(7), symlink.uncompressedOffset(), 0));
    Ztoc parsed = ZtocCodec.parse(ZtocCodec.serialize(withToc(z, toc)));
    assertThat(parsed.toc()).isEqualTo(toc);
  }

  @Test
  void paxKeyThatAppearsTwiceIsRefused() throws Exception {
    Ztoc z = ZtocCodec.parse(TAR.ztocBytes());
    List<TocEntry> toc = new ArrayList<>(z.toc());
    TocEntry plain = toc.get(1);
    toc.set(1, builder(plain).paxRecords(List.of(PaxRecord.of("mtime", "1"), PaxRecord.of("mtime", "2")))
        .build());
    assertRefused(ZtocCodec.serialize(withToc(z, toc)), "toc.metadata[1].xattrs[1].key",
        "'mtime' appears twice");
  }

  @Test
  void stringLengthPastTheBufferEndIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    long version = root(b).targetPosition(0, "version");
    le(b).putInt((int) version, 0x7FFFFFF0);
    ZtocFormatException e = assertRefused(b, "version", "run past the end of the 5280-byte buffer");
    assertThat(e.offset()).isEqualTo(version);

    byte[] c = TAR.ztocBytes();
    le(c).putInt((int) entry(c, 5).targetPosition(0, "name"), -1); // 4294967295 as uint32
    assertRefused(c, "toc.metadata[5].name", "string of 4294967295 bytes");
  }

  @Test
  void stringWithoutTerminatorIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    long version = root(b).targetPosition(0, "version");
    b[(int) version + 4 + 3] = '!';
    assertRefused(b, "version", "not zero-terminated");
  }

  @Test
  void vtableOffsetOutOfRangeIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    long table = root(b).position();
    le(b).putInt((int) table, 0x40000000);
    assertRefused(b, "root", "outside the 5280-byte buffer");

    byte[] c = TAR.ztocBytes();
    le(c).putInt((int) entry(c, 3).position(), -0x1000);
    assertRefused(c, "toc.metadata[3]", "vtable offset -4096");
  }

  @Test
  void vtableFieldOffsetOutsideTheTableIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    FlatTable root = root(b);
    le(b).putShort((int) root.vtablePosition() + 4 + 2 * 2, (short) 0x7ff0);
    assertRefused(b, "compressed_archive_size", "does not leave room for 8 bytes");
  }

  @Test
  void offsetOutsideTheBufferIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    le(b).putInt((int) root(b).fieldPosition(4), 0x10000000);
    assertRefused(b, "toc", "outside the 5280-byte buffer");

    byte[] c = TAR.ztocBytes();
    le(c).putInt(0, c.length);
    assertRefused(c, "root", "outside");
  }

  /**
   * A metadata vector whose elements all point at the same entry would make the reader decode
   * that entry again and again (work quadratic in the buffer size); upstream never shares tables.
   */
  @Test
  void entryTableSharedByManyElementsIsRefused() throws Exception {
    FlatBufferBuilder b = new FlatBufferBuilder(1024);
    int version = b.createString("0.9");
    int name = b.createString("x".repeat(200));
    int type = b.createString("reg");
    b.startVector(4, 0, 4);
    int xattrs = b.endVector();
    b.startTable(14);
    b.addOffset(0, name, 0);
    b.addOffset(1, type, 0);
    b.addLong(2, 512, 0);
    b.addOffset(13, xattrs, 0);
    int entry = b.endTable();
    int copies = 2000;
    b.startVector(4, copies, 4);
    for (int i = 0; i < copies; i++) {
      b.addOffset(entry);
    }
    int metadata = b.endVector();
    b.startTable(1);
    b.addOffset(0, metadata, 0);
    int toc = b.endTable();
    int checkpoints = b.createByteVector(TarZinfo.encode(4096, 10240));
    int digest = b.createString(Digest.sha256(new byte[0]).toString());
    b.startVector(4, 3, 4);
    for (int i = 0; i < 3; i++) {
      b.addOffset(digest);
    }
    int digests = b.endVector();
    b.startTable(4);
    b.addInt(1, 2, 0);
    b.addOffset(2, digests, 0);
    b.addOffset(3, checkpoints, 0);
    b.addByte(0, (byte) 2, 1);
    int info = b.endTable();
    b.startTable(6);
    b.addOffset(0, version, 0);
    b.addOffset(4, toc, 0);
    b.addLong(2, 10240, 0);
    b.addLong(3, 10240, 0);
    b.addOffset(5, info, 0);
    b.finish(b.endTable());
    byte[] bytes = b.sizedByteArray();

    ZtocFormatException e = failure(bytes);
    assertThat(e.getMessage()).contains("shared or overlap");
    assertThat(e.field()).startsWith("toc.metadata[");
  }

  @Test
  void unsupportedVersionIsRefused() throws Exception {
    byte[] b = TAR.ztocBytes();
    b[(int) root(b).targetPosition(0, "version") + 4] = '1';
    assertRefused(b, "version", "unsupported zTOC version '1.9'");
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource({
      "root, 0, version",
      "root, 4, toc",
      "root, 5, compression_info",
      "compression_info, 2, compression_info.span_digests",
      "compression_info, 3, compression_info.checkpoints",
      "toc, 0, toc.metadata"})
  void missingRequiredFieldIsRefused(String table, int slot, String field) throws Exception {
    byte[] b = TAR.ztocBytes();
    FlatTable t = switch (table) {
      case "root" -> root(b);
      case "toc" -> root(b).table(4, "toc");
      default -> compressionInfo(b);
    };
    le(b).putShort((int) t.vtablePosition() + 4 + 2 * slot, (short) 0);
    assertRefused(b, field, "required field is missing");
  }

  private static ZtocFormatException assertRefused(byte[] bytes, String field, String problem) {
    ZtocFormatException e = failure(bytes);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.offset()).isBetween(0L, (long) bytes.length);
    assertThat(e.getMessage()).contains(problem);
    return e;
  }

  private static ZtocFormatException failure(byte[] bytes) {
    Throwable t = catchThrowable(() -> ZtocCodec.parse(bytes));
    assertThat(t).as("parsing %d bytes", bytes.length).isInstanceOf(ZtocFormatException.class);
    return (ZtocFormatException) t;
  }

  private static FlatTable root(byte[] b) throws ZtocFormatException {
    return new FlatBuffer(b, "").root();
  }

  private static FlatTable compressionInfo(byte[] b) throws ZtocFormatException {
    return root(b).table(5, "compression_info");
  }

  private static FlatTable entry(byte[] b, int i) throws ZtocFormatException {
    return root(b).table(4, "toc").vector(0, "metadata", 4).table(i);
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int indexOf(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(needle + " not found");
  }

  private static Ztoc withToc(Ztoc z, List<TocEntry> toc) {
    return new Ztoc(z.version(), z.buildToolIdentifier(), z.compressedArchiveSize(),
        z.uncompressedArchiveSize(), toc, z.compression(), z.spanDigests(), z.checkpoints());
  }

  private static TocEntry withData(TocEntry e, long offset, long size) {
    return builder(e).uncompressedOffset(offset).uncompressedSize(size).build();
  }

  private static TocEntry.Builder builder(TocEntry e) {
    return TocEntry.builder().name(e.name()).type(e.type()).uncompressedOffset(e.uncompressedOffset())
        .uncompressedSize(e.uncompressedSize()).linkName(e.linkName()).mode(e.mode()).uid(e.uid())
        .gid(e.gid()).uname(e.uname()).gname(e.gname()).modTime(e.modTime()).devMajor(e.devMajor())
        .devMinor(e.devMinor()).paxRecords(e.paxRecords());
  }
}
