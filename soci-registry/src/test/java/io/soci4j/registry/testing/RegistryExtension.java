package io.soci4j.registry.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real registry for a test class: Debian's {@code docker-registry} (CNCF distribution 2.8)
 * started as a child process on a free 127.0.0.1 port, with its config, storage and log under
 * {@code target/registries/}, once per class, and stopped after it. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RegistryExtension REGISTRY = RegistryExtension.plain();
 * ...
 * ImageReference.parse(REGISTRY.registry() + "/app:1");
 * }</pre>
 *
 * <p>Variants: htpasswd (bcrypt, made with {@code htpasswd -B}) for Basic auth, and the redirect
 * storage middleware pointing at a {@link RecordingFileServer} on {@code localhost} (another
 * origin) that serves the storage directory, as S3 does for ECR. A missing binary fails the class
 * (it never skips), with or without {@code CI=true}.
 */
public final class RegistryExtension implements BeforeAllCallback, AfterAllCallback {
  private final String user;
  private final String password;
  private final boolean redirect;
  private Process process;
  private Path dir;
  private int port;
  private RecordingFileServer fileServer;
  private Thread shutdownHook;

  private RegistryExtension(String user, String password, boolean redirect) {
    this.user = user;
    this.password = password;
    this.redirect = redirect;
  }

  /** {@return an open registry} */
  public static RegistryExtension plain() {
    return new RegistryExtension(null, null, false);
  }

  /**
   * @param user the one user
   * @param password its password
   * @return a registry demanding Basic auth
   */
  public static RegistryExtension basicAuth(String user, String password) {
    return new RegistryExtension(user, password, false);
  }

  /**
   * @param user the one user
   * @param password its password
   * @return a registry demanding Basic auth whose blob GET/HEADs redirect (307) to a file server
   *     on {@code localhost:<other port>}
   */
  public static RegistryExtension basicAuthWithRedirect(String user, String password) {
    return new RegistryExtension(user, password, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start(Path.of("target", "registries", context.getRequiredTestClass().getSimpleName() + "-"
        + UUID.randomUUID().toString().substring(0, 8)));
  }

  /**
   * Starts the registry outside JUnit (a harness's {@code main}); {@link #stop()} it after.
   *
   * @param directory where its config, storage and log go (created)
   * @throws Exception when it does not start
   */
  public void start(Path directory) throws Exception {
    Path binary = Commands.require("docker-registry", "SOCI4J_DOCKER_REGISTRY", "docker-registry");
    dir = directory.toAbsolutePath();
    Files.createDirectories(dir.resolve("data"));
    if (redirect) {
      fileServer = RecordingFileServer.start(dir.resolve("data"));
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      port = freePort();
      writeConfig();
      process = new ProcessBuilder(binary.toString(), "serve", dir.resolve("config.yml").toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
          .start();
      Process started = process;
      shutdownHook = new Thread(started::destroyForcibly, "stop docker-registry " + port);
      Runtime.getRuntime().addShutdownHook(shutdownHook); // if the JVM dies before afterAll
      try {
        awaitReady();
        return;
      } catch (IOException e) {
        last = e;
        stopProcess();
      }
    }
    throw new IllegalStateException("docker-registry did not start; see " + dir.resolve("registry.log"), last);
  }

  private void writeConfig() throws IOException {
    StringBuilder yml = new StringBuilder()
        .append("version: 0.1\n")
        .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
        .append("  delete:\n    enabled: true\n")
        .append("http:\n  addr: 127.0.0.1:").append(port).append("\n  secret: soci4j-test-secret\n");
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      if (!Files.exists(htpasswd)) {
        Path tool = Commands.require("htpasswd", "SOCI4J_HTPASSWD", "apache2-utils");
        byte[] line = Commands.check(30, List.of(tool.toString(), "-Bbn", user, password));
        Files.write(htpasswd, line);
      }
      yml.append("auth:\n  htpasswd:\n    realm: soci4j-test\n    path: ").append(htpasswd).append('\n');
    }
    if (redirect) {
      yml.append("middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: ")
          .append("http://localhost:").append(fileServer.port()).append('\n');
    }
    Files.writeString(dir.resolve("config.yml"), yml.toString(), StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/v2/").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        int code = c.getResponseCode();
        c.disconnect();
        if (code == 200 || code == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("docker-registry not ready within 30 s");
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /**
   * Stops the registry (and its file server).
   *
   * @throws Exception when interrupted or the file server fails to close
   */
  public void stop() throws Exception {
    stopProcess();
    if (fileServer != null) {
      fileServer.close();
    }
    deleteStorage();
  }

  /**
   * Removes the stopped registry's blobs (they can be hundreds of MB per class); its config and
   * log stay under {@code target/registries/} for a look after a failure.
   */
  private void deleteStorage() throws IOException {
    if (dir == null || !Files.isDirectory(dir.resolve("data"))) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(dir.resolve("data"))) {
      for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void stopProcess() throws InterruptedException {
    if (shutdownHook != null) {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
      shutdownHook = null;
    }
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  /** {@return {@code 127.0.0.1:<port>}, the registry name for references} */
  public String registry() {
    return "127.0.0.1:" + port;
  }

  /**
   * @param name {@code <repository>:<tag>} or {@code <repository>@<digest>}
   * @return the skopeo reference {@code docker://127.0.0.1:<port>/<name>}
   */
  public String docker(String name) {
    return "docker://" + registry() + "/" + name;
  }

  /** {@return {@code http://127.0.0.1:<port>}} */
  public String url() {
    return "http://" + registry();
  }

  /** {@return the user of a Basic-auth registry} */
  public String user() {
    return user;
  }

  /** {@return the password of a Basic-auth registry} */
  public String password() {
    return password;
  }

  /** {@return the storage directory} */
  public Path storage() {
    return dir.resolve("data");
  }

  /** {@return the file server blob reads are redirected to; null without redirects} */
  public RecordingFileServer fileServer() {
    return fileServer;
  }

  /** {@return the registry's log, for failure messages} */
  public Path log() {
    return dir.resolve("registry.log");
  }
}
