package io.soci4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI in process with real stdout and stderr streams, for the CLI tests. */
final class Cli {
  private Cli() {}

  /**
   * What a run gave.
   *
   * @param exit the exit code
   * @param bytes stdout, as bytes (file contents)
   * @param err stderr
   */
  record Result(int exit, byte[] bytes, String err) {
    /** {@return stdout as UTF-8 text} */
    String out() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static Result soci(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit = SociCli.run(args, out, new PrintWriter(err, true));
    return new Result(exit, out.toByteArray(), err.toString());
  }

  static Result soci(List<String> args) {
    return soci(args.toArray(String[]::new));
  }
}
