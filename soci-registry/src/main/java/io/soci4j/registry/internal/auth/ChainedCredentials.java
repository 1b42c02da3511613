package io.soci4j.registry.internal.auth;

import io.soci4j.registry.Credential;
import io.soci4j.registry.CredentialsProvider;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Asks providers in order; the first credential wins. */
public final class ChainedCredentials implements CredentialsProvider {
  private final List<CredentialsProvider> providers;

  /**
   * @param providers the providers, in order
   */
  public ChainedCredentials(List<CredentialsProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  @Override
  public Optional<Credential> credentialFor(String registry) throws IOException {
    for (CredentialsProvider p : providers) {
      Optional<Credential> c = p.credentialFor(registry);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "ChainedCredentials" + providers;
  }
}
