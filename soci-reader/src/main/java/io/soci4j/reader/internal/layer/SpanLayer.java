package io.soci4j.reader.internal.layer;

import io.soci4j.api.Descriptor;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.reader.SpanKey;
import io.soci4j.reader.internal.cache.ByteLru;
import io.soci4j.reader.internal.fetch.Futures;
import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.LazyZtoc;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.TocEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A layer read through its zTOC: a range of the tar stream is served from the spans it covers,
 * each taken from the decompressed-span cache, or decompressed from its compressed bytes (span
 * cache or store, via the {@link SpanFetcher}) with {@link LazyZtoc#decompressWholeSpan}. The
 * zTOC's checkpoints may be read as spans need them ({@link LazyZtoc}); reading the whole layer
 * reads them all first.
 */
public final class SpanLayer implements LayerData {

  private final Descriptor descriptor;
  private final LazyZtoc ztoc;
  private final io.soci4j.api.Digest ztocDigest;
  private final SpanFetcher fetcher;
  private final ByteLru<SpanKey> decompressed;
  private final LayerCounters counters;
  private final List<? extends AutoCloseable> sources;
  private final java.util.concurrent.Executor fetchPool;
  private final java.util.concurrent.ConcurrentHashMap<Integer, CompletableFuture<byte[]>> decompressing =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final int pullThreads;

  /**
   * @param descriptor the layer
   * @param ztocDescriptor its zTOC's descriptor, for errors
   * @param ztoc its zTOC
   * @param fetcher fetches its spans (and verifies them)
   * @param decompressed image-wide cache of decompressed spans
   * @param counters its statistics
   * @param sources the range sources to close with the layer (its blob's, its zTOC's)
   * @param fetchPool fetches batches of spans while pulling the whole layer
   * @param pullThreads threads decompressing spans while pulling the whole layer
   */
  public SpanLayer(Descriptor descriptor, Descriptor ztocDescriptor, LazyZtoc ztoc, SpanFetcher fetcher,
      ByteLru<SpanKey> decompressed, LayerCounters counters, List<? extends AutoCloseable> sources,
      java.util.concurrent.Executor fetchPool, int pullThreads) {
    this.descriptor = descriptor;
    this.ztocDigest = ztocDescriptor.digest();
    this.ztoc = ztoc;
    this.fetcher = fetcher;
    this.decompressed = decompressed;
    this.counters = counters;
    this.sources = List.copyOf(sources);
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
  public LazyZtoc ztoc() {
    return ztoc;
  }

  /**
   * @param id a span
   * @return the span, its checkpoint read if it was not
   * @throws IOException when the checkpoint cannot be read
   */
  public Span span(int id) throws IOException {
    try {
      return ztoc.span(id);
    } catch (ZtocFormatException e) {
      throw named(e);
    }
  }

  /**
   * Reads every checkpoint not read yet: before reading the whole layer.
   *
   * @return the spans
   * @throws IOException when the checkpoints cannot be read
   */
  public List<Span> spans() throws IOException {
    try {
      return ztoc.spans();
    } catch (ZtocFormatException e) {
      throw named(e);
    }
  }

  private ZtocFormatException named(ZtocFormatException e) {
    return ZtocErrors.naming(e, ztocDigest, descriptor.digest());
  }

  /** {@return the span fetcher} */
  public SpanFetcher fetcher() {
    return fetcher;
  }

  @Override
  public void read(long offset, byte[] dst, int off, int len) throws IOException {
    try {
      readSpans(offset, dst, off, len);
    } catch (ZtocFormatException e) {
      throw named(e); // a checkpoint record read for this read was malformed
    }
  }

  private void readSpans(long offset, byte[] dst, int off, int len) throws IOException {
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
      Span span = ztoc.span(s);
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
        ztoc.decompressSpan(s, compressed[k].array(), compressed[k].offset(), skip, dst, at, n);
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
    byte[] p = ztoc.decompressWholeSpan(s, compressed.array(), compressed.offset());
    counters.spanDecompressed();
    return p;
  }

  /**
   * @param offset an offset in the tar stream
   * @return the span holding it
   * @throws IOException when the checkpoints it takes to know cannot be read
   */
  public int spanOf(long offset) throws IOException {
    try {
      return ztoc.spanOf(offset);
    } catch (ZtocFormatException e) {
      throw named(e);
    }
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    ExecutorService cpu = java.util.concurrent.Executors.newFixedThreadPool(pullThreads, r -> {
      Thread t = new Thread(r, "soci-pull-" + descriptor.digest().hex().substring(0, 12));
      t.setDaemon(true);
      return t;
    });
    try {
      new ParallelPull(spans(), fetcher, ztoc, decompressed, counters)
          .run(out, cpu, fetchPool, Math.max(4, 3 * pullThreads));
    } finally {
      cpu.shutdownNow();
    }
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (AutoCloseable c : sources) {
      try {
        c.close();
      } catch (Exception e) {
        IOException io = e instanceof IOException x ? x : new IOException(e);
        if (failure == null) {
          failure = io;
        } else {
          failure.addSuppressed(io);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
