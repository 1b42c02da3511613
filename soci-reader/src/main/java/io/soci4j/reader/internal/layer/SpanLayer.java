package io.soci4j.reader.internal.layer;

import io.soci4j.api.Descriptor;
import io.soci4j.reader.SpanKey;
import io.soci4j.reader.internal.cache.ByteLru;
import io.soci4j.reader.internal.fetch.Futures;
import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A layer read through its zTOC: a range of the tar stream is served from the spans it covers,
 * each taken from the decompressed-span cache, or decompressed from its compressed bytes (span
 * cache or store, via the {@link SpanFetcher}) with {@link LayerReader#decompressWholeSpan}.
 */
public final class SpanLayer implements LayerData {

  private final Descriptor descriptor;
  private final Ztoc ztoc;
  private final List<Span> spans;
  private final LayerReader decompressor;
  private final SpanFetcher fetcher;
  private final ByteLru<SpanKey> decompressed;
  private final LayerCounters counters;
  private final AutoCloseable source;
  private final java.util.concurrent.Executor fetchPool;
  private final java.util.concurrent.ConcurrentHashMap<Integer, CompletableFuture<byte[]>> decompressing =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final int pullThreads;

  /**
   * @param descriptor the layer
   * @param ztoc its zTOC
   * @param decompressor a reader over the zTOC with verification off (the fetcher verifies)
   * @param fetcher fetches its spans
   * @param decompressed image-wide cache of decompressed spans
   * @param counters its statistics
   * @param source the range source to close with the layer
   * @param fetchPool fetches batches of spans while pulling the whole layer
   * @param pullThreads threads decompressing spans while pulling the whole layer
   */
  public SpanLayer(Descriptor descriptor, Ztoc ztoc, LayerReader decompressor, SpanFetcher fetcher,
      ByteLru<SpanKey> decompressed, LayerCounters counters, AutoCloseable source,
      java.util.concurrent.Executor fetchPool, int pullThreads) {
    this.descriptor = descriptor;
    this.ztoc = ztoc;
    this.spans = ztoc.spans();
    this.decompressor = decompressor;
    this.fetcher = fetcher;
    this.decompressed = decompressed;
    this.counters = counters;
    this.source = source;
    this.fetchPool = fetchPool;
    this.pullThreads = pullThreads;
  }

  @Override
  public Descriptor descriptor() {
    return descriptor;
  }

  @Override
  public List<TocEntry> entries() {
    return ztoc.toc();
  }

  @Override
  public boolean indexed() {
    return true;
  }

  @Override
  public LayerCounters counters() {
    return counters;
  }

  /** {@return the zTOC} */
  public Ztoc ztoc() {
    return ztoc;
  }

  /** {@return the span fetcher} */
  public SpanFetcher fetcher() {
    return fetcher;
  }

  @Override
  public void read(long offset, byte[] dst, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, dst.length);
    if (offset < 0 || offset + len > ztoc.uncompressedArchiveSize()) {
      throw new io.soci4j.api.SociException("bytes [" + offset + ", " + (offset + len) + ") are outside the "
          + ztoc.uncompressedArchiveSize() + "-byte tar stream of layer " + descriptor.digest()
          + ": its zTOC is inconsistent");
    }
    if (len == 0) {
      return;
    }
    int first = spanOf(offset);
    int last = spanOf(offset + len - 1);
    byte[][] plain = new byte[last - first + 1][];
    int missing = 0;
    for (int s = first; s <= last; s++) {
      plain[s - first] = decompressed.enabled() ? decompressed.get(fetcher.key(s)) : null;
      if (plain[s - first] != null) {
        counters.hit();
      } else {
        missing++;
      }
    }
    int[] ids = new int[missing];
    for (int s = first, k = 0; s <= last; s++) {
      if (plain[s - first] == null) {
        ids[k++] = s;
      }
    }
    SpanFetcher.Slice[] compressed = fetcher.get(ids, true);
    long pos = offset;
    long end = offset + len;
    for (int s = first, k = 0; s <= last; s++) {
      Span span = spans.get(s);
      long skip = pos - span.uncompressedStart();
      int n = (int) (Math.min(end, span.uncompressedEnd()) - pos);
      int at = off + (int) (pos - offset);
      byte[] p = plain[s - first];
      if (p == null && decompressed.enabled()) {
        p = decompressOnce(s, compressed[k]);
      }
      if (p != null) {
        System.arraycopy(p, (int) skip, dst, at, n);
      } else {
        decompressor.decompressSpan(s, compressed[k].array(), compressed[k].offset(), skip, dst, at, n);
        counters.spanDecompressed();
      }
      if (plain[s - first] == null) {
        k++;
      }
      pos += n;
    }
  }

  /**
   * Decompresses a span into the decompressed-span cache; concurrent readers of one span wait for
   * the first one instead of decompressing it again.
   */
  private byte[] decompressOnce(int s, SpanFetcher.Slice compressed) throws IOException {
    CompletableFuture<byte[]> mine = new CompletableFuture<>();
    CompletableFuture<byte[]> other = decompressing.putIfAbsent(s, mine);
    if (other != null) {
      return Futures.join(other, "a span");
    }
    try {
      byte[] cached = decompressed.get(fetcher.key(s));
      byte[] p = cached != null ? cached : decompressWhole(s, compressed);
      if (cached == null) {
        decompressed.put(fetcher.key(s), p);
      }
      mine.complete(p);
      return p;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      decompressing.remove(s, mine);
    }
  }

  private byte[] decompressWhole(int s, SpanFetcher.Slice compressed) throws IOException {
    byte[] p = decompressor.decompressWholeSpan(s, compressed.array(), compressed.offset());
    counters.spanDecompressed();
    return p;
  }

  /**
   * @param offset an offset in the tar stream
   * @return the span holding it
   */
  public int spanOf(long offset) {
    int lo = 0;
    int hi = spans.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (spans.get(mid).uncompressedStart() <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    ExecutorService cpu = java.util.concurrent.Executors.newFixedThreadPool(pullThreads, r -> {
      Thread t = new Thread(r, "soci-pull-" + descriptor.digest().hex().substring(0, 12));
      t.setDaemon(true);
      return t;
    });
    try {
      new ParallelPull(spans, fetcher, decompressor, decompressed, counters)
          .run(out, cpu, fetchPool, Math.max(4, 3 * pullThreads));
    } finally {
      cpu.shutdownNow();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      source.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
