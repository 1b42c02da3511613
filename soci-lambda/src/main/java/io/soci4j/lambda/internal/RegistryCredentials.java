package io.soci4j.lambda.internal;

import io.soci4j.registry.CredentialsProvider;

/**
 * The credentials the handler authenticates with. In Lambda: the client's defaults (Docker config,
 * then ECR's {@code GetAuthorizationToken} through the AWS SDK's default chain for ECR hosts). With
 * a registry override ({@code SOCI_REGISTRY}) that host stands in for the account's ECR: Docker
 * config credentials for it first, then ECR's token for the event's account and region, so a
 * registry that accepts ECR's tokens (or a local one in tests, with the SDK pointed at a stand-in
 * by {@code AWS_ENDPOINT_URL_ECR}) is used the way the real ECR would be. ECR is only called when
 * the registry asks for credentials (a 401).
 */
public final class RegistryCredentials {
  private RegistryCredentials() {}

  /**
   * @param override the registry host[:port] standing in for ECR, or null for none
   * @param ecrHost the event's ECR host
   * @return the provider
   */
  public static CredentialsProvider forHost(String override, String ecrHost) {
    if (override == null) {
      return CredentialsProvider.defaults();
    }
    CredentialsProvider ecr = CredentialsProvider.ecr();
    CredentialsProvider standIn = registry -> ecr.credentialFor(registry.equals(override) ? ecrHost : registry);
    return CredentialsProvider.dockerConfig().orElse(standIn);
  }
}
