package io.soci4j.reader.internal.layer;

import io.soci4j.reader.SpanKey;
import io.soci4j.reader.internal.cache.ByteLru;
import io.soci4j.reader.internal.fetch.Futures;
import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.LazyZtoc;
import io.soci4j.ztoc.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Writes a whole layer through its spans, decompressing them in parallel (see {@link #run}). */
final class ParallelPull {
  /** Spans fetched per range request while pulling a whole layer, at most. */
  private static final int PULL_BATCH = 8;
  /** Range requests in flight at once at least (the window permitting): one stalled request does not stop the pull. */
  private static final int MIN_REQUESTS = 3;

  private final List<Span> spans;
  private final SpanFetcher fetcher;
  private final LazyZtoc decompressor;
  private final ByteLru<SpanKey> decompressed;
  private final LayerCounters counters;

  ParallelPull(List<Span> spans, SpanFetcher fetcher, LazyZtoc decompressor, ByteLru<SpanKey> decompressed,
      LayerCounters counters) {
    this.spans = spans;
    this.fetcher = fetcher;
    this.decompressor = decompressor;
    this.decompressed = decompressed;
    this.counters = counters;
  }

  /**
   * Writes the whole decompressed stream: spans fetched in batches on the fetch pool,
   * decompressed in parallel on the CPU pool, each from its checkpoint, written in order. At most
   * {@code window} spans are in memory at once, in batches small enough for {@value #MIN_REQUESTS}
   * requests to be in flight, so the others go on while one is slow or stalled.
   *
   * @param out where to write
   * @param cpu decompresses spans
   * @param fetchPool fetches batches of spans
   * @param window spans in flight at most
   * @throws IOException on failure
   */
  void run(OutputStream out, ExecutorService cpu, java.util.concurrent.Executor fetchPool, int window)
      throws IOException {
    int n = spans.size();
    // spans are decompressed into reused buffers: a fresh 4 MiB array per span is a "humongous"
    // allocation for G1, whose cost once doubled the CPU time of a pull
    java.util.concurrent.ConcurrentLinkedQueue<byte[]> buffers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    int bufferSize = 0;
    for (int s = 0; s + 1 < n; s++) {
      bufferSize = (int) Math.max(bufferSize, spans.get(s).uncompressedLength());
    }
    int size = bufferSize;
    int batchSpans = Math.max(1, Math.min(PULL_BATCH, window / MIN_REQUESTS));
    Deque<CompletableFuture<Chunk>> pending = new ArrayDeque<>();
    int next = 0;
    try {
      while (next < n || !pending.isEmpty()) {
        while (next < n && pending.size() < window) {
          int from = next;
          int to = Math.min(n, from + Math.min(batchSpans, Math.max(1, window - pending.size())));
          int[] ids = new int[to - from];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
          }
          CompletableFuture<SpanFetcher.Slice[]> batch = CompletableFuture.supplyAsync(() -> {
            try {
              return fetcher.get(ids, false);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }, fetchPool);
          for (int i = 0; i < ids.length; i++) {
            int k = i;
            int s = ids[i];
            pending.add(batch.thenApplyAsync(c -> {
              try {
                byte[] cached = decompressed.enabled() ? decompressed.get(fetcher.key(s)) : null;
                if (cached != null) {
                  return new Chunk(cached, cached.length, false);
                }
                if (s == n - 1) {
                  byte[] last = whole(s, c[k]);
                  return new Chunk(last, last.length, false);
                }
                byte[] buf = buffers.poll();
                if (buf == null) {
                  buf = new byte[size];
                }
                int len = (int) spans.get(s).uncompressedLength();
                decompressor.decompressSpan(s, c[k].array(), c[k].offset(), 0, buf, 0, len);
                counters.spanDecompressed();
                return new Chunk(buf, len, true);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }, cpu));
          }
          next = to;
        }
        Chunk chunk = Futures.join(pending.poll(), "a span");
        out.write(chunk.bytes(), 0, chunk.length());
        if (chunk.pooled()) {
          buffers.add(chunk.bytes());
        }
      }
    } finally {
      pending.forEach(f -> f.cancel(false));
    }
  }

  /** Decompressed bytes of one span, in a reused buffer or not. */
  private record Chunk(byte[] bytes, int length, boolean pooled) {}

  private byte[] whole(int s, SpanFetcher.Slice compressed) throws IOException {
    byte[] p = decompressor.decompressWholeSpan(s, compressed.array(), compressed.offset());
    counters.spanDecompressed();
    return p;
  }
}
