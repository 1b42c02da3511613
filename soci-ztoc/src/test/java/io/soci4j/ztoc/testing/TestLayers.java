package io.soci4j.ztoc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Seeded test layers written with commons-compress (an implementation independent of soci4j's tar
 * parser), and gzip helpers that compress them as one member or as several concatenated members.
 * The same seed always gives the same bytes: every header field (times, owners, modes) is set.
 *
 * <pre>{@code
 * Layer layer = TestLayers.mixed(1, TestLayers.Size.STANDARD);
 * byte[] gz = TestLayers.gzip(layer.tar(), 6);
 * byte[] pigz = TestLayers.gzipMembers(layer.tar(), 6, 1000, 200_000);
 * }</pre>
 */
public final class TestLayers {
  /** Tar block size. */
  public static final int BLOCK = 512;
  /** Record size GNU tar pads archives to. */
  public static final int GNU_RECORD = 10240;

  private static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

  private TestLayers() {}

  /** What a member is. */
  public enum Kind { DIR, FILE, SYMLINK, HARDLINK }

  /**
   * One member as written.
   *
   * @param name name as stored (PAX {@code path} when long or not ASCII)
   * @param kind its kind
   * @param data file data (empty for the other kinds)
   * @param linkName link target, or empty
   * @param dataOffset offset of the first data byte (just after the member's header blocks)
   */
  public record Member(String name, Kind kind, byte[] data, String linkName, long dataOffset) {}

  /**
   * A tar stream and what was written into it.
   *
   * @param tar the tar bytes (end-of-archive blocks and any record padding included)
   * @param members members in order
   * @param archiveEnd offset just after the two end-of-archive zero blocks
   */
  public record Layer(byte[] tar, List<Member> members, long archiveEnd) {
    /** @param name member name @return the last member with this name */
    public Member member(String name) {
      for (int i = members.size() - 1; i >= 0; i--) {
        if (members.get(i).name().equals(name)) {
          return members.get(i);
        }
      }
      throw new IllegalArgumentException("no member " + name);
    }
  }

  /** How big {@link #mixed} layers are. */
  public enum Size {
    /** About 0.6 MB of tar: for tests that build many times. */
    SMALL(1),
    /** About 5 MB of tar, with a zero-filled filler before a file aligned at a 1 MiB multiple. */
    STANDARD(8);

    final int scale;

    Size(int scale) {
      this.scale = scale;
    }
  }

  /** Name of the file whose data {@link #mixed} STANDARD aligns at a multiple of 1 MiB. */
  public static final String ALIGNED = "aligned/target.txt";
  /** Name of the zero-filled file just before {@link #ALIGNED}. */
  public static final String FILLER = "aligned/zeros.bin";

