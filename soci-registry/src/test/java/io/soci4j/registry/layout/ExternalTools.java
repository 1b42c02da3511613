package io.soci4j.registry.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real tools the interop tests use; a missing tool fails the test, never skips it. */
final class ExternalTools {
  /** Debian's skopeo. */
  static final Path SKOPEO = Path.of("/usr/bin/skopeo");

  private ExternalTools() {}

  /**
   * Fails unless {@code binary} is an executable file.
   *
   * @param binary the path
   * @param debianPackage the package that provides it, for the message
   */
  static void require(Path binary, String debianPackage) {
    if (!Files.isExecutable(binary)) {
      throw new AssertionError(binary + " is missing: install it with 'apt-get install -y " + debianPackage
          + "' (.ci/run does); these tests fail rather than skip without it");
    }
  }

  /**
   * Runs {@code skopeo --insecure-policy <args>} and returns its standard output.
   *
   * @param workDir where to keep its output files
   * @param args the arguments
   * @return stdout bytes
   * @throws Exception when it cannot run; an {@link AssertionError} when it exits non-zero
   */
  static byte[] skopeo(Path workDir, String... args) throws Exception {
    require(SKOPEO, "skopeo");
    List<String> command = new ArrayList<>(List.of(SKOPEO.toString(), "--insecure-policy"));
    command.addAll(List.of(args));
    return run(workDir, command);
  }

  private static byte[] run(Path workDir, List<String> command) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path out = Files.createTempFile(workDir, "out-", ".log");
    Path err = Files.createTempFile(workDir, "err-", ".log");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + exit + ":\n" + Files.readString(err)
          + Files.readString(out));
    }
    return Files.readAllBytes(out);
  }
}
