package io.soci4j.bench;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A deterministic zTOC shaped like the one of a large real layer (a Debian-like root file system
 * with Python and Node packages), without building a layer: the same seed gives the same zTOC.
 *
 * <pre>{@code
 * Ztoc ztoc = SyntheticZtoc.create(50_000, 12, 42);
 * }</pre>
 *
 * <p>Entries are in tar order with consistent offsets (a 512-byte header per member, an extra PAX
 * header where the member has PAX records, data padded to 512 bytes): about 8% directories, 6%
 * symbolic links, 1% hard links, the rest regular files (a tenth empty, the others from 64 bytes to
 * 1 MiB, most under 4 KiB: {@code 2^(6 + 14 r^2)} for uniform {@code r}).
 * Paths are 2 to 9 components deep; about 5% of the entries carry PAX records (sub-second times, a
 * {@code path} record for names over 100 bytes, binary {@code security.capability} and text
 * {@code user.*} extended attributes). The checkpoint blob follows SOCI format spec §3 (count,
 * span size, then per checkpoint: compressed offset, uncompressed offset, bits, a 32 KiB window of
 * random bytes), with checkpoints spread evenly over the layer; the codec does not interpret it.
 */
public final class SyntheticZtoc {
  private static final int WINDOW = 32768;
  private static final String[] TOP = {"usr/lib/python3.11/site-packages", "usr/share/doc",
      "usr/lib/node_modules", "usr/lib/x86_64-linux-gnu", "usr/share/locale", "opt/app/lib", "etc",
      "usr/include", "var/lib/dpkg/info", "usr/share/zoneinfo"};
  private static final String[] WORDS = {"core", "util", "http", "client", "server", "test", "data",
      "schema", "parser", "encoding", "crypto", "asyncio", "json", "xml", "compat", "internal",
      "vendor", "tools", "plugins", "locale", "LC_MESSAGES", "templates", "static", "build", "dist",
      "events", "streams", "buffer", "typing", "_impl"};
  private static final String[] EXT = {".py", ".pyc", ".js", ".json", ".so", ".h", ".txt", ".mo",
      ".md", ".d.ts", ".gz", ".list", ".md5sums", ""};

  private SyntheticZtoc() {}

  /**
   * @param entries number of TOC entries
   * @param spans number of spans (checkpoints)
   * @param seed random seed
   * @return the zTOC
   */
  public static Ztoc create(int entries, int spans, long seed) {
    Random rnd = new Random(seed);
    List<TocEntry> toc = new ArrayList<>(entries);
    List<String> dirs = new ArrayList<>();
    List<String> files = new ArrayList<>();
    long pos = 0;
    String dir = TOP[0];
    for (int i = 0; i < entries; i++) {
      int kind = rnd.nextInt(100);
      if (i == 0 || kind < 8) {
        dir = newDirectory(rnd, dirs);
        dirs.add(dir);
        pos = add(toc, rnd, pos, dir + "/", EntryType.DIRECTORY, 0, "", 0755);
      } else if (kind < 14 && !files.isEmpty()) {
        String target = files.get(rnd.nextInt(files.size()));
        pos = add(toc, rnd, pos, dir + "/" + fileName(rnd), EntryType.SYMLINK, 0, "/" + target, 0777);
      } else if (kind < 15 && !files.isEmpty()) {
        String target = files.get(rnd.nextInt(files.size()));
        pos = add(toc, rnd, pos, dir + "/" + fileName(rnd), EntryType.HARDLINK, 0, target, 0644);
      } else {
        String name = dir + "/" + fileName(rnd);
        double r = rnd.nextDouble();
        long size = rnd.nextInt(10) == 0 ? 0 : (long) Math.pow(2, 6 + 14 * r * r);
        files.add(name);
        pos = add(toc, rnd, pos, name, EntryType.REGULAR, size, "", rnd.nextInt(10) == 0 ? 0755 : 0644);
      }
    }
    long uncompressed = pos + 1024; // end-of-archive blocks
    long compressed = uncompressed * 45 / 100;
    List<Digest> digests = new ArrayList<>(spans);
    for (int s = 0; s < spans; s++) {
      digests.add(Digest.sha256(("span " + s + " of seed " + seed).getBytes(StandardCharsets.UTF_8)));
    }
    return new Ztoc(Ztoc.VERSION, "soci4j synthetic zTOC", compressed, uncompressed, toc, Compression.GZIP,
        digests, checkpoints(rnd, spans, compressed, uncompressed));
  }

