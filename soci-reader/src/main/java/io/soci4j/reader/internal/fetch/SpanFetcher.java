package io.soci4j.reader.internal.fetch;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.reader.SpanCache;
import io.soci4j.reader.SpanKey;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.LazyZtoc;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.SpanVerificationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Gets the verified compressed bytes of spans of one layer: from the {@link SpanCache}, else from
 * the store. Concurrent requests for one span fetch it once (the first claims it, the others wait
 * for its result); the spans one call misses are fetched in runs of consecutive spans, one range
 * request per run (up to a byte bound), the runs in parallel on the fetch pool. Each span is
 * checked against its digest; a mismatch is refetched once, alone, then fails with {@link
 * SpanVerificationException}. Transient store failures are retried by the {@link RetryPolicy}.
 */
public final class SpanFetcher {
  private final LazyZtoc ztoc;
  private final SpanKey[] keys;
  private final ByteSource source;
  private final SpanCache cache;
  private final Executor pool;
  private final RetryPolicy retry;
  private final HedgedReads hedge;
  private final LayerCounters counters;
  private final long maxRequestBytes;
  private final ConcurrentHashMap<Integer, CompletableFuture<Slice>> inflight = new ConcurrentHashMap<>();
  /** Spans held in memory for a reader about to need them (a read-ahead), whatever the cache does. */
  private final ConcurrentHashMap<Integer, Slice> pinned = new ConcurrentHashMap<>();

  /**
   * @param layer the layer digest
   * @param ztoc the layer's zTOC (a span's checkpoint is read before the span is fetched)
   * @param source range reads of the layer blob
   * @param cache where verified spans are kept
   * @param pool runs the parallel range requests
   * @param retry retry policy for store calls
   * @param hedge copies late range requests
   * @param counters the layer's statistics
   * @param maxRequestBytes compressed bytes one range request asks for at most (a single larger
   *     span is still fetched in one request)
   */
  public SpanFetcher(Digest layer, LazyZtoc ztoc, ByteSource source, SpanCache cache, Executor pool,
      RetryPolicy retry, HedgedReads hedge, LayerCounters counters, long maxRequestBytes) {
    this.ztoc = ztoc;
    this.keys = new SpanKey[ztoc.spanCount()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new SpanKey(layer, i, ztoc.spanDigests().get(i));
    }
    this.source = source;
    this.cache = cache;
    this.pool = pool;
    this.retry = retry;
    this.hedge = hedge;
    this.counters = counters;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * Compressed bytes of one span: {@code array[offset, offset + length)}. Spans fetched for the
   * cache own their array; spans fetched for a pull share their request's array.
   *
   * @param array the bytes
   * @param offset where the span starts
   * @param length the span's compressed length
   */
  public record Slice(byte[] array, int offset, int length) {
    static Slice of(byte[] whole) {
      return new Slice(whole, 0, whole.length);
    }
  }

  /** {@return the number of spans} */
  public int spanCount() {
    return keys.length;
  }

  /**
   * @param spanId a span
   * @return its cache key
   */
  public SpanKey key(int spanId) {
    return keys[spanId];
  }

  /**
   * @param spanId a span
   * @return whether it is cached or being fetched
   */
  public boolean cachedOrInFlight(int spanId) {
    return inflight.containsKey(spanId) || pinned.containsKey(spanId) || cache.contains(keys[spanId]);
  }

  /**
   * Fetches the spans that are not cached, pinned or being fetched, and keeps each in memory
   * until {@link #unpin} (pinned before it stops being in flight, so no reader misses it in
   * between): {@link #get} serves them from there, whatever the cache does.
   *
   * @param ids span ids, ascending, distinct
   * @throws IOException as {@link #get}
   */
  public void pinAhead(int[] ids) throws IOException {
    get(ids, Keep.PIN);
  }

  /**
   * @param spanId a span {@linkplain #pinAhead pinned} before (or not)
   */
  public void unpin(int spanId) {
    pinned.remove(spanId);
  }

  /**
   * The compressed bytes of spans.
   *
   * @param ids span ids, ascending, distinct
   * @param keep whether spans fetched now go into the cache (false for a full pull, which would
   *     only evict useful spans)
   * @return the bytes of each span, in the order of {@code ids} (do not modify them)
   * @throws SpanVerificationException when a span's bytes do not match its digest twice
   * @throws IOException when the store fails
   */
  public Slice[] get(int[] ids, boolean keep) throws IOException {
    return get(ids, keep ? Keep.CACHE : Keep.NONE);
  }

  /** Where spans fetched now are kept. */
  private enum Keep {
    NONE,
    CACHE,
    PIN
  }

  private Slice[] get(int[] ids, Keep keep) throws IOException {
    Slice[] out = new Slice[ids.length];
    List<CompletableFuture<Slice>> waits = new ArrayList<>(java.util.Collections.nCopies(ids.length, null));
    List<Integer> claimed = new ArrayList<>();
    List<CompletableFuture<Slice>> claimedFutures = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      Slice held = pinned.get(id);
      if (held != null) {
        counters.hit();
        out[i] = held;
        continue;
      }
      Optional<byte[]> hit = cache.get(keys[id]);
      if (hit.isPresent()) {
        counters.hit();
        out[i] = Slice.of(hit.get());
        continue;
      }
      CompletableFuture<Slice> mine = new CompletableFuture<>();
      CompletableFuture<Slice> other = inflight.putIfAbsent(id, mine);
      if (other != null) {
        counters.miss();
        waits.set(i, other);
        continue;
      }
      // claimed: a fetch that finished between the lookup and the claim put its span in the cache first
      Optional<byte[]> late = cache.get(keys[id]);
      if (late.isPresent()) {
        counters.hit();
        inflight.remove(id, mine);
        mine.complete(Slice.of(late.get()));
        out[i] = Slice.of(late.get());
        continue;
      }
      counters.miss();
      waits.set(i, mine);
      claimed.add(id);
      claimedFutures.add(mine);
    }
    fetchClaimed(claimed, claimedFutures, keep);
    for (int i = 0; i < ids.length; i++) {
      if (out[i] == null) {
        out[i] = Futures.join(waits.get(i), "a span");
      }
    }
    return out;
  }