  /**
   * A mixed layer: directories (one {@code ./}-prefixed), empty files, small text files, large
   * files of compressible pseudo-text and of random bytes (zlib stores those in stored blocks),
   * symlinks (to TOC names and dangling), hardlinks, a PAX long name, a PAX long link name and a
   * non-ASCII name. STANDARD layers also hold {@link #FILLER} (over 1 MiB of zeros) right before
   * {@link #ALIGNED}, whose data starts at a multiple of 1 MiB. Padded to a 10 KiB record as GNU
   * tar does.
   *
   * @param seed the seed
   * @param size how big
   * @return the layer
   */
  public static Layer mixed(long seed, Size size) {
    Random r = new Random(seed);
    TarWriter w = new TarWriter();
    List<String> words = words(r);
    List<String> files = new ArrayList<>();
    w.dir("./");
    w.dir("./etc/");
    w.file("./etc/os-release", text(r, words, 300));
    files.add("./etc/os-release");
    String[] dirs = {"usr/", "usr/lib/", "usr/share/doc/", "var/empty/"};
    for (String d : dirs) {
      w.dir(d);
    }
    int small = 12 + 3 * size.scale;
    for (int i = 0; i < small; i++) {
      String name = dirs[r.nextInt(dirs.length)] + "small-" + i + ".txt";
      w.file(name, text(r, words, r.nextInt(9000)));
      files.add(name);
      if (i % 4 == 0) {
        String empty = dirs[r.nextInt(dirs.length)] + "empty-" + i;
        w.file(empty, new byte[0]);
        files.add(empty);
      }
    }
    String longName = "usr/share/doc/" + "a-very-long-directory-name-that-needs-pax/".repeat(3) + "README.md";
    w.file(longName, text(r, words, 2000));
    files.add(longName);
    w.file("usr/share/doc/donn\u00e9es-caf\u00e9.txt", text(r, words, 700));
    files.add("usr/share/doc/donn\u00e9es-caf\u00e9.txt");
    for (int i = 0; i < 2 + size.scale / 4; i++) {
      int len = size == Size.SMALL ? 60_000 + r.nextInt(60_000) : 150_000 + r.nextInt(250_000);
      w.file("usr/lib/random-" + i + ".bin", random(r, len));
      files.add("usr/lib/random-" + i + ".bin");
    }
    for (int i = 0; i < 2 + size.scale / 4; i++) {
      int len = size == Size.SMALL ? 100_000 + r.nextInt(100_000) : 200_000 + r.nextInt(500_000);
      w.file("usr/share/doc/text-" + i + ".txt", text(r, words, len));
      files.add("usr/share/doc/text-" + i + ".txt");
    }
    if (size == Size.STANDARD) {
      w.file("usr/share/doc/big.txt", text(r, words, 1_300_000 + r.nextInt(200_000)));
      files.add("usr/share/doc/big.txt");
      w.dir("aligned/");
      w.alignNextData(1 << 20, 1_100_000, FILLER);
      w.file(ALIGNED, text(r, words, 300_000));
      files.add(ALIGNED);
    }
    w.hardlink("usr/hard-to-os-release", "./etc/os-release");
    w.hardlink("usr/hard-to-long-name", longName);
    for (int i = 0; i < 3; i++) {
      String target = files.get(r.nextInt(files.size()));
      w.hardlink("var/hard-" + i, target);
    }
    w.symlink("usr/link-to-os-release", "./etc/os-release");
    w.symlink("usr/link-relative", "../etc/os-release");
    w.symlink("usr/link-dangling", "nowhere/at/all");
    for (int i = 0; i < 4; i++) {
      w.file("var/tail-" + i + ".txt", text(r, words, r.nextInt(5000)));
    }
    return w.finish(GNU_RECORD);
  }

