package io.soci4j.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.reader.ImageLayer;
import io.soci4j.reader.LayerStats;
import io.soci4j.reader.SociImage;
import io.soci4j.ztoc.index.BuildProgress;
import java.util.List;

/**
 * Progress of a long reader command ({@code pull}, a big {@code cat}): a daemon thread looks at the
 * image's fetch statistics ten times a second and shows, per layer, the compressed bytes fetched
 * so far, through {@link Progress} (so the same modes and rules apply). {@link #finish} draws the
 * final state and stops the thread.
 */
final class ReaderProgress {
  private final SociImage image;
  private final BuildProgress sink;
  private final Thread poller;
  private volatile boolean running = true;

  private ReaderProgress(SociImage image, BuildProgress sink) {
    this.image = image;
    this.sink = sink;
    this.poller = new Thread(this::poll, "soci-progress");
    poller.setDaemon(true);
  }

  /**
   * @param image the open image
   * @param sink where progress goes; {@link BuildProgress#NONE} shows nothing and starts no thread
   * @return the running progress
   */
  static ReaderProgress start(SociImage image, BuildProgress sink) {
    ReaderProgress p = new ReaderProgress(image, sink);
    if (sink != BuildProgress.NONE) {
      p.poller.start();
    }
    return p;
  }

  private void poll() {
    while (running) {
      report();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void report() {
    List<LayerStats> stats = image.stats().layers();
    List<ImageLayer> layers = image.layers();
    for (int i = 0; i < Math.min(stats.size(), layers.size()); i++) {
      Descriptor d = layers.get(i).descriptor();
      long fetched = stats.get(i).bytesFetched();
      if (fetched > 0) {
        sink.read(d, Math.min(fetched, d.size()));
      }
    }
  }

  /**
   * Stops polling and finishes each layer's line with what was fetched of it.
   *
   * @param ok whether the command succeeded
   */
  void finish(boolean ok) {
    stop();
    if (sink instanceof Progress p) {
      List<LayerStats> stats = image.stats().layers();
      List<ImageLayer> layers = image.layers();
      for (int i = 0; i < Math.min(stats.size(), layers.size()); i++) {
        if (stats.get(i).bytesFetched() > 0) {
          p.finish(layers.get(i).descriptor(), (ok ? "fetched " : "stopped after ")
              + String.format(java.util.Locale.ROOT, "%.1f MB", stats.get(i).bytesFetched() / 1e6));
        }
      }
    }
  }

  private void stop() {
    running = false;
    poller.interrupt();
    try {
      poller.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