  private void fetchClaimed(List<Integer> claimed, List<CompletableFuture<Slice>> futures, Keep keep) {
    List<int[]> runs = new ArrayList<>();
    try {
      loadCheckpoints(claimed);
      int runStart = 0;
      for (int i = 1; i <= claimed.size(); i++) {
        boolean split = i == claimed.size() || claimed.get(i) != claimed.get(i - 1) + 1
            || ztoc.span(claimed.get(i)).compressedEnd() - ztoc.span(claimed.get(runStart)).compressedStart()
                > maxRequestBytes;
        if (split) {
          runs.add(new int[] {runStart, i});
          runStart = i;
        }
      }
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < claimed.size(); i++) {
        fail(claimed.get(i), futures.get(i), e);
      }
      return;
    }
    List<Runnable> submitted = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      int[] run = runs.get(r);
      Runnable fetch = () -> fetchRun(claimed.subList(run[0], run[1]), futures.subList(run[0], run[1]), keep);
      if (r == runs.size() - 1) {
        fetch.run();
      } else {
        Runnable once = new RunOnce(fetch);
        submitted.add(once);
        try {
          pool.execute(once);
        } catch (RejectedExecutionException e) {
          // run below
        }
      }
    }
    // runs the pool has not started yet are run here: a claimer never waits for queued work, so
    // readers waiting for its spans (pool threads among them) always see them finish
    submitted.forEach(Runnable::run);
  }

  /** Reads the checkpoints of the claimed spans that are not read yet, a run of consecutive spans per read. */
  private void loadCheckpoints(List<Integer> claimed) throws IOException {
    int runStart = 0;
    for (int i = 1; i <= claimed.size(); i++) {
      if (i == claimed.size() || claimed.get(i) != claimed.get(i - 1) + 1) {
        ztoc.load(claimed.get(runStart), claimed.get(i - 1));
        runStart = i;
      }
    }
  }

  /** Runs its task on the first call only. */
  private static final class RunOnce implements Runnable {
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable task;

    RunOnce(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      if (started.compareAndSet(false, true)) {
        task.run();
      }
    }
  }

  private void fetchRun(List<Integer> ids, List<CompletableFuture<Slice>> futures, Keep keep) {
    int done = 0;
    try {
      Span first = ztoc.span(ids.get(0));
      Span last = ztoc.span(ids.get(ids.size() - 1));
      byte[] bytes = read(first.compressedStart(), last.compressedEnd());
      for (; done < ids.size(); done++) {
        int id = ids.get(done);
        Span s = ztoc.span(id);
        Slice slice = new Slice(bytes, (int) (s.compressedStart() - first.compressedStart()), (int) s.compressedLength());
        try {
          slice = verified(s, slice);
        } catch (IOException e) {
          fail(id, futures.get(done), e);
          continue;
        }
        counters.spanFetched();
        if (keep == Keep.CACHE) {
          if (slice.offset() != 0 || slice.length() != slice.array().length) {
            slice = Slice.of(Arrays.copyOfRange(slice.array(), slice.offset(), slice.offset() + slice.length()));
          }
          cache.put(keys[id], slice.array());
        } else if (keep == Keep.PIN) {
          pinned.put(id, slice);
        }
        inflight.remove(id, futures.get(done));
        futures.get(done).complete(slice);
      }
    } catch (IOException | RuntimeException | Error e) {
      for (; done < ids.size(); done++) {
        fail(ids.get(done), futures.get(done), e);
      }
    }
  }

  /** The span's bytes if they match its digest, else its bytes fetched again, alone. */
  private Slice verified(Span s, Slice bytes) throws IOException {
    if (Digest.sha256(bytes.array(), bytes.offset(), bytes.length()).equals(s.digest())) {
      return bytes;
    }
    counters.verificationFailure();
    counters.retry();
    byte[] again = read(s.compressedStart(), s.compressedEnd());
    Digest actual = Digest.sha256(again);
    if (!actual.equals(s.digest())) {
      counters.verificationFailure();
      throw new SpanVerificationException(s.id(), s.compressedStart(), s.compressedEnd(), s.digest(), actual);
    }
    return Slice.of(again);
  }

  private byte[] read(long start, long end) throws IOException {
    int len = Math.toIntExact(end - start);
    byte[] b = hedge.read(len, () -> retry.run(() -> source.read(start, len), counters::request, counters::retry),
        counters::retry);
    counters.received(len);
    return b;
  }

  private void fail(int id, CompletableFuture<Slice> f, Throwable t) {
    inflight.remove(id, f);
    f.completeExceptionally(t);
  }
}