  /**
   * Pseudo-text: words from a seeded vocabulary, spaces and line breaks; zlib compresses it about
   * 3:1.
   *
   * @param r the random source
   * @param words vocabulary
   * @param len bytes wanted
   * @return exactly {@code len} bytes
   */
  public static byte[] text(Random r, List<String> words, int len) {
    StringBuilder sb = new StringBuilder(len + 16);
    while (sb.length() < len) {
      sb.append(words.get((int) Math.abs(r.nextGaussian() * words.size() / 4) % words.size()));
      sb.append(r.nextInt(12) == 0 ? '\n' : ' ');
    }
    return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), len);
  }

  /** @param r random source @return a seeded vocabulary of 300 lower-case words */
  public static List<String> words(Random r) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      char[] w = new char[2 + r.nextInt(9)];
      for (int j = 0; j < w.length; j++) {
        w[j] = (char) ('a' + r.nextInt(26));
      }
      words.add(new String(w));
    }
    return Collections.unmodifiableList(words);
  }

  /** @param r random source @param len length @return random bytes, incompressible */
  public static byte[] random(Random r, int len) {
    byte[] b = new byte[len];
    r.nextBytes(b);
    return b;
  }

  /**
   * Compresses as one gzip member (10-byte header, no name, mtime 0).
   *
   * @param data the bytes
   * @param level Deflater level (1..9)
   * @return the gzip stream
   */
  public static byte[] gzip(byte[] data, int level) {
    return gzipMembers(data, level);
  }

  /**
   * Compresses as concatenated gzip members, each a complete gzip stream (header, deflate data,
   * CRC32, ISIZE), split at the given uncompressed offsets, as pigz-like writers do.
   *
   * @param data the bytes
   * @param level Deflater level (1..9)
   * @param splits strictly increasing offsets in {@code (0, data.length)} where a new member starts
   * @return the gzip stream
   */
  public static byte[] gzipMembers(byte[] data, int level, long... splits) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
    long from = 0;
    for (int i = 0; i <= splits.length; i++) {
      long to = i < splits.length ? splits[i] : data.length;
      if (to <= from || to > data.length || (i < splits.length && to == data.length)) {
        throw new IllegalArgumentException("split offsets must increase inside (0, " + data.length + "): "
            + Arrays.toString(splits));
      }
      out.writeBytes(member(data, (int) from, (int) (to - from), level));
      from = to;
    }
    return out.toByteArray();
  }

  /**
   * Where each member of {@link #gzipMembers} starts in the compressed stream.
   *
   * @param data the bytes
   * @param level Deflater level
   * @param splits the split offsets given to {@link #gzipMembers}
   * @return compressed offset of each member's header, first member (0) included
   */
  public static long[] memberStarts(byte[] data, int level, long... splits) {
    long[] starts = new long[splits.length + 1];
    long from = 0;
    for (int i = 0; i < splits.length; i++) {
      starts[i + 1] = starts[i] + member(data, (int) from, (int) (splits[i] - from), level).length;
      from = splits[i];
    }
    return starts;
  }

  /**
   * One gzip member of {@code data[off, off + len)}.
   *
   * @param data bytes
   * @param off first byte
   * @param len count
   * @param level Deflater level
   * @return the member
   */
  public static byte[] member(byte[] data, int off, int len, int level) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(len / 2 + 64);
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
    Deflater d = new Deflater(level, true);
    try {
      d.setInput(data, off, len);
      d.finish();
      byte[] buf = new byte[64 * 1024];
      while (!d.finished()) {
        int n = d.deflate(buf);
        out.write(buf, 0, n);
      }
    } finally {
      d.end();
    }
    CRC32 crc = new CRC32();
    crc.update(data, off, len);
    writeLe32(out, crc.getValue());
    writeLe32(out, len);
    return out.toByteArray();
  }

  /**
   * Whether a gzip member written by {@link #member} holds a single deflate block (its first
   * block has BFINAL set): then the only block boundary inside it is its end.
   *
   * @param member the member bytes
   * @return true when the member is one deflate block
   */
  public static boolean isSingleBlock(byte[] member) {
    return (member[10] & 1) == 1;
  }

  private static void writeLe32(ByteArrayOutputStream out, long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }

  /**
   * Writes tar members with commons-compress (512-byte records, PAX for long and non-ASCII names)
   * and records where each member's data starts.
   */
  public static final class TarWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;
    private final List<Member> members = new ArrayList<>();

    /** Creates an empty archive. */
    public TarWriter() {
      tar = new TarArchiveOutputStream(bytes, BLOCK, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** @param name directory name ending in {@code /} @return this */
    public TarWriter dir(String name) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
      return put(e, Kind.DIR, new byte[0], "");
    }

    /** @param name file name @param data its bytes @return this */
    public TarWriter file(String name, byte[] data) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
      e.setSize(data.length);
      return put(e, Kind.FILE, data, "");
    }

    /** @param name link name @param target its target, as stored @return this */
    public TarWriter symlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      e.setLinkName(target);
      return put(e, Kind.SYMLINK, new byte[0], target);
    }

    /** @param name link name @param target the member it links to @return this */
    public TarWriter hardlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
      e.setLinkName(target);
      return put(e, Kind.HARDLINK, new byte[0], target);
    }

    /**
     * Adds a zero-filled file so that the data of the next member, if it has a short ASCII name
     * (one header block), starts at a multiple of {@code multiple}.
     *
     * @param multiple alignment wanted, a multiple of 512
     * @param minFiller smallest filler size
     * @param fillerName name of the filler (short, ASCII)
     * @return this
     */
    public TarWriter alignNextData(long multiple, long minFiller, String fillerName) {
      long headerAt = bytes.size();
      long earliest = headerAt + BLOCK + minFiller + BLOCK; // filler header, data, next header
      long target = (earliest + multiple - 1) / multiple * multiple;
      long fillerData = target - BLOCK - (headerAt + BLOCK);
      file(fillerName, new byte[(int) fillerData]);
      return this;
    }

    private TarWriter put(TarArchiveEntry e, Kind kind, byte[] data, String link) {
      e.setModTime(MTIME.toEpochMilli());
      e.setMode(kind == Kind.DIR ? 040755 : kind == Kind.SYMLINK ? 0120777 : 0100644);
      e.setUserId(1000);
      e.setGroupId(1000);
      e.setUserName("builder");
      e.setGroupName("staff");
      try {
        tar.putArchiveEntry(e);
        long offset = bytes.size();
        tar.write(data);
        tar.closeArchiveEntry();
        members.add(new Member(e.getName(), kind, data, link, offset));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return this;
    }

    /**
     * Ends the archive with two zero blocks and pads it with zeros to a multiple of {@code record}.
     *
     * @param record record size (512 for no padding)
     * @return the layer
     */
    public Layer finish(int record) {
      try {
        tar.finish();
        tar.close();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      byte[] b = bytes.toByteArray();
      long end = b.length;
      byte[] padded = Arrays.copyOf(b, (int) ((end + record - 1) / record * record));
      return new Layer(padded, List.copyOf(members), end);
    }
  }
}
