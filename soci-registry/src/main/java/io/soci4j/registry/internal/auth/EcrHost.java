package io.soci4j.registry.internal.auth;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Amazon ECR private registry host, recognized with the pattern of
 * amazon-ecr-credential-helper ({@code ecr-login/api/client.go}): standard, FIPS
 * ({@code dkr.ecr-fips}), dual-stack ({@code dkr-ecr.<region>.on.aws}), China
 * ({@code .amazonaws.com.cn}), EU sovereign and the ISO partitions.
 *
 * @param account the 12-digit account id
 * @param region the region, e.g. {@code us-east-1}
 * @param fips whether the host is a FIPS endpoint
 */
public record EcrHost(String account, String region, boolean fips) {
  private static final Pattern ECR = Pattern.compile(
      "^(\\d{12})\\.dkr[.\\-]ecr(-fips)?\\.([a-zA-Z0-9][a-zA-Z0-9-_]*)\\."
          + "(amazonaws\\.(?:com(?:\\.cn)?|eu)|on\\.(?:aws|amazonwebservices\\.com\\.cn)|sc2s\\.sgov\\.gov"
          + "|c2s\\.ic\\.gov|cloud\\.adc-e\\.uk|csp\\.hci\\.ic\\.gov)$");

  /**
   * @param registry a registry name, {@code host[:port]}, or a URL
   * @return the ECR host, or empty when it is not one
   */
  public static Optional<EcrHost> parse(String registry) {
    String host = DockerConfigCredentials.hostOf(registry);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < 0) {
      host = host.substring(0, colon);
    }
    Matcher m = ECR.matcher(host);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new EcrHost(m.group(1), m.group(3), m.group(2) != null));
  }
}
