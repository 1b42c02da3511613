package io.soci4j.registry.internal.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.soci4j.registry.Credential;
import io.soci4j.registry.internal.model.Json;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-credential-<name> get} (docker-credential-helpers protocol): the server URL on
 * stdin, {@code {"ServerURL","Username","Secret"}} on stdout; a failure whose output says
 * "credentials not found" means none. A username of {@code <token>} marks an identity token.
 * stdout is never logged or put in messages; stderr is discarded.
 */
final class CredentialHelper {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_OUTPUT = 64 * 1024;

  private final String name;
  private final String pathEnv;

  /**
   * @param name the helper suffix, e.g. {@code osxkeychain}
   * @param pathEnv the PATH to find {@code docker-credential-<name>} on
   */
  CredentialHelper(String name, String pathEnv) {
    this.name = name;
    this.pathEnv = pathEnv == null ? "" : pathEnv;
  }

  record Output(@JsonProperty("ServerURL") String serverUrl, @JsonProperty("Username") String username,
      @JsonProperty("Secret") String secret) {
    @Override
    public String toString() {
      return "Output[<redacted>]";
    }
  }

  Optional<Credential> get(String serverUrl) throws IOException {
    Path exe = find();
    Process p = new ProcessBuilder(exe.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()),
        r -> {
          Thread t = new Thread(r, "soci4j-credential-helper");
          t.setDaemon(true);
          t.start();
        });
    try (OutputStream in = p.getOutputStream()) {
      in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the helper may exit without reading stdin; its exit code tells
    }
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(exe.getFileName() + " did not answer within " + TIMEOUT.toSeconds() + " s");
      }
      byte[] stdout = out.get();
      String text = new String(stdout, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        if (text.contains("credentials not found")) {
          return Optional.empty();
        }
        throw new IOException(exe.getFileName() + " get failed with exit code " + p.exitValue());
      }
      Output o = Json.read(stdout, Output.class);
      if (o.secret() == null || o.secret().isEmpty()) {
        return Optional.empty();
      }
      String user = o.username() == null ? "" : o.username();
      if (user.equals("<token>")) {
        return Optional.of(Credential.identityToken(user, o.secret()));
      }
      if (user.isEmpty()) {
        return Optional.empty(); // a secret without a user name is no usable Basic credential
      }
      return Optional.of(Credential.basic(user, o.secret()));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running " + exe.getFileName());
    } catch (ExecutionException e) {
      throw new IOException("reading the output of " + exe.getFileName() + " failed", e.getCause());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(exe.getFileName() + " printed something that is not its JSON answer");
    }
  }

  private Path find() throws IOException {
    String file = "docker-credential-" + name;
    for (String dir : pathEnv.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, file);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IOException("credential helper " + file + " is configured but not on the PATH");
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readNBytes(MAX_OUTPUT);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "CredentialHelper[" + name + "]";
  }
}
