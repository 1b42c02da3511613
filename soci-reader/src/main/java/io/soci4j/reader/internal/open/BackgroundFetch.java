package io.soci4j.reader.internal.open;

import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.layer.SpanLayer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches spans of an image on its own daemon thread, through the same single-flight fetchers as
 * reads (a span being read is not fetched twice): first the prefetch artifacts' spans, then (when
 * asked) every span not cached yet, layer by layer, in runs of up to {@value #RUN} consecutive
 * spans (one range request per run).
 */
public final class BackgroundFetch {
  private static final int RUN = 8;

  /**
   * Spans of one layer to fetch first.
   *
   * @param fetcher the layer's fetcher
   * @param ids span ids, ascending
   */
  public record Spans(SpanFetcher fetcher, int[] ids) {}

  private final CompletableFuture<Void> prefetched = new CompletableFuture<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Thread thread;

  private BackgroundFetch(List<Spans> first, List<LayerData> layers) {
    thread = new Thread(() -> run(first, layers), "soci-background-fetch");
    thread.setDaemon(true);
  }

  /**
   * Starts fetching.
   *
   * @param first spans to fetch first (the prefetch artifacts'), possibly none
   * @param layers the image's layers, to fetch whole after them, or null to stop there
   * @return the running fetch
   */
  public static BackgroundFetch start(List<Spans> first, List<LayerData> layers) {
    BackgroundFetch f = new BackgroundFetch(first, layers);
    f.thread.start();
    return f;
  }

  /** {@return a future completed when the first spans were fetched, or exceptionally on failure} */
  public CompletableFuture<Void> prefetched() {
    return prefetched;
  }

  /** {@return a future completed when everything asked was fetched, or exceptionally on failure} */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Stops fetching (the future completes exceptionally if it was not done). */
  public void stop() {
    thread.interrupt();
    prefetched.cancel(false);
    done.cancel(false);
  }

  private void run(List<Spans> first, List<LayerData> layers) {
    try {
      for (Spans s : first) {
        if (Thread.currentThread().isInterrupted() || prefetched.isDone()) {
          return;
        }
        s.fetcher().get(s.ids(), true);
      }
      prefetched.complete(null);
      for (LayerData l : layers == null ? List.<LayerData>of() : layers) {
        if (!(l instanceof SpanLayer sl)) {
          continue;
        }
        SpanFetcher f = sl.fetcher();
        int s = 0;
        while (s < f.spanCount()) {
          if (Thread.currentThread().isInterrupted() || done.isDone()) {
            return;
          }
          if (f.cachedOrInFlight(s)) {
            s++;
            continue;
          }
          int end = s;
          while (end < f.spanCount() && end - s < RUN && !f.cachedOrInFlight(end)) {
            end++;
          }
          int[] ids = new int[end - s];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = s + i;
          }
          f.get(ids, true);
          s = end;
        }
      }
      done.complete(null);
    } catch (IOException | RuntimeException e) {
      prefetched.completeExceptionally(e);
      done.completeExceptionally(e);
    }
  }
}
