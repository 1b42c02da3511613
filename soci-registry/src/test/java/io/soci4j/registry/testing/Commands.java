package io.soci4j.registry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one way the tests find and run external tools (docker-registry, skopeo, htpasswd): a missing
 * tool fails the test, never skips it.
 */
public final class Commands {
  private Commands() {}

  /** The output of a finished command. */
  public record Result(int exitCode, byte[] stdout, String stderr) {
    /** {@return stdout as UTF-8} */
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * Finds a tool: the environment variable {@code override} when set, else the PATH, else
   * {@code /usr/sbin}. A missing tool fails the test with an {@link AssertionError} (never skips
   * it): when {@code CI=true} that is the rule, and locally a skipped registry test would hide
   * that nothing was tested.
   *
   * @param name the executable
   * @param override environment variable with an explicit path
   * @param debianPackage the package that provides it
   * @return its path
   * @throws AssertionError when it is not installed, saying how to install it
   */
  public static Path require(String name, String override, String debianPackage) {
    String explicit = System.getenv(override);
    if (explicit != null && !explicit.isEmpty()) {
      Path p = Path.of(explicit);
      if (Files.isExecutable(p)) {
        return p;
      }
      throw new AssertionError(override + "=" + explicit + " is not an executable");
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Path usrSbin = Path.of("/usr/sbin", name);
    if (Files.isExecutable(usrSbin)) {
      return usrSbin;
    }
    throw new AssertionError(name + " is not installed (CI=" + System.getenv("CI") + "): install the Debian package "
        + debianPackage + " (apt-get install -y " + debianPackage + "; .ci/run does) or set " + override
        + "; these tests fail rather than skip without it");
  }

  /**
   * Runs a command to completion.
   *
   * @param timeoutSeconds when to kill it (a hang guard, not a timing assertion)
   * @param command the command line
   * @return its exit code and output
   * @throws IOException when it cannot be started or does not finish
   */
  public static Result run(long timeoutSeconds, List<String> command) throws IOException {
    Path err = Files.createTempFile("soci4j-cmd", ".err");
    Path out = Files.createTempFile("soci4j-cmd", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + command, e);
    } finally {
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
    }
  }

  /**
   * Runs a command that must succeed.
   *
   * @param timeoutSeconds hang guard
   * @param command the command line
   * @return its stdout
   * @throws IOException when it fails
   */
  public static byte[] check(long timeoutSeconds, List<String> command) throws IOException {
    Result r = run(timeoutSeconds, command);
    if (r.exitCode() != 0) {
      throw new IOException(String.join(" ", command) + " failed with exit code " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }
}
