package io.soci4j.reader.internal.extract;

import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.layer.SpanLayer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Fetches the spans an extraction is about to read before it reads them: several range requests
 * at once on the fetch pool, each span pinned in its fetcher until the last file that reads it was
 * written. A stalled or slow request then holds up only the files that need its spans; the other
 * requests keep going, up to {@link #WINDOW_BYTES} of compressed spans ahead of the writer. A
 * failed read-ahead is dropped: the writer's own read fetches the span again and reports the
 * failure.
 *
 * <p>Files are numbered in the order the extraction writes them ({@link Plan#file}); the
 * extraction calls {@link #reached} before writing each.
 */
final class ReadAhead implements AutoCloseable {
  /** Compressed bytes requested or pinned ahead of the writer at most (a single larger span still goes). */
  static final long WINDOW_BYTES = 64L << 20;
  /** Consecutive spans one read-ahead request asks for at most. */
  static final int RUN = 4;

  private static final byte NEW = 0;
  private static final byte REQUESTED = 1;
  private static final byte PINNED = 2;
  private static final byte DONE = 3;

  private final Executor pool;
  private final int parallel;
  private final SpanFetcher[] fetcher;
  private final int[] span;
  private final long[] length;
  private final int[] firstFile;
  private final int[] lastFile;
  private final int[] byLastFile;
  private final byte[] state;
  private int next;
  private int released;
  private int file;
  private int running;
  private long held;
  private boolean closed;

  /** The spans each file reads, in the order the files are written. */
  static final class Plan {
    private final Map<SpanLayer, Map<Integer, Integer>> index = new IdentityHashMap<>();
    private final List<SpanFetcher> fetchers = new ArrayList<>();
    private final List<long[]> spans = new ArrayList<>(); // {span, compressed length, first file, last file}
    private int files;

    /**
     * Adds the next file written.
     *
     * @param layer the layer holding its data
     * @param offset where its data starts in the layer's tar stream
     * @param size its size
     * @throws IOException when the layer's checkpoints cannot be read
     */
    void file(LayerData layer, long offset, long size) throws IOException {
      int f = files++;
      if (!(layer instanceof SpanLayer sl) || size <= 0) {
        return; // a layer read whole is already in memory or on disk
      }
      Map<Integer, Integer> ids = index.get(sl);
      if (ids == null) {
        sl.spans(); // an extraction reads most spans: all checkpoints at once, not one at a time
        ids = new java.util.HashMap<>();
        index.put(sl, ids);
      }
      for (int s = sl.spanOf(offset), last = sl.spanOf(offset + size - 1); s <= last; s++) {
        Integer d = ids.get(s);
        if (d == null) {
          ids.put(s, spans.size());
          fetchers.add(sl.fetcher());
          spans.add(new long[] {s, sl.span(s).compressedLength(), f, f});
        } else {
          spans.get(d)[3] = f;
        }
      }
    }

    /**
     * @param pool runs the requests
     * @param parallel requests at once at most
     * @return the read-ahead, started
     */
    ReadAhead start(Executor pool, int parallel) {
      ReadAhead r = new ReadAhead(this, pool, parallel);
      synchronized (r) {
        r.pump();
      }
      return r;
    }
  }

  private ReadAhead(Plan plan, Executor pool, int parallel) {
    this.pool = pool;
    this.parallel = Math.max(1, parallel);
    int n = plan.spans.size();
    fetcher = plan.fetchers.toArray(new SpanFetcher[0]);
    span = new int[n];
    length = new long[n];
    firstFile = new int[n];
    lastFile = new int[n];
    state = new byte[n];
    for (int d = 0; d < n; d++) {
      long[] v = plan.spans.get(d);
      span[d] = (int) v[0];
      length[d] = v[1];
      firstFile[d] = (int) v[2];
      lastFile[d] = (int) v[3];
    }
    // spans in the order the writer is done with them (a counting sort by last file)
    int[] start = new int[plan.files + 1];
    for (int d = 0; d < n; d++) {
      start[lastFile[d] + 1]++;
    }
    for (int f = 0; f < plan.files; f++) {
      start[f + 1] += start[f];
    }
    byLastFile = new int[n];
    for (int d = 0; d < n; d++) {
      byLastFile[start[lastFile[d]]++] = d;
    }
  }

  /**
   * The writer is about to write a file: spans no later file reads are unpinned, more are
   * requested.
   *
   * @param f the file's number
   */
  synchronized void reached(int f) {
    file = f;
    while (released < byLastFile.length && lastFile[byLastFile[released]] < f) {
      int d = byLastFile[released++];
      if (state[d] == PINNED) {
        fetcher[d].unpin(span[d]);
      }
      if (state[d] == PINNED || state[d] == REQUESTED) {
        held -= length[d];
      }
      state[d] = DONE;
    }
    pump();
  }

  /** Unpins everything; requests under way finish and are dropped. */
  @Override
  public synchronized void close() {
    closed = true;
    for (int d = 0; d < state.length; d++) {
      if (state[d] == PINNED) {
        fetcher[d].unpin(span[d]);
      }
      state[d] = DONE;
    }
  }

  /** Starts requests while the window and the parallelism allow. Called holding the lock. */
  private void pump() {
    while (!closed && running < parallel && next < state.length) {
      if (state[next] != NEW || firstFile[next] < file) {
        next++; // released already, or the writer is past its first reader and fetched it itself
        continue;
      }
      if (held > 0 && held + length[next] > WINDOW_BYTES) {
        return;
      }
      int from = next;
      int end = from + 1;
      long bytes = length[from];
      while (end < state.length && end - from < RUN && state[end] == NEW && fetcher[end] == fetcher[from]
          && span[end] == span[end - 1] + 1 && held + bytes + length[end] <= WINDOW_BYTES) {
        bytes += length[end++];
      }
      int to = end;
      for (int d = from; d < to; d++) {
        state[d] = REQUESTED;
      }
      held += bytes;
      next = to;
      running++;
      try {
        pool.execute(() -> fetch(from, to));
      } catch (RejectedExecutionException e) {
        running--; // the image is closing
        return;
      }
    }
  }

  private void fetch(int from, int to) {
    boolean ok = false;
    try {
      int[] ids = new int[to - from];
      for (int d = from; d < to; d++) {
        ids[d - from] = span[d];
      }
      fetcher[from].pinAhead(ids);
      ok = true;
    } catch (IOException | RuntimeException e) {
      // dropped: the writer reads these spans itself and reports what goes wrong
    }
    synchronized (this) {
      running--;
      for (int d = from; d < to; d++) {
        if (ok && state[d] == REQUESTED && !closed) {
          state[d] = PINNED;
          continue;
        }
        fetcher[d].unpin(span[d]); // released (or closed) while in flight
        if (state[d] == REQUESTED) {
          held -= length[d];
          state[d] = DONE;
        }
      }
      pump();
    }
  }
}
