package io.soci4j.bench;

import java.nio.file.Files;
import java.util.Locale;

/**
 * Size cost of cutting the JDK layer into zstd frames, against one frame at the same level:
 * frames of exactly 1 MiB and 4 MiB, and soci4j's seekable layout for 1 MiB and 4 MiB spans
 * (frames cut after the span size at tar member boundaries, with a seek table). gzip -6 is listed
 * for reference.
 *
 * <pre>
 * java -cp soci-bench/target/benchmarks.jar io.soci4j.bench.ZstdFramingHarness [LEVEL...]
 * </pre>
 */
public final class ZstdFramingHarness {
  private ZstdFramingHarness() {}

  /**
   * @param args zstd levels (default: 3)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int[] levels = args.length == 0 ? new int[] {3} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt)
        .toArray();
    long tar = Files.size(BenchData.jdkTar());
    System.out.printf(Locale.ROOT, "JDK layer: %,d bytes of tar; gzip -6: %,d bytes%n", tar,
        Files.size(BenchData.jdkTarGz(6)));
    System.out.printf(Locale.ROOT, "%-6s %-34s %15s %9s %12s%n", "level", "layout", "bytes", "ratio",
        "vs 1 frame");
    for (int level : levels) {
      long single = Files.size(ZstdBenchData.single(level));
      row(level, "single frame", single, tar, single);
      row(level, "fixed 1 MiB frames", Files.size(ZstdBenchData.fixedFrames(level, 1L << 20)), tar, single);
      row(level, "fixed 4 MiB frames", Files.size(ZstdBenchData.fixedFrames(level, 4L << 20)), tar, single);
      row(level, "seekable, 1 MiB spans (+seek table)", Files.size(ZstdBenchData.seekable(level, 1L << 20)), tar,
          single);
      row(level, "seekable, 4 MiB spans (+seek table)", Files.size(ZstdBenchData.seekable(level, 4L << 20)), tar,
          single);
    }
  }

  private static void row(int level, String layout, long size, long tar, long single) {
    System.out.printf(Locale.ROOT, "%-6d %-34s %,15d %8.2f%% %+11.2f%%%n", level, layout, size, 100.0 * size / tar,
        100.0 * (size - single) / single);
  }
}
