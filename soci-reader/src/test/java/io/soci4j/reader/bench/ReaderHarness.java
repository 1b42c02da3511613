package io.soci4j.reader.bench;

import io.soci4j.reader.ReaderStats;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.reader.testing.StandardImage;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Measures the reader on this machine (not a test; run by hand):
 *
 * <pre>
 * ./mvnw -q -pl soci-reader -am test-compile -DskipTests
 * java -Xmx8g -cp soci-reader/target/test-classes:soci-reader/target/classes:$(cat cp.txt) \
 *     io.soci4j.reader.bench.ReaderHarness 256
 * </pre>
 *
 * <ol>
 *   <li>parallel pull of one gzip layer of N MiB (4 MiB spans) against sequential {@link
 *       GZIPInputStream} decompression of the same blob, best of 3 each;
 *   <li>bytes fetched to read one small file of a fresh image, against the image size;
 *   <li>warm-cache random 4 KiB reads, ops/s, with and without the decompressed-span cache.
 * </ol>
 */
public final class ReaderHarness {
  private ReaderHarness() {}

  /**
   * @param args layer size in MiB (default 256)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    Random r = new Random(7);
    TarBuilder t = new TarBuilder().file("./etc/os-release", StandardImage.OS_RELEASE);
    long written = 0;
    int i = 0;
    while (written < (long) mib << 20) {
      int size = 1 << 20 + r.nextInt(3);
      byte[] data = i % 4 == 0 ? StandardImage.text(r, size) : binaryLike(r, size);
      t.file(String.format("./data/f%05d", i++), data, 0644);
      written += size;
    }
    byte[] tar = t.tar();
    TestStore store = new TestStore();
    long t0 = System.nanoTime();
    TestImage image = new TestImage.Builder().gzipLayer(tar).push(store, "big",
        SociIndexBuilder.create().withMinLayerSize(0));
    System.out.printf("layer: %,d bytes tar, %,d bytes gzip, %d files; image pushed and indexed in %.1f s%n",
        tar.length, image.blobs().get(0).length, i, (System.nanoTime() - t0) / 1e9);

    byte[] gz = image.blobs().get(0);
    double seq = Double.MAX_VALUE;
    double par = Double.MAX_VALUE;
    double seqCpu = Double.MAX_VALUE;
    double parCpu = Double.MAX_VALUE;
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    SociImageOptions pull = SociImageOptions.builder().prefetch(false).spanCacheBytes(0).decompressedCacheBytes(0)
        .build();
    for (int round = 0; round < 3; round++) {
      long c = os.getProcessCpuTime();
      long s = System.nanoTime();
      long n = 0;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 1 << 16)) {
        byte[] buf = new byte[1 << 16];
        for (int k; (k = in.read(buf)) > 0; ) {
          n += k;
        }
      }
      seq = Math.min(seq, (System.nanoTime() - s) / 1e9);
      seqCpu = Math.min(seqCpu, (os.getProcessCpuTime() - c) / 1e9);
      if (n != tar.length) {
        throw new IllegalStateException("gunzip gave " + n + " bytes");
      }
      try (SociImage img = SociImage.open(store, "big", pull)) {
        CountingOut out = new CountingOut();
        c = os.getProcessCpuTime();
        s = System.nanoTime();
        img.pullLayer(0, out);
        par = Math.min(par, (System.nanoTime() - s) / 1e9);
        parCpu = Math.min(parCpu, (os.getProcessCpuTime() - c) / 1e9);
        if (out.n != tar.length) {
          throw new IllegalStateException("pull gave " + out.n + " bytes");
        }
      }
    }
    System.out.printf("pull %d MiB layer: sequential GZIPInputStream %.2f s (%.0f MB/s), parallel pull %.2f s "
        + "(%.0f MB/s) on %d cores: %.2fx%n", mib, seq, tar.length / seq / 1e6, par, tar.length / par / 1e6,
        Runtime.getRuntime().availableProcessors(), seq / par);
    System.out.printf("  CPU time: sequential %.2f s, parallel pull %.2f s (overhead %.0f%%; on idle cores the "
        + "pull could reach %.2fx)%n", seqCpu, parCpu, 100 * (parCpu / seqCpu - 1),
        Math.min(Runtime.getRuntime().availableProcessors(), seqCpu * Runtime.getRuntime().availableProcessors()
        / parCpu));

    try (SociImage img = SociImage.open(store, "big", SociImageOptions.builder().prefetch(false).build())) {
      img.readAllBytes("/etc/os-release");
      ReaderStats st = img.stats();
      long imageBytes = image.blobs().get(0).length;
      System.out.printf("small file of a fresh image: %,d bytes fetched (%,d of them metadata: index, zTOC) in %d "
          + "requests = %.3f%% of the %,d-byte image%n", st.bytesFetched(), st.metadataBytes(), st.requests(),
          100.0 * st.bytesFetched() / imageBytes, imageBytes);
    }

    for (long decompressedCache : List.of(512L << 20, 0L)) {
      try (SociImage img = SociImage.open(store, "big", SociImageOptions.builder().prefetch(false)
          .spanCacheBytes(1L << 30).decompressedCacheBytes(decompressedCache).build())) {
        img.pullLayer(0, OutputStream.nullOutputStream());
        for (int k = 0; k < i; k++) {
          img.read(String.format("/data/f%05d", k), 0, 1);
        }
        Random q = new Random(1);
        int ops = decompressedCache > 0 ? 200_000 : 2_000;
        long s = System.nanoTime();
        for (int k = 0; k < ops; k++) {
          String p = String.format("/data/f%05d", q.nextInt(i));
          img.read(p, q.nextInt(1 << 20), 4096);
        }
        double secs = (System.nanoTime() - s) / 1e9;
        System.out.printf("warm random 4 KiB reads, decompressed cache %d MiB: %,.0f ops/s (%d reads, %d "
            + "requests after warm-up)%n", decompressedCache >> 20, ops / secs, ops, img.stats().requests());
      }
    }
  }

  /**
   * Bytes that compress and decompress like executables: literals from a skewed distribution
   * with short copies from the recent past (gzip ratio about 0.5, inflate speed of real layers,
   * unlike random data, which gzip stores, or repetitive text, which inflates very fast).
   */
  static byte[] binaryLike(Random r, int n) {
    byte[] b = new byte[n];
    int i = 0;
    while (i < n) {
      if (i > 64 && r.nextInt(3) == 0) {
        int len = Math.min(n - i, 3 + r.nextInt(30));
        int dist = 1 + r.nextInt(Math.min(i, 8192));
        for (int k = 0; k < len; k++, i++) {
          b[i] = b[i - dist];
        }
      } else {
        b[i++] = (byte) Math.min(255, (int) Math.abs(r.nextGaussian() * 48));
      }
    }
    return b;
  }

  private static final class CountingOut extends OutputStream {
    long n;

    @Override
    public void write(int b) {
      n++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      n += len;
    }
  }
}
