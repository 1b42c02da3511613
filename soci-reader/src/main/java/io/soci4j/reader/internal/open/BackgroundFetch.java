package io.soci4j.reader.internal.open;

import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.layer.SpanLayer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches every span of an image that is not cached yet, layer by layer, in runs of up to
 * {@value #RUN} consecutive spans, on its own daemon thread, through the same single-flight
 * fetchers as reads (a span being read is not fetched twice).
 */
public final class BackgroundFetch {
  private static final int RUN = 8;

  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Thread thread;

  private BackgroundFetch(List<LayerData> layers) {
    thread = new Thread(() -> run(layers), "soci-background-fetch");
    thread.setDaemon(true);
  }

  /**
   * Starts fetching.
   *
   * @param layers the image's layers
   * @return the running fetch
   */
  public static BackgroundFetch start(List<LayerData> layers) {
    BackgroundFetch f = new BackgroundFetch(layers);
    f.thread.start();
    return f;
  }

  /** {@return a future completed when every span was fetched, or exceptionally on failure} */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Stops fetching (the future completes exceptionally if it was not done). */
  public void stop() {
    thread.interrupt();
    done.cancel(false);
  }

  private void run(List<LayerData> layers) {
    try {
      for (LayerData l : layers) {
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
      done.completeExceptionally(e);
    }
  }
}
