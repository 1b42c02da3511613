package io.soci4j.cli;

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
 * The {@code soci} command line tool: {@code java -jar soci-cli/target/soci.jar --help}.
 *
 * <p>Exit codes: 0 success; 1 other failure; 2 bad usage; 3 invalid input (corrupt layer or
 * zTOC); 4 layer that SOCI cannot index; 5 entry, file, image, layer or index not found; 6 digest
 * mismatch; 141 the reader of standard output went away (as a shell reports for {@code cat}: no
 * message).
 */
@Command(name = "soci", mixinStandardHelpOptions = true, versionProvider = SociCli.Version.class,
    description = "Seekable OCI (SOCI) tools: build and inspect zTOCs and SOCI indexes, inspect images, and read "
        + "files of remote images without pulling them.",
    subcommands = {ConvertCommand.class, CreateCommand.class, IndexCommand.class, InspectCommand.class,
        ReaderCommands.Ls.class, ReaderCommands.Cat.class, ReaderCommands.Stat.class, ReaderCommands.Pull.class,
        MountCommands.Mount.class, MountCommands.Umount.class, LambdaInvokeCommand.class,
        ZtocCommand.class, CommandLine.HelpCommand.class})
public final class SociCli {
  /** Exit code for invalid input. */
  public static final int EXIT_INVALID_INPUT = 3;
  /** Exit code for a layer SOCI cannot index. */
  public static final int EXIT_UNSUPPORTED = 4;
  /** Exit code for something not found. */
  public static final int EXIT_NOT_FOUND = 5;
  /** Exit code for a digest mismatch. */
  public static final int EXIT_DIGEST_MISMATCH = 6;
  /** Exit code when the reader of stdout went away: 128 + SIGPIPE, as a shell reports for cat. */
  public static final int EXIT_BROKEN_PIPE = 141;

  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean debug;

  /** Longest name printed in a listing, in characters (longer ones end with "..."). */
  static final int MAX_NAME = 4096;

