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
 * Span decompression from a checkpoint against sequential {@link Inflater} on the same layer (the
 * JDK tar, gzip -6). {@code allSpans} decompresses every span on its own and {@code
 * baselineSequentialLayer} inflates the whole stream once: the same bytes in, the same bytes out.
 * The single-span benchmarks take a span starting on a byte boundary ({@code bits = 0}) and one
 * that does not, against sequential inflation of the same number of bytes from the stream start.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class SpanDecompressBenchmark {
  /** Span size of the zTOC. */
  @Param({"4194304"})
  public long spanSize;

  private byte[] layer;
  private LayerReader reader;
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
    reader = LayerReader.of(ztoc, ByteSource.of(layer));
    spans = ztoc.spans();
    for (Span s : spans.subList(1, spans.size() - 1)) {
      if (s.bits() == 0 && aligned == null) {
        aligned = s;
      }
      if (s.bits() != 0 && unaligned == null) {
        unaligned = s;
      }
    }
    if (aligned == null || unaligned == null) {
      throw new IllegalStateException("layer has no span with bits = 0 and one with bits != 0");
    }
    long max = spans.stream().mapToLong(Span::uncompressedLength).max().orElseThrow();
    out = new byte[(int) max];
    whole = new byte[1 << 20];
  }

  /** Baseline: inflate the whole layer sequentially with one {@link Inflater}. */
  @Benchmark
  public long baselineSequentialLayer() throws DataFormatException {
    return inflateFromStart(Long.MAX_VALUE);
  }

  /** Every span decompressed from its own checkpoint. */
  @Benchmark
  public long allSpans() throws IOException {
    long n = 0;
    for (Span s : spans) {
      int len = (int) s.uncompressedLength();
      reader.decompressSpan(s.id(), out, 0);
      n += len;
    }
    return n;
  }

  /** One span whose checkpoint is byte aligned. */
  @Benchmark
  public int spanBits0() throws IOException {
    return reader.decompressSpan(aligned.id(), out, 0);
  }

  /** One span whose checkpoint starts inside a byte. */
  @Benchmark
  public int spanBitsNonZero() throws IOException {
    return reader.decompressSpan(unaligned.id(), out, 0);
  }

  /** Baseline for single spans: inflate as many bytes from the stream start. */
  @Benchmark
  public long baselineSequentialSpanLength() throws DataFormatException {
    return inflateFromStart(aligned.uncompressedLength());
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
