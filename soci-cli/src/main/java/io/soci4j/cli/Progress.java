package io.soci4j.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.ztoc.index.BuildProgress;
import io.soci4j.ztoc.index.LayerReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-layer progress on stderr, as docker shows it: {@code tty} keeps one line per layer (bar,
 * bytes, throughput) and redraws the block in place at most ten times a second, each layer on its
 * own line, finished with the layer's outcome; {@code plain} prints one line per layer when it is
 * done (never a carriage return, for logs); {@code none} prints nothing. {@code auto}, the
 * default, is {@code tty} when stderr is a terminal and {@code none} otherwise. The rate is shown
 * once a layer has been read for half a second (no absurd first figure).
 */
final class Progress implements BuildProgress {
  /** How progress is shown. */
  enum Mode { AUTO, TTY, PLAIN, NONE }

  private static final long REDRAW_NANOS = 100_000_000L;
  private static final long RATE_AFTER_NANOS = 500_000_000L;

  /** One layer's line. */
  private static final class Line {
    final Descriptor layer;
    final long started;
    long read;
    long finished;
    String outcome;

    Line(Descriptor layer, long started) {
      this.layer = layer;
      this.started = started;
    }
  }

  private final PrintWriter err;
  private final boolean tty;
  private final LongSupplier clock;
  private final Map<String, Line> lines = new LinkedHashMap<>();
  private int drawn;
  private long lastDraw = Long.MIN_VALUE / 2;

  Progress(PrintWriter err, boolean tty, LongSupplier clock) {
    this.err = err;
    this.tty = tty;
    this.clock = clock;
  }

  /**
   * @param mode the {@code --progress} value
   * @param quiet {@code --quiet}
   * @param err stderr
   * @return the progress sink
   */
  static BuildProgress of(Mode mode, boolean quiet, PrintWriter err) {
    Mode m = quiet ? Mode.NONE : mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.TTY : Mode.NONE) : mode;
    return switch (m) {
      case TTY -> new Progress(err, true, System::nanoTime);
      case PLAIN -> new Progress(err, false, System::nanoTime);
      default -> BuildProgress.NONE;
    };
  }

  /** Whether file descriptor 2 is a terminal (Linux: a tty or pts device), whatever stdout is. */
  static boolean stderrIsTerminal() {
    return isTerminal(2);
  }

  /** Whether file descriptor 1 is a terminal. */
  static boolean stdoutIsTerminal() {
    return isTerminal(1);
  }

  private static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  private Line line(Descriptor layer) {
    return lines.computeIfAbsent(layer.digest().toString(), k -> new Line(layer, clock.getAsLong()));
  }

  @Override
  public synchronized void read(Descriptor layer, long bytesRead) {
    Line l = line(layer);
    l.read = bytesRead;
    long now = clock.getAsLong();
    if (tty && now - lastDraw >= REDRAW_NANOS) {
      redraw(now);
    }
  }

  @Override
  public synchronized void done(LayerReport report) {
    Line l = line(report.layer());
    l.read = Math.max(l.read, report.status() == LayerReport.Status.BUILT ? report.layer().size() : l.read);
    long now = clock.getAsLong();
    l.finished = now;
    l.outcome = report.status().name().toLowerCase(Locale.ROOT) + (report.reason().isEmpty() ? ""
        : ": " + SociCli.oneLine(report.reason()));
    if (tty) {
      redraw(now);
    } else {
      err.println(text(l, now));
      err.flush();
    }
  }

  /**
   * Ends a layer's line with an outcome of the caller's (the reader's commands have no report).
   *
   * @param layer the layer
   * @param outcome what happened, e.g. "fetched 12.3 MB"
   */
  synchronized void finish(Descriptor layer, String outcome) {
    Line l = line(layer);
    long now = clock.getAsLong();
    l.finished = now;
    l.outcome = outcome;
    if (tty) {
      redraw(now);
    } else {
      err.println(text(l, now));
      err.flush();
    }
  }

  private void redraw(long now) {
    StringBuilder sb = new StringBuilder();
    if (drawn > 0) {
      sb.append("\u001b[").append(drawn).append('F'); // back to the first line of the block
    }
    List<Line> all = new ArrayList<>(lines.values());
    for (Line l : all) {
      sb.append("\u001b[2K").append(text(l, now)).append('\n');
    }
    drawn = all.size();
    lastDraw = now;
    err.print(sb);
    err.flush();
  }

  /** A layer's line: its short digest, a bar or its outcome, sizes and throughput. */
  String text(Line l, long now) {
    long size = Math.max(1, l.layer.size());
    double secs = (now - l.started) / 1e9;
    String rate = now - l.started < RATE_AFTER_NANOS ? "   --.- MB/s"
        : String.format(Locale.ROOT, "%7.1f MB/s", l.read / 1e6 / Math.max(secs, 1e-9));
    String head = "layer " + l.layer.digest().hex().substring(0, 12);
    if (l.outcome != null) {
      return String.format(Locale.ROOT, "%s %s (%.1f MB, %.1f s)", head, l.outcome, l.layer.size() / 1e6,
          Math.max(0, (l.finished - l.started) / 1e9));
    }
    int width = 30;
    int filled = (int) Math.min(width, width * l.read / size);
    return String.format(Locale.ROOT, "%s [%s%s] %7.1f/%.1f MB %s", head, "=".repeat(filled),
        " ".repeat(width - filled), l.read / 1e6, l.layer.size() / 1e6, rate);
  }
}