  /** Longest error message printed, in characters. */
  static final int MAX_MESSAGE = 2000;

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
    // not System.out: a PrintStream swallows write errors (a full disk, a closed pipe)
    OutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out);
    System.exit(run(args, out, new PrintWriter(System.err, true)));
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
    Stdout stdout = new Stdout(out);
    CommandLine cl = commandLine(stdout);
    PrintWriter text = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    cl.setOut(text);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (stdout.failure() != null) {
        return writeFailed(stdout.failure(), err);
      }
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
    String unknown = unknownCommand(cl, args);
    if (unknown != null) {
      err.println("soci: " + unknown);
      err.flush();
      return 2;
    }
    int code;
    try {
      code = cl.execute(args);
    } catch (OutOfMemoryError e) { // picocli's handler sees exceptions only
      if (java.util.Arrays.asList(args).contains("--debug")) {
        e.printStackTrace(err);
      }
      err.println("soci: " + outOfMemory());
      err.flush();
      return 1;
    }
    text.flush();
    if (stdout.failure() != null) { // also what the PrintWriter of text output swallowed
      return writeFailed(stdout.failure(), err);
    }
    return code;
  }

  /** {@return the command tree, every command with {@code -h/--help} (and {@code -V/--version})} */
  static CommandLine commandLine(OutputStream stdout) {
    CommandLine cl = new CommandLine(new SociCli(stdout));
    withHelpOptions(cl);
    return cl;
  }

  /** Gives every command and subcommand {@code -h/--help} (and {@code -V/--version}). */
  private static void withHelpOptions(CommandLine cl) {
    if (cl.getCommandSpec().optionsMap().get("--help") == null) {
      cl.getCommandSpec().mixinStandardHelpOptions(true);
    }
    cl.getSubcommands().values().forEach(SociCli::withHelpOptions);
  }

  /**
   * The command words of {@code args} are checked before picocli runs, so that {@code soci nosuch
   * --help} is an unknown command (exit 2) rather than the top-level help (exit 0).
   *
   * @return the problem, or null when every command word is known
   */
  static String unknownCommand(CommandLine cl, String[] args) {
    CommandLine cur = cl;
    String path = "soci";
    for (String a : args) {
      if (a.startsWith("-") || cur.getSubcommands().isEmpty()) {
        return null;
      }
      CommandLine sub = cur.getSubcommands().get(a);
      if (sub == null) {
        return "'" + a + "' is not a " + path + " command; see '" + path + " --help' (commands: "
            + String.join(", ", new java.util.TreeSet<>(cur.getSubcommands().keySet())) + ")";
      }
      cur = sub;
      path = path + " " + a;
    }
    return null;
  }

  /**
   * Exit code for a failed write to stdout: 141 (128 + SIGPIPE, what a shell reports for {@code
   * cat}) without a word for a closed pipe; 1 and a message otherwise.
   */
  private static int writeFailed(Stdout.WriteFailure failure, PrintWriter err) {
    if (failure.brokenPipe()) {
      return EXIT_BROKEN_PIPE;
    }
    if (failure.report()) {
      err.println("soci: " + failure.getMessage());
      err.flush();
    }
    return 1;
  }

  /** The one line for an exhausted heap: the limit, and how to raise it. */
  static String outOfMemory() {
    long max = Runtime.getRuntime().maxMemory();
    String limit = max == Long.MAX_VALUE ? "" : " (" + (max >> 20) + " MiB at most)";
    return "out of memory: the Java heap" + limit + " is too small for this image or layer; run with a larger "
        + "one, e.g. JAVA_TOOL_OPTIONS=-Xmx2g";
  }

  static String message(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof io.soci4j.reader.UnsafeEntryException u) { // pull listed the entries above
      return "refusing to extract: " + u.entries().size() + (u.entries().size() == 1 ? " entry" : " entries")
          + " listed above cannot be extracted safely";
    }
    if (e instanceof io.soci4j.ztoc.index.IndexBuildException b) { // the layers were listed above
      boolean failed = b.reports().stream()
          .anyMatch(r -> r.status() == io.soci4j.ztoc.index.LayerReport.Status.FAILED);
      return b.problem() + (failed ? "" : " (every layer was skipped: see above; --min-layer-size lowers the "
          + "minimum)");
    }
    String m = e.getMessage();
    m = m == null ? e.getClass().getSimpleName() : m;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        m += "; if the registry speaks plain HTTP (docker takes 127.0.0.0/8 and ::1 for insecure ones), pass "
            + "--plain-http";
        break;
      }
    }
    return oneLine(m);
  }

  /**
   * A message fit for one line of a terminal: control characters (which a hostile layer or server
   * could put in names and bodies) escaped, and at most {@value #MAX_MESSAGE} characters.
   */
  static String oneLine(String m) {
    return escape(m, MAX_MESSAGE);
  }

  /**
   * Text from a layer or a server made safe for a terminal: control characters (C0, DEL, C1:
   * newlines, ESC sequences, BEL) written as {@code \\n}, {@code \\t} or {@code \\xNN}, and the
   * text cut after {@code max} characters. Used for messages and for names in listings.
   */
  static String escape(String m, int max) {
    return io.soci4j.api.PrintableText.of(m, max);
  }

  static int exitCode(Throwable e) {
    if (e instanceof io.soci4j.ztoc.index.IndexBuildException && e.getCause() != null) {
      return exitCode(e.getCause()); // a corrupt layer is invalid input, a layer digest mismatch a mismatch
    }
    if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
      return 2; // bad usage or an invalid argument (reference, platform, option value)
    }
    if (e instanceof UnsupportedLayerException) {
      return EXIT_UNSUPPORTED;
    }
    if (e instanceof LayerFormatException || e instanceof ZtocFormatException
        || e instanceof io.soci4j.registry.InvalidManifestException || e instanceof io.soci4j.reader.UnsafeEntryException
        || e instanceof io.soci4j.reader.SymlinkLoopException) {
      return EXIT_INVALID_INPUT;
    }
    if (e instanceof EntryNotFoundException || e instanceof NoSuchFileException
        || e instanceof io.soci4j.reader.PathNotFoundException
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
      String tool = io.soci4j.ztoc.ZtocBuilder.DEFAULT_BUILD_TOOL;
      return new String[] {"soci (soci4j) " + tool.substring(tool.lastIndexOf(" v") + 2)
          + (v == null || v.equals(tool.substring(tool.lastIndexOf(" v") + 2)) ? "" : " (build " + v + ")"),
          "zTOCs and indexes say build tool \"" + tool + "\" unless --build-tool says otherwise"};
    }
  }
}
