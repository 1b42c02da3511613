package io.soci4j.registry;

import io.soci4j.registry.internal.auth.ChainedCredentials;
import io.soci4j.registry.internal.auth.DockerConfigCredentials;
import io.soci4j.registry.internal.auth.EcrCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link RegistryClient} gets credentials for a registry. The client asks only when a
 * registry challenges (and then caches tokens itself), so implementations may be slow (a
 * credential helper process, an AWS call).
 *
 * <pre>{@code
 * CredentialsProvider creds = CredentialsProvider.dockerConfig()   // ~/.docker/config.json
 *     .orElse(CredentialsProvider.ecr());                           // Amazon ECR via the AWS SDK
 * RegistryClient client = RegistryClient.builder().credentials(creds).build();
 * }</pre>
 */
@FunctionalInterface
public interface CredentialsProvider {

  /**
   * The credential for a registry.
   *
   * @param registry the registry as in image references, {@code host[:port]}: {@code docker.io}
   *     for Docker Hub; for a redirect target that challenges, its host (and port when not the
   *     default)
   * @return the credential, or empty to go anonymous
   * @throws IOException when looking it up fails (not when there is none)
   */
  Optional<Credential> credentialFor(String registry) throws IOException;

  /**
   * This provider, then {@code next} when this one has nothing.
   *
   * @param next the fallback
   * @return the chained provider
   */
  default CredentialsProvider orElse(CredentialsProvider next) {
    return new ChainedCredentials(List.of(this, Objects.requireNonNull(next, "next")));
  }

  /** {@return a provider with no credentials: anonymous access only} */
  static CredentialsProvider anonymous() {
    return registry -> Optional.empty();
  }

  /**
   * One credential for one registry.
   *
   * @param registry the registry, {@code host[:port]}, as in image references
   * @param credential its credential
   * @return the provider
   */
  static CredentialsProvider of(String registry, Credential credential) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(credential, "credential");
    return r -> r.equals(registry) ? Optional.of(credential) : Optional.empty();
  }

  /**
   * Docker's {@code config.json} in {@code $DOCKER_CONFIG}, else {@code ~/.docker}: {@code auths}
   * ({@code auth}, {@code identitytoken}, {@code registrytoken}), {@code credHelpers} and
   * {@code credsStore} through the {@code docker-credential-<name>} helpers on the PATH. Lookup
   * order per registry: its credential helper, else the credentials store, else {@code auths}.
   * A missing file means no credentials. Results are cached by the provider for ten minutes.
   *
   * @return the provider
   */
  static CredentialsProvider dockerConfig() {
    return DockerConfigCredentials.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Docker's {@code config.json} in a given directory, with helpers looked up on the PATH.
   *
   * @param configDir the directory holding {@code config.json}
   * @return the provider
   */
  static CredentialsProvider dockerConfig(Path configDir) {
    return DockerConfigCredentials.inDirectory(configDir, System.getenv());
  }

  /**
   * Amazon ECR: for hosts {@code <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]} (and the
   * other partitions), calls {@code GetAuthorizationToken} with the AWS SDK's default credentials
   * chain in the host's region (the FIPS endpoint for {@code ecr-fips} hosts), and caches the token
   * until shortly before it expires. Other hosts get nothing.
   *
   * @return the provider
   */
  static CredentialsProvider ecr() {
    return EcrCredentials.withDefaultChain();
  }

  /** {@return {@link #dockerConfig()}, then {@link #ecr()}: the client's default} */
  static CredentialsProvider defaults() {
    return dockerConfig().orElse(ecr());
  }
}
