package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.TocEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded archives written by commons-compress: every entry found, every offset right. */
class TarTocParserGeneratedArchiveTest {

  /** What the generator wrote for one member. */
  private record Written(String name, EntryType type, byte[] data, long mode, long uid, long mtimeSeconds) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 1234567})
  void entriesAndDataOffsetsMatchWhatWasWritten(long seed) throws IOException {
    Random random = new Random(seed);
    List<Written> written = new ArrayList<>();
    byte[] tar = generate(random, written, random.nextBoolean()
        ? TarArchiveOutputStream.LONGFILE_POSIX : TarArchiveOutputStream.LONGFILE_GNU);

    ParseResult result = ParseResult.of(tar);
    List<TocEntry> entries = result.ok();

    assertThat(result.endOfArchiveSeen()).isTrue();
    assertThat(entries).hasSameSizeAs(written);
    for (int i = 0; i < entries.size(); i++) {
      TocEntry e = entries.get(i);
      Written w = written.get(i);
      assertThat(e.name()).isEqualTo(w.name());
      assertThat(e.type()).isEqualTo(w.type());
      assertThat(e.mode()).isEqualTo(w.mode());
      assertThat(e.uid()).isEqualTo(w.uid());
      assertThat(e.modTime()).isEqualTo(java.time.Instant.ofEpochSecond(w.mtimeSeconds()).toString());
      assertThat(e.uncompressedSize()).isEqualTo(w.data().length);
      byte[] at = Arrays.copyOfRange(tar, (int) e.uncompressedOffset(), (int) e.uncompressedEnd());
      assertThat(at).as("data of " + e.name() + " at its offset").isEqualTo(w.data());
    }
  }

  /** The data path must count, not copy or allocate: the gzip decoder calls accept in its hot loop. */
  @Test
  void skippingMemberDataAllocatesNothingPerChunk() throws Exception {
    byte[] header = TarBuilder.header("big", '0', 0).base256(124, 12, 1L << 36).block(); // 64 GiB
    byte[] chunk = new byte[64 * 1024];
    TarTocParser parser = new TarTocParser();
    parser.accept(header, 0, header.length);
    for (int i = 0; i < 2000; i++) {
      parser.accept(chunk, 0, chunk.length); // warm up
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      parser.accept(chunk, 0, chunk.length);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(allocated).as("bytes allocated while skipping 6.5 GB of data").isLessThan(64 * 1024);
  }

  private static byte[] generate(Random random, List<Written> written, int longFileMode) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(longFileMode);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      int n = 20 + random.nextInt(30);
      for (int i = 0; i < n; i++) {
        int kind = random.nextInt(6);
        String base = "d" + random.nextInt(5) + "/" + (random.nextInt(4) == 0 ? "long-".repeat(30) : "") + "f" + i;
        long mode = 0600 | random.nextInt(0200);
        long uid = random.nextInt(4) == 0 ? 3_000_000L : random.nextInt(70000);
        long mtime = 1_600_000_000L + random.nextInt(100_000_000);
        TarArchiveEntry e;
        byte[] data = new byte[0];
        EntryType type;
        if (kind == 0) {
          e = new TarArchiveEntry(base + "/", TarConstants.LF_DIR);
          type = EntryType.DIRECTORY;
          base = base + "/";
        } else if (kind == 1) {
          e = new TarArchiveEntry(base, TarConstants.LF_SYMLINK);
          e.setLinkName("target-" + "x".repeat(random.nextInt(150)));
          type = EntryType.SYMLINK;
        } else {
          e = new TarArchiveEntry(base);
          data = new byte[random.nextInt(4) == 0 ? random.nextInt(200_000) : random.nextInt(1100)];
          random.nextBytes(data);
          e.setSize(data.length);
          type = EntryType.REGULAR;
        }
        e.setMode((int) mode);
        e.setUserId(uid);
        e.setModTime(mtime * 1000);
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
        written.add(new Written(base, type, data, mode, uid, mtime));
      }
    }
    return bytes.toByteArray();
  }
}
