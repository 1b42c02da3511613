package io.soci4j.bench;

import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reader ({@code SociImage}) on the {@link ReaderBenchImage} (the installed JDKs as one
 * 280 MB gzip layer plus a small layer, SOCI-indexed, in a memory store), in two groups, each
 * with its own line in {@link BenchMain}'s table:
 *
 * <ul>
 *   <li>{@link Reads}: random file reads with cold caches (a new image per read: open, zTOC fetch
 *       and parse, span fetch, verification, decompression) and warm caches (one image whose span
 *       caches hold every span), and warm random 4 KiB reads; no baseline;
 *   <li>{@link Pull}: parallel materialisation of the big layer ({@code pullLayer} to a null
 *       stream: every span fetched, SHA-256 verified and decompressed from its checkpoint on all
 *       cores, written in order) against {@code baselineSequentialGzip}, one {@link
 *       GZIPInputStream} over the same blob; both report output bytes/s (the {@code bytes}
 *       counter), so the ratio is the speed-up.
 * </ul>
 *
 * <pre>
 * java -jar soci-bench/target/benchmarks.jar --jmh ReaderBenchmark -wi 1 -i 3 -f 1
 * </pre>
 */
public final class ReaderBenchmark {
  private ReaderBenchmark() {}

  /** Files of at most this size are the candidates of random file reads. */
  static final long MAX_FILE = 1 << 20;
  /** Bytes of one random small read. */
  static final int SMALL_READ = 4096;

  /** Random file and 4 KiB reads through the reader. */
  @State(Scope.Benchmark)
  @Fork(value = 1, jvmArgs = {"-Xmx4g"})
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public static class Reads {
    private ReaderBenchImage image;
    private SociImage warm;
    private List<String> files;
    private List<String> bigFiles;
    private long[] bigSizes;

    /** A seeded choice of files and offsets, per thread. */
    @State(Scope.Thread)
    public static class Picker {
      private final Random random = new Random(42);

      String file(List<String> files) {
        return files.get(random.nextInt(files.size()));
      }

      int index(int count) {
        return random.nextInt(count);
      }

      long offset(long size) {
        return size <= SMALL_READ ? 0 : (long) (random.nextDouble() * (size - SMALL_READ));
      }
    }

    /**
     * Builds the image, lists the candidate files and opens the warm image, its caches filled by
     * reading every candidate once.
     *
     * @throws IOException on failure
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      image = ReaderBenchImage.build();
      warm = SociImage.open(image.store(), ReaderBenchImage.TAG, SociImageOptions.builder()
          .spanCacheBytes(512L << 20).decompressedCacheBytes(1L << 30).build());
      files = ReaderBenchImage.files(warm, 1, MAX_FILE);
      bigFiles = ReaderBenchImage.files(warm, SMALL_READ, MAX_FILE);
      bigSizes = new long[bigFiles.size()];
      for (int i = 0; i < bigSizes.length; i++) {
        bigSizes[i] = warm.stat(bigFiles.get(i)).size();
      }
      for (String f : files) {
        warm.readAllBytes(f);
      }
    }

    /**
     * Closes the warm image.
     *
     * @throws IOException on failure
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      warm.close();
    }

    /**
     * One random file (1 byte to 1 MiB) read by a new image with empty caches: open (manifest,
     * SOCI index, zTOCs parsed, small layer fetched whole), then the file's spans fetched,
     * verified and decompressed.
     *
     * @param picker the file chooser
     * @return the bytes read
     * @throws IOException on failure
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public byte[] coldFileRead(Picker picker) throws IOException {
      try (SociImage cold = SociImage.open(image.store(), ReaderBenchImage.TAG)) {
        return cold.readAllBytes(picker.file(files));
      }
    }

    /**
     * One random file (1 byte to 1 MiB) read by the warm image.
     *
     * @param picker the file chooser
     * @return the bytes read
     * @throws IOException on failure
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] warmFileRead(Picker picker) throws IOException {
      return warm.readAllBytes(picker.file(files));
    }

    /**
     * 4 KiB at a random offset of a random file (4 KiB to 1 MiB) read by the warm image.
     *
     * @param picker the file and offset chooser
     * @return the bytes read
     * @throws IOException on failure
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] warmRandom4KiB(Picker picker) throws IOException {
      int i = picker.index(bigFiles.size());
      return warm.read(bigFiles.get(i), picker.offset(bigSizes[i]), SMALL_READ);
    }
  }

  /** Parallel full-layer materialisation against sequential gunzip. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Fork(value = 1, jvmArgs = {"-Xmx3g"})
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public static class Pull {
    private ReaderBenchImage image;
    private SociImage reader;
    private long expected;

    /**
     * Output bytes and process CPU time, reported by JMH as rates next to ops/s: {@code bytes}/s
     * is the speed; {@code bytes} over {@code cpuNanos} is output per CPU-second (all threads, GC
     * included), the figure that does not depend on what else the machine is running.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Output {
      private static final com.sun.management.OperatingSystemMXBean OS =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

      /** Uncompressed bytes produced. */
      public long bytes;
      /** Process CPU nanoseconds spent. */
      public long cpuNanos;
      private long cpuAtStart;

      /** Resets the counters for each iteration. */
      @Setup(Level.Iteration)
      public void reset() {
        bytes = 0;
        cpuNanos = 0;
      }

      /** Notes the CPU time before an operation. */
      @Setup(Level.Invocation)
      public void before() {
        cpuAtStart = OS.getProcessCpuTime();
      }

      /** Adds the CPU time of an operation. */
      @TearDown(Level.Invocation)
      public void after() {
        cpuNanos += OS.getProcessCpuTime() - cpuAtStart;
      }
    }

    /**
     * Builds the image and opens it with every cache off (each pull fetches every span).
     *
     * @throws IOException on failure
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      image = ReaderBenchImage.build();
      reader = SociImage.open(image.store(), ReaderBenchImage.TAG, SociImageOptions.builder().prefetch(false)
          .spanCacheBytes(0).decompressedCacheBytes(0).build());
      expected = gunzip(image.bigLayer());
    }

    /**
     * Closes the image.
     *
     * @throws IOException on failure
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      reader.close();
    }

    /**
     * Baseline: the big layer decompressed by one {@link GZIPInputStream} (64 KiB buffers).
     *
     * @param out output counter
     * @throws IOException never for a valid layer
     */
    @Benchmark
    public void baselineSequentialGzip(Output out) throws IOException {
      out.bytes += gunzip(image.bigLayer());
    }

    /**
     * The big layer materialised by {@code SociImage.pullLayer} to a null stream.
     *
     * @param out output counter
     * @throws IOException on failure, or when the pull is short
     */
    @Benchmark
    public void pullLayer(Output out) throws IOException {
      Counting sink = new Counting();
      reader.pullLayer(ReaderBenchImage.BIG_LAYER, sink);
      if (sink.count != expected) {
        throw new IOException("pull wrote " + sink.count + " bytes, gunzip " + expected);
      }
      out.bytes += sink.count;
    }

    private static long gunzip(byte[] gz) throws IOException {
      long n = 0;
      byte[] buf = new byte[1 << 16];
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 1 << 16)) {
        for (int k; (k = in.read(buf)) > 0; ) {
          n += k;
        }
      }
      return n;
    }
  }

  /** Counts and drops what is written. */
  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
