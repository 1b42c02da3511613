package io.soci4j.lambda;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link IndexOnPush} does, from environment variables in Lambda (all optional):
 *
 * <ul>
 *   <li>{@code SOCI_REPOSITORY_IMAGE_TAG_FILTERS}: comma-separated {@code repository:tag} globs
 *       (upstream's {@code soci_repository_image_tag_filters} is read too); default {@code *:*};
 *   <li>{@code SOCI_INDEX_VERSION}: {@code V2} (default: a SOCI-enabled image) or {@code V1}
 *       (v1 indexes as referrers);
 *   <li>{@code SOCI_TAG_SUFFIX}: appended to the pushed tag for V2 (default {@code -soci});
 *   <li>{@code SOCI_BUILD_TOOL}: the zTOCs' build tool identifier (default soci4j's);
 *   <li>{@code SOCI_ECR_FIPS}: {@code true} for the FIPS endpoints;
 *   <li>{@code SOCI_REGISTRY} and {@code SOCI_PLAIN_HTTP}: another registry than the account's
 *       ECR, for trying it elsewhere ({@code soci lambda-invoke --registry}); it stands in for the
 *       ECR: Docker config credentials for it, else ECR's token for the event's account and
 *       region (the AWS SDK's {@code AWS_ENDPOINT_URL_ECR} points that call elsewhere);
 *   <li>{@code SOCI_DEADLINE_MARGIN_SECONDS}: stop this long before the Lambda's deadline
 *       (default 30).
 * </ul>
 *
 * @param filters the filter globs, comma-separated
 * @param indexVersion {@code V2} or {@code V1}
 * @param tagSuffix the suffix for V2
 * @param buildTool the build tool identifier, or empty for the default
 * @param fips whether to use ECR's FIPS endpoints
 * @param registry a registry host[:port] replacing the account's ECR, or empty
 * @param plainHttp whether that registry speaks plain HTTP
 * @param deadlineMargin how long before the deadline to stop
 */
public record Settings(String filters, String indexVersion, String tagSuffix, String buildTool, boolean fips,
    Optional<String> registry, boolean plainHttp, Duration deadlineMargin) {
  /** The environment variables {@link #fromEnvironment} reads. */
  public static final java.util.List<String> VARIABLES = java.util.List.of("SOCI_REPOSITORY_IMAGE_TAG_FILTERS",
      "soci_repository_image_tag_filters", "SOCI_INDEX_VERSION", "SOCI_TAG_SUFFIX", "SOCI_BUILD_TOOL", "SOCI_ECR_FIPS",
      "SOCI_REGISTRY", "SOCI_PLAIN_HTTP", "SOCI_DEADLINE_MARGIN_SECONDS");

  /**
   * Validates.
   *
   * @param filters see the record component
   * @param indexVersion see the record component
   * @param tagSuffix see the record component
   * @param buildTool see the record component
   * @param fips see the record component
   * @param registry see the record component
   * @param plainHttp see the record component
   * @param deadlineMargin see the record component
   */
  public Settings {
    Objects.requireNonNull(filters, "filters");
    Objects.requireNonNull(buildTool, "buildTool");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(deadlineMargin, "deadlineMargin");
    if (!indexVersion.equals("V1") && !indexVersion.equals("V2")) {
      throw new IllegalArgumentException("SOCI_INDEX_VERSION must be V1 or V2, got '" + indexVersion + "'");
    }
    if (tagSuffix.isEmpty() || !tagSuffix.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("SOCI_TAG_SUFFIX must be 1 to 64 of [A-Za-z0-9_.-], got '" + tagSuffix + "'");
    }
    if (deadlineMargin.isNegative()) {
      throw new IllegalArgumentException("the deadline margin must not be negative");
    }
  }

  /**
   * @param env the environment
   * @return the settings it gives
   * @throws IllegalArgumentException when a value is invalid (named)
   */
  public static Settings fromEnvironment(Map<String, String> env) {
    String filters = env.getOrDefault("SOCI_REPOSITORY_IMAGE_TAG_FILTERS",
        env.getOrDefault("soci_repository_image_tag_filters", ""));
    String margin = env.getOrDefault("SOCI_DEADLINE_MARGIN_SECONDS", "30");
    Duration deadlineMargin;
    try {
      deadlineMargin = Duration.ofMillis((long) (Double.parseDouble(margin) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SOCI_DEADLINE_MARGIN_SECONDS must be a number of seconds, got '" + margin + "'");
    }
    String registry = env.getOrDefault("SOCI_REGISTRY", "");
    return new Settings(filters, env.getOrDefault("SOCI_INDEX_VERSION", "V2").toUpperCase(java.util.Locale.ROOT),
        env.getOrDefault("SOCI_TAG_SUFFIX", "-soci"), env.getOrDefault("SOCI_BUILD_TOOL", ""),
        flag(env, "SOCI_ECR_FIPS"),
        registry.isBlank() ? Optional.empty() : Optional.of(registry.trim()),
        flag(env, "SOCI_PLAIN_HTTP"), deadlineMargin);
  }

  private static boolean flag(Map<String, String> env, String name) {
    String v = env.getOrDefault(name, "false").trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false") || v.isEmpty()) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
  }

  /**
   * @param host a registry host[:port] replacing the account's ECR
   * @param plain whether it speaks plain HTTP
   * @return a copy using it
   */
  public Settings withRegistry(String host, boolean plain) {
    return new Settings(filters, indexVersion, tagSuffix, buildTool, fips, Optional.of(host), plain, deadlineMargin);
  }

  /**
   * @param id the build tool identifier
   * @return a copy with it
   */
  public Settings withBuildTool(String id) {
    return new Settings(filters, indexVersion, tagSuffix, id, fips, registry, plainHttp, deadlineMargin);
  }
}
