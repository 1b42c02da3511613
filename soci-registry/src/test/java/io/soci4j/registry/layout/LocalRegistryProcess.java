package io.soci4j.registry.layout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Debian {@code docker-registry} (CNCF distribution 2.8) on a free 127.0.0.1 port, with its
 * config, storage and log in a directory under {@code target/}. Start one per test class and
 * close it after.
 *
 * <p>When the registry or skopeo is missing, {@link #start} fails the test, on CI and off it: it
 * never skips, so a machine without them cannot pass silently ({@code .ci/run} installs both).
 */
final class LocalRegistryProcess implements AutoCloseable {
  /** Where Debian's package installs the registry. */
  static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private static final Duration STARTUP = Duration.ofSeconds(30);

  private final Process process;
  private final int port;
  private final Path log;

  private LocalRegistryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a registry and waits until {@code /v2/} answers.
   *
   * @param workDir its directory (config, storage, log); created
   * @return the running registry
   * @throws Exception when it is not installed or does not start
   */
  static LocalRegistryProcess start(Path workDir) throws Exception {
    ExternalTools.require(BINARY, "docker-registry");
    ExternalTools.require(ExternalTools.SKOPEO, "skopeo");
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Path config = workDir.resolve("config.yml");
      Files.writeString(config, """
          version: 0.1
          log: {level: info, accesslog: {disabled: true}}
          storage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}
          http: {addr: 127.0.0.1:%d}
          """.formatted(workDir.resolve("storage").toAbsolutePath(), port));
      Path log = workDir.resolve("registry.log");
      Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      LocalRegistryProcess registry = new LocalRegistryProcess(p, port, log);
      if (registry.awaitReady()) {
        return registry;
      }
      registry.close();
      if (attempt == 3) {
        throw new AssertionError("docker-registry did not start on 127.0.0.1:" + port + "; its log:\n"
            + Files.readString(log));
      }
    }
  }

  /** {@return {@code 127.0.0.1:<port>}} */
  String hostPort() {
    return "127.0.0.1:" + port;
  }

  /**
   * @param repository a repository name
   * @param tag a tag
   * @return the skopeo/containers-image reference {@code docker://127.0.0.1:<port>/<repo>:<tag>}
   */
  String docker(String repository, String tag) {
    return "docker://" + hostPort() + "/" + repository + ":" + tag;
  }

  /** False when the process exits (e.g. the port was taken) or does not answer in time. */
  private boolean awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/v2/")).build();
    Instant deadline = Instant.now().plus(STARTUP);
    while (process.isAlive() && Instant.now().isBefore(deadline)) {
      try {
        if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (ConnectException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** A fresh registry per run: storage left by an earlier run would hide a failed push. */
  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping " + this, e);
    }
  }

  @Override
  public String toString() {
    return "docker-registry on " + hostPort() + " (log " + log + ")";
  }
}
