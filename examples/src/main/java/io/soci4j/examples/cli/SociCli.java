package io.soci4j.examples.cli;

import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.EntryNotFoundException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code soci} command line tool: {@code java -jar examples/target/soci.jar --help}.
 *
 * <p>Exit codes: 0 success; 1 other failure; 2 bad usage; 3 invalid input (corrupt layer or
 * zTOC); 4 layer that SOCI cannot index; 5 entry, file, image, layer or index not found; 6 digest
 * mismatch.
 */
@Command(name = "soci", mixinStandardHelpOptions = true, versionProvider = SociCli.Version.class,
    description = "Seekable OCI (SOCI) tools: build and inspect zTOCs and SOCI indexes, inspect images, and read "
        + "files of remote images without pulling them.",
    subcommands = {ZtocCommand.class, CreateCommand.class, ConvertCommand.class, IndexCommand.class,
        InspectCommand.class, ReaderCommands.Ls.class, ReaderCommands.Cat.class,
        ReaderCommands.Stat.class, ReaderCommands.Pull.class})
public final class SociCli {
  /** Exit code for invalid input. */
  public static final int EXIT_INVALID_INPUT = 3;
  /** Exit code for a layer SOCI cannot index. */
  public static final int EXIT_UNSUPPORTED = 4;
  /** Exit code for something not found. */
  public static final int EXIT_NOT_FOUND = 5;
  /** Exit code for a digest mismatch. */
  public static final int EXIT_DIGEST_MISMATCH = 6;

  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean debug;

  /** Where binary output (file bytes) goes. */
  final OutputStream stdout;

  private SociCli(OutputStream stdout) {
    this.stdout = stdout;
  }

  /**
   * Runs the tool and exits with its exit code.
   *
   * @param args command line
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, new PrintWriter(System.err, true)));
  }

  /**
   * Runs the tool without exiting (for tests and embedding).
   *
   * @param args command line
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] args, OutputStream out, PrintWriter err) {
    SociCli top = new SociCli(out);
    CommandLine cl = new CommandLine(top);
    cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean debug = false;
      for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
        debug |= p.hasMatchedOption("--debug");
      }
      if (debug) {
        e.printStackTrace(err);
      } else {
        err.println("soci: " + message(e));
      }
      err.flush();
      return exitCode(e);
    });
    return cl.execute(args);
  }

  private static String message(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof io.soci4j.ztoc.index.IndexBuildException b) { // the layers were listed above
      boolean failed = b.reports().stream()
          .anyMatch(r -> r.status() == io.soci4j.ztoc.index.LayerReport.Status.FAILED);
      return b.problem() + (failed ? "" : " (every layer was skipped: see above; --min-layer-size lowers the "
          + "minimum)");
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  static int exitCode(Throwable e) {
    if (e instanceof CommandLine.ParameterException) {
      return 2;
    }
    if (e instanceof UnsupportedLayerException) {
      return EXIT_UNSUPPORTED;
    }
    if (e instanceof LayerFormatException || e instanceof ZtocFormatException) {
      return EXIT_INVALID_INPUT;
    }
    if (e instanceof EntryNotFoundException || e instanceof NoSuchFileException
        || e instanceof io.soci4j.api.ContentNotFoundException) {
      return EXIT_NOT_FOUND;
    }
    if (e instanceof DigestMismatchException) {
      return EXIT_DIGEST_MISMATCH;
    }
    return 1;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SociCli.class.getPackage().getImplementationVersion();
      return new String[] {"soci (soci4j) " + (v == null ? "development build" : v)};
    }
  }
}