  private static long add(List<TocEntry> toc, Random rnd, long pos, String name, EntryType type, long size,
      String link, int perm) {
    List<PaxRecord> pax = new ArrayList<>();
    String modTime = "2024-0" + (1 + rnd.nextInt(9)) + "-1" + rnd.nextInt(10) + "T0" + rnd.nextInt(10)
        + ":" + (10 + rnd.nextInt(50)) + ":" + (10 + rnd.nextInt(50)) + "Z";
    if (name.length() > 100) {
      pax.add(PaxRecord.of("path", name));
    }
    if (rnd.nextInt(20) == 0) {
      long nanos = rnd.nextInt(1_000_000_000);
      String frac = String.format("%09d", nanos).replaceAll("0+$", "");
      modTime = modTime.substring(0, modTime.length() - 1) + (frac.isEmpty() ? "" : "." + frac) + "Z";
      String secs = Long.toString(1_700_000_000L + rnd.nextInt(50_000_000));
      pax.add(PaxRecord.of("mtime", secs + "." + String.format("%09d", nanos)));
      pax.add(PaxRecord.of("atime", secs + ".5"));
      if (rnd.nextBoolean()) {
        byte[] cap = new byte[20];
        rnd.nextBytes(cap);
        pax.add(new PaxRecord(PaxRecord.XATTR_PREFIX + "security.capability", cap));
      } else {
        pax.add(PaxRecord.of(PaxRecord.XATTR_PREFIX + "user.origin", "https://deb.debian.org/" + name));
      }
    }
    pax.sort(Comparator.comparing(PaxRecord::key));
    long header = 512;
    if (!pax.isEmpty()) {
      int paxBytes = 0;
      for (PaxRecord r : pax) {
        paxBytes += r.key().length() + r.value().length + 8;
      }
      header += 512 + round512(paxBytes);
    }
    boolean app = name.startsWith("opt/");
    long offset = pos + header;
    toc.add(new TocEntry(name, type, offset, size, link, perm, app ? 1000 : 0, app ? 1000 : 0,
        app ? "app" : "root", app ? "app" : "root", modTime, 0, 0, pax));
    return offset + round512(size);
  }

  private static long round512(long n) {
    return (n + 511) & ~511L;
  }

  private static String newDirectory(Random rnd, List<String> existing) {
    if (!existing.isEmpty() && rnd.nextInt(3) > 0) {
      String parent = existing.get(existing.size() - 1 - rnd.nextInt(Math.min(existing.size(), 20)));
      if (parent.chars().filter(c -> c == '/').count() < 8) {
        return parent + "/" + WORDS[rnd.nextInt(WORDS.length)] + rnd.nextInt(100);
      }
    }
    return TOP[rnd.nextInt(TOP.length)] + "/" + WORDS[rnd.nextInt(WORDS.length)] + "-" + rnd.nextInt(1000);
  }

  private static String fileName(Random rnd) {
    String base = WORDS[rnd.nextInt(WORDS.length)];
    if (rnd.nextInt(4) == 0) {
      base += "_" + WORDS[rnd.nextInt(WORDS.length)];
    }
    return base + rnd.nextInt(10_000) + EXT[rnd.nextInt(EXT.length)];
  }

  /** The gzip checkpoint blob of SOCI format spec §3, little-endian. */
  private static byte[] checkpoints(Random rnd, int spans, long compressed, long uncompressed) {
    ByteBuffer bb = ByteBuffer.allocate(12 + spans * (17 + WINDOW)).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(spans).putLong(Math.max(1, uncompressed / spans));
    byte[] window = new byte[WINDOW];
    for (int s = 0; s < spans; s++) {
      long out = s == 0 ? 0 : uncompressed / spans * s + rnd.nextInt(65536);
      long in = s == 0 ? 10 : out * 45 / 100;
      int bits = s == 0 ? 0 : rnd.nextInt(8);
      rnd.nextBytes(window);
      bb.putLong(in).putLong(out).put((byte) bits).put(window);
    }
    return bb.array();
  }
}
