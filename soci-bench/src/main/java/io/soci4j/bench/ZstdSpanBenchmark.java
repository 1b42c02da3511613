package io.soci4j.bench;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Span decompression of the same tar (the JDK layer of {@link BenchData#jdkTar()}) as gzip -6 and
 * as seekable zstd (soci4j's recompressor, level 3, frames cut for the same span size), compared
 * as output throughput (the {@code bytes} counter, bytes/s; ratios against {@code
 * baselineGzipAllSpans}). Each {@code *AllSpans} benchmark decompresses every span on its own from
 * its checkpoint, without digest checks; {@code *Verified} adds the SHA-256 of each span's
 * compressed bytes. {@code zstdSequentialLayer} decodes the whole zstd layer with one zstd-jni
 * stream, for reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class ZstdSpanBenchmark {
  /** Span size of both zTOCs (and of the zstd frames). */
  @Param({"4194304"})
  public long spanSize;

  /** Output bytes, reported by JMH as a rate next to ops/s. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Output {
    /** Uncompressed bytes produced. */
    public long bytes;

    /** Resets the counter for each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  private byte[] zstd;
  private LayerReader gzipReader;
  private LayerReader zstdReader;
  private LayerReader gzipVerifying;
  private LayerReader zstdVerifying;
  private List<Span> gzipSpans;
  private List<Span> zstdSpans;
  private byte[] out;
  private final byte[] buf = new byte[1 << 20];

  /** Loads both layers and builds their zTOCs. */
  @Setup
  public void setUp() throws IOException {
    byte[] gzip = Files.readAllBytes(BenchData.jdkTarGz(6));
    zstd = Files.readAllBytes(ZstdBenchData.seekable(3, spanSize));
    Ztoc gz = ZtocBuilder.create().withSpanSize(spanSize).build(new ByteArrayInputStream(gzip));
    Ztoc zs = ZtocBuilder.create().withSpanSize(spanSize).build(new ByteArrayInputStream(zstd));
    gzipVerifying = LayerReader.of(gz, ByteSource.of(gzip));
    zstdVerifying = LayerReader.of(zs, ByteSource.of(zstd));
    gzipReader = gzipVerifying.withVerification(false);
    zstdReader = zstdVerifying.withVerification(false);
    gzipSpans = gz.spans();
    zstdSpans = zs.spans();
    long max = Math.max(gzipSpans.stream().mapToLong(Span::uncompressedLength).max().orElseThrow(),
        zstdSpans.stream().mapToLong(Span::uncompressedLength).max().orElseThrow());
    out = new byte[(int) max];
  }

  /**
   * Baseline: every gzip span from its checkpoint.
   *
   * @param o output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void baselineGzipAllSpans(Output o) throws IOException {
    for (Span s : gzipSpans) {
      o.bytes += gzipReader.decompressSpan(s.id(), out, 0);
    }
  }

  /**
   * Every zstd span (one frame each) on its own.
   *
   * @param o output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void zstdAllSpans(Output o) throws IOException {
    for (Span s : zstdSpans) {
      o.bytes += zstdReader.decompressSpan(s.id(), out, 0);
    }
  }

  /**
   * Every gzip span, its digest checked first.
   *
   * @param o output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void gzipAllSpansVerified(Output o) throws IOException {
    for (Span s : gzipSpans) {
      o.bytes += gzipVerifying.decompressSpan(s.id(), out, 0);
    }
  }

  /**
   * Every zstd span, its digest checked first.
   *
   * @param o output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void zstdAllSpansVerified(Output o) throws IOException {
    for (Span s : zstdSpans) {
      o.bytes += zstdVerifying.decompressSpan(s.id(), out, 0);
    }
  }

  /**
   * The whole zstd layer through one zstd-jni stream.
   *
   * @param o output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void zstdSequentialLayer(Output o) throws IOException {
    try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(zstd))) {
      for (int k; (k = in.read(buf)) > 0; ) {
        o.bytes += k;
      }
    }
  }
}
