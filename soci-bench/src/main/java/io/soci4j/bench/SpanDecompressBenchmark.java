package io.soci4j.bench;

import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
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
 * Span decompression from a checkpoint against sequential {@link Inflater} on the same layer (the
 * JDK tar, gzip -6), compared as output throughput (the {@code bytes} counter, bytes/s).
 * {@code allSpans} decompresses every span on its own and {@code baselineSequentialLayer}
 * inflates the whole stream once: the same bytes in, the same bytes out. {@code
 * allSpansVerified} adds the SHA-256 check of each span's compressed bytes. Both fetch each span's
 * compressed bytes from the in-memory layer (a copy), as a reader without a cache does.
 *
 * <p>The single-span benchmarks take a span starting on a byte boundary ({@code bits = 0}) and
 * one that does not, each the one of its kind whose compression ratio is nearest the layer's
 * (spans of already-compressed files inflate several times faster), and decompress it from
 * compressed bytes the caller holds ({@link LayerReader#decompressSpan(int, byte[], int, long,
 * byte[], int, int)} on the layer array, as a reader with a span cache does), so that with {@code
 * --gc} their {@code gc.alloc.rate.norm} is what decompressing one span allocates, without the
 * fetch. One operation takes milliseconds: they run 3-second iterations, the whole-layer ones 5 s
 * (warm-up) and 8 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 8)
public class SpanDecompressBenchmark {
  /** Span size of the zTOC. */
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

  private byte[] layer;
  private LayerReader reader;
  private LayerReader verifying;
  private List<Span> spans;
  private Span aligned;
  private Span unaligned;
  private byte[] out;
  private byte[] whole;


  /** Builds the zTOC and picks the spans. */
  @Setup
  public void setUp() throws IOException {
    layer = Files.readAllBytes(BenchData.jdkTarGz(6));
    Ztoc ztoc = ZtocBuilder.create().withSpanSize(spanSize).build(new ByteArrayInputStream(layer));
    verifying = LayerReader.of(ztoc, ByteSource.of(layer));
    reader = verifying.withVerification(false);
    spans = ztoc.spans();
    // Spans differ a lot (the JDK's jmod files barely compress; inflating them is close to a
    // copy): take the spans whose compression ratio is nearest the whole layer's, so that the
    // single-span rates are comparable with the whole-layer baseline.
    double layerRatio = (double) layer.length / ztoc.uncompressedArchiveSize();
    for (Span s : spans.subList(1, spans.size() - 1)) {
      if (s.bits() == 0 && nearer(s, aligned, layerRatio)) {
        aligned = s;
      }
      if (s.bits() != 0 && nearer(s, unaligned, layerRatio)) {
        unaligned = s;
      }
    }
    if (aligned == null || unaligned == null) {
      throw new IllegalStateException("layer has no span with bits = 0 and one with bits != 0");
    }
    System.out.printf(java.util.Locale.ROOT, "%d spans; spanBits0: %s; spanBitsNonZero: %s%n", spans.size(),
        aligned, unaligned);
    long max = spans.stream().mapToLong(Span::uncompressedLength).max().orElseThrow();
    out = new byte[(int) max];
    whole = new byte[1 << 20];
  }

  /**
   * Baseline: inflate the whole layer sequentially with one {@link Inflater}.
   *
   * @param out output counter
   * @throws DataFormatException never for a valid layer
   */
  @Benchmark
  public void baselineSequentialLayer(Output out) throws DataFormatException {
    out.bytes += inflateFromStart(Long.MAX_VALUE);
  }

  /**
   * Every span decompressed from its own checkpoint (no digest check).
   *
   * @param out output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void allSpans(Output out) throws IOException {
    for (Span s : spans) {
      out.bytes += reader.decompressSpan(s.id(), this.out, 0);
    }
  }

  /**
   * Every span decompressed from its own checkpoint out of compressed bytes the caller holds (no
   * fetch copy, no digest check): the same work as the baseline, which inflates straight from the
   * layer array. This is the row for "span decompression vs sequential Inflater".
   *
   * @param out output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void allSpansHeld(Output out) throws IOException {
    for (Span s : spans) {
      out.bytes += decompressHeld(s);
    }
  }

  /**
   * Every span decompressed from its own checkpoint, each span's digest checked first.
   *
   * @param out output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  public void allSpansVerified(Output out) throws IOException {
    for (Span s : spans) {
      out.bytes += verifying.decompressSpan(s.id(), this.out, 0);
    }
  }

  /**
   * One span whose checkpoint is byte aligned.
   *
   * @param out output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  @Warmup(time = 3)
  @Measurement(time = 3)
  public void spanBits0(Output out) throws IOException {
    out.bytes += decompressHeld(aligned);
  }

  /**
   * One span whose checkpoint starts inside a byte.
   *
   * @param out output counter
   * @throws IOException never for a valid layer
   */
  @Benchmark
  @Warmup(time = 3)
  @Measurement(time = 3)
  public void spanBitsNonZero(Output out) throws IOException {
    out.bytes += decompressHeld(unaligned);
  }

  private static boolean nearer(Span s, Span best, double ratio) {
    return best == null || Math.abs(ratio(s) - ratio) < Math.abs(ratio(best) - ratio);
  }

  private static double ratio(Span s) {
    return (double) s.compressedLength() / s.uncompressedLength();
  }

  private int decompressHeld(Span s) throws IOException {
    int len = (int) s.uncompressedLength();
    reader.decompressSpan(s.id(), layer, (int) s.compressedStart(), 0, this.out, 0, len);
    return len;
  }

  private long inflateFromStart(long limit) throws DataFormatException {
    Inflater inf = new Inflater(true);
    try {
      int headerEnd = (int) spans.get(0).compressedStart();
      inf.setInput(layer, headerEnd, layer.length - headerEnd);
      long n = 0;
      while (n < limit && !inf.finished()) {
        int k = inf.inflate(whole, 0, (int) Math.min(whole.length, limit - n));
        if (k == 0 && inf.needsInput()) {
          break;
        }
        n += k;
      }
      return n;
    } finally {
      inf.end();
    }
  }
}
