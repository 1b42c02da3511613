package io.soci4j.bench;

import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * zTOC build throughput on a real layer (the installed JDKs as tar, gzip level 1/6/9 and 8
 * members) against the least any tool must do: {@code GZIPInputStream} alone, and {@code
 * GZIPInputStream} with a commons-compress tar walk. The layer is held in memory so the disk does
 * not take part.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 8)
public class ZtocBuildBenchmark {
  /** Which layer: gz1, gz6, gz9 or multi (8 members, level 6). */
  @Param({"gz6"})
  public String layer;

  private byte[] data;
  private final byte[] buf = new byte[256 * 1024];

  /** Loads the layer. */
  @Setup
  public void load() throws IOException {
    Path p = switch (layer) {
      case "gz1" -> BenchData.jdkTarGz(1);
      case "gz6" -> BenchData.jdkTarGz(6);
      case "gz9" -> BenchData.jdkTarGz(9);
      case "multi" -> BenchData.jdkTarGzMultiMember();
      default -> throw new IllegalArgumentException(layer);
    };
    data = Files.readAllBytes(p);
  }

  /** Baseline: decompress with {@code GZIPInputStream}. */
  @Benchmark
  public long baselineGzipInputStream() throws IOException {
    long n = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 64 * 1024)) {
      for (int k; (k = in.read(buf)) > 0; ) {
        n += k;
      }
    }
    return n;
  }

  /** Baseline: decompress and walk the tar entries with commons-compress. */
  @Benchmark
  public long baselineGzipTarWalk() throws IOException {
    long n = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new ByteArrayInputStream(data), 64 * 1024))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        n += e.getSize();
      }
    }
    return n;
  }

  /** soci4j: build the whole zTOC in one pass. */
  @Benchmark
  public Ztoc buildZtoc() throws IOException {
    return ZtocBuilder.create().build(new ByteArrayInputStream(data));
  }
}
