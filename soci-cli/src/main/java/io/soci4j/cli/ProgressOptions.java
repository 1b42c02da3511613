package io.soci4j.cli;

import io.soci4j.ztoc.index.BuildProgress;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --progress} and {@code -q/--quiet}, for the commands that show progress: convert, create,
 * pull and cat.
 */
final class ProgressOptions {
  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", converter = ModeConverter.class,
      description = "Per-layer progress on stderr: auto (default: tty when stderr is a terminal, but not for cat "
          + "writing to a terminal; else none), tty (one line per layer, redrawn in place), plain (one line per "
          + "layer when done, for logs) or none.")
  Progress.Mode mode;

  @Option(names = {"-q", "--quiet"}, description = "No progress (as --progress=none); results still go to stdout.")
  boolean quiet;

  /**
   * @param err stderr
   * @param writesFileToStdout the command's stdout is data (cat): auto shows nothing when that is a terminal
   * @return where progress goes
   */
  BuildProgress sink(PrintWriter err, boolean writesFileToStdout) {
    Progress.Mode m = mode == Progress.Mode.AUTO && writesFileToStdout && Progress.stdoutIsTerminal()
        ? Progress.Mode.NONE : mode;
    return Progress.of(m, quiet, err);
  }

  /** Parses {@code --progress} values in lower case. */
  static final class ModeConverter implements CommandLine.ITypeConverter<Progress.Mode> {
    @Override
    public Progress.Mode convert(String value) {
      try {
        return Progress.Mode.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a progress mode: want auto, tty, "
            + "plain or none");
      }
    }
  }
}
