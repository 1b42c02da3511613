package io.soci4j.bench;

import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Peak heap while building a zTOC from a file stream, minus what the finished zTOC retains.
 * Sums the peak usage of every heap pool (an upper bound of the true peak, since pools peak at
 * different times). Run it with a small heap, e.g. {@code -Xmx96m}, to show the bound holds:
 *
 * <pre>
 * java -Xmx96m -cp soci-bench/target/benchmarks.jar io.soci4j.bench.HeapHarness [LAYER]
 * </pre>
 */
public final class HeapHarness {
  private HeapHarness() {}

  /**
   * @param args optional layer path; default: the JDK layer at gzip -6
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Path layer = args.length > 0 ? Path.of(args[0]) : BenchData.jdkTarGz(6);
    System.gc();
    long before = HeapPools.used();
    HeapPools.resetPeaks();
    Ztoc ztoc;
    long start = System.nanoTime();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(layer), 1 << 16)) {
      ztoc = ZtocBuilder.create().build(in);
    }
    long nanos = System.nanoTime() - start;
    long peak = HeapPools.peakSum();
    System.gc();
    long retained = HeapPools.used() - before;
    System.out.printf(Locale.ROOT,
        "layer %s: %d bytes compressed, %d uncompressed, %d entries, %d spans, built in %.2f s%n"
            + "heap before %.1f MiB; peak during build %.1f MiB (sum of pool peaks); retained by the zTOC %.1f MiB;"
            + " peak beyond the zTOC and the starting heap %.1f MiB; max heap %.0f MiB%n",
        layer, ztoc.compressedArchiveSize(), ztoc.uncompressedArchiveSize(), ztoc.toc().size(),
        ztoc.spanDigests().size(), nanos / 1e9, HeapPools.mib(before), HeapPools.mib(peak), HeapPools.mib(retained),
        HeapPools.mib(peak - before - retained), HeapPools.mib(Runtime.getRuntime().maxMemory()));
  }

}
