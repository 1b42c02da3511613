package io.soci4j.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.ztoc.index.BuildProgress;
import io.soci4j.ztoc.index.LayerReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress bars on stderr, one line per layer (bytes read, throughput), redrawn in place. Only
 * when stderr is a terminal: {@link #forTerminal} returns {@link BuildProgress#NONE} otherwise.
 */
final class Progress implements BuildProgress {
  private final PrintWriter err;
  private final Map<String, Long> started = new ConcurrentHashMap<>();

  private Progress(PrintWriter err) {
    this.err = err;
  }

  static BuildProgress forTerminal(PrintWriter err) {
    return System.console() != null ? new Progress(err) : BuildProgress.NONE;
  }

  @Override
  public synchronized void read(Descriptor layer, long bytesRead) {
    long t0 = started.computeIfAbsent(layer.digest().toString(), k -> System.nanoTime());
    double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    int width = 30;
    int filled = (int) (width * bytesRead / Math.max(1, layer.size()));
    err.printf(Locale.ROOT, "\r%s [%s%s] %6.1f/%6.1f MB %6.1f MB/s", layer.digest().hex().substring(0, 12),
        "=".repeat(filled), " ".repeat(width - filled), bytesRead / 1e6, layer.size() / 1e6, bytesRead / 1e6 / secs);
    err.flush();
  }

  @Override
  public synchronized void done(LayerReport report) {
    err.printf(Locale.ROOT, "\r%s %s%s%n", report.layer().digest().hex().substring(0, 12),
        report.status().name().toLowerCase(Locale.ROOT), report.reason().isEmpty() ? "" : ": " + report.reason());
    err.flush();
  }
}
