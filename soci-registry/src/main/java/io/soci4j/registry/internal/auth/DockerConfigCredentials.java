package io.soci4j.registry.internal.auth;

import io.soci4j.registry.Credential;
import io.soci4j.registry.CredentialsProvider;
import io.soci4j.registry.internal.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials from docker's {@code config.json}: {@code credHelpers[host]}, else
 * {@code credsStore}, else {@code auths} (exact key, then keys reduced to their host name).
 * Docker Hub's names all map to the key {@code https://index.docker.io/v1/}. Answers are cached
 * per registry for ten minutes.
 */
public final class DockerConfigCredentials implements CredentialsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(DockerConfigCredentials.class);
  static final String HUB_KEY = "https://index.docker.io/v1/";
  private static final Set<String> HUB_HOSTS = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");
  private static final long TTL_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Path configFile;
  private final String pathEnv;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Optional<Credential> credential, long loadedAt) {}

  private DockerConfigCredentials(Path configFile, String pathEnv) {
    this.configFile = configFile;
    this.pathEnv = pathEnv;
  }

  /**
   * @param env the environment ({@code DOCKER_CONFIG}, {@code PATH})
   * @param home the user's home directory
   * @return the provider for {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}
   */
  public static DockerConfigCredentials fromEnvironment(Map<String, String> env, Path home) {
    String dir = env.get("DOCKER_CONFIG");
    Path configDir = dir != null && !dir.isEmpty() ? Path.of(dir) : home.resolve(".docker");
    return inDirectory(configDir, env);
  }

  /**
   * @param configDir the directory of {@code config.json}
   * @param env the environment ({@code PATH} for helpers)
   * @return the provider
   */
  public static DockerConfigCredentials inDirectory(Path configDir, Map<String, String> env) {
    return new DockerConfigCredentials(configDir.resolve("config.json"), env.get("PATH"));
  }

  @Override
  public Optional<Credential> credentialFor(String registry) throws IOException {
    Cached c = cache.get(registry);
    if (c != null && System.nanoTime() - c.loadedAt() < TTL_NANOS) {
      return c.credential();
    }
    Optional<Credential> found = lookup(registry);
    cache.put(registry, new Cached(found, System.nanoTime()));
    return found;
  }

  private Optional<Credential> lookup(String registry) throws IOException {
    DockerConfigJson config = read();
    if (config == null) {
      return Optional.empty();
    }
    boolean hub = HUB_HOSTS.contains(registry);
    String serverAddress = hub ? HUB_KEY : registry;
    Map<String, String> helpers = config.credHelpers() == null ? Map.of() : config.credHelpers();
    String helper = helpers.get(registry);
    if (helper == null) {
      helper = helpers.get(serverAddress);
    }
    if (helper == null && config.credsStore() != null && !config.credsStore().isEmpty()) {
      helper = config.credsStore();
    }
    if (helper != null && !helper.isEmpty()) {
      Optional<Credential> c = new CredentialHelper(helper, pathEnv).get(serverAddress);
      if (c.isPresent()) {
        return c;
      }
    }
    return fromAuths(config.auths(), registry, serverAddress, hub);
  }

  private DockerConfigJson read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(configFile);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return Json.read(bytes, DockerConfigJson.class);
    } catch (IOException e) {
      throw new IOException("cannot read docker config " + configFile + ": not valid JSON of the expected shape");
    }
  }

  private Optional<Credential> fromAuths(Map<String, DockerConfigJson.Entry> auths, String registry,
      String serverAddress, boolean hub) {
    if (auths == null || auths.isEmpty()) {
      return Optional.empty();
    }
    DockerConfigJson.Entry e = auths.get(serverAddress);
    if (e == null) {
      e = auths.get(registry);
    }
    if (e == null) {
      for (Map.Entry<String, DockerConfigJson.Entry> a : auths.entrySet()) {
        String host = hostOf(a.getKey());
        if (hub ? HUB_HOSTS.contains(host) : host.equals(registry)) {
          e = a.getValue();
          break;
        }
      }
    }
    return e == null ? Optional.empty() : toCredential(e, registry);
  }

  /** The key reduced to {@code host[:port]}, like docker's {@code ConvertToHostname}. */
  static String hostOf(String key) {
    String s = key;
    if (s.startsWith("http://")) {
      s = s.substring(7);
    } else if (s.startsWith("https://")) {
      s = s.substring(8);
    }
    int slash = s.indexOf('/');
    return slash < 0 ? s : s.substring(0, slash);
  }

  private Optional<Credential> toCredential(DockerConfigJson.Entry e, String registry) {
    String username = e.username() == null ? "" : e.username();
    if (e.identityToken() != null && !e.identityToken().isEmpty()) {
      return Optional.of(Credential.identityToken(username, e.identityToken()));
    }
    if (e.registryToken() != null && !e.registryToken().isEmpty()) {
      return Optional.of(Credential.registryToken(e.registryToken()));
    }
    String password = e.password() == null ? "" : e.password();
    if (e.auth() != null && !e.auth().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(e.auth().trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ex) {
        LOG.warn("ignoring the docker config entry for {}: its auth field is not base64", registry);
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        LOG.warn("ignoring the docker config entry for {}: its auth field is not user:password", registry);
        return Optional.empty();
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1).replace("\0", "");
    }
    if (username.isEmpty() || password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Credential.basic(username, password));
  }

  @Override
  public String toString() {
    return "DockerConfigCredentials[" + configFile + "]";
  }
}
