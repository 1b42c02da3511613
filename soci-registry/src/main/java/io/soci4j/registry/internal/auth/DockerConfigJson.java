package io.soci4j.registry.internal.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The parts of docker's {@code config.json} used for credentials (docker/cli
 * {@code configfile/file.go}, {@code types/authconfig.go}). toString shows no secrets.
 *
 * @param auths registry key to entry
 * @param credHelpers registry host to helper suffix
 * @param credsStore the default helper suffix
 */
record DockerConfigJson(Map<String, Entry> auths, Map<String, String> credHelpers, String credsStore) {

  /**
   * One {@code auths} entry.
   *
   * @param auth base64 of {@code user:password}
   * @param username user name
   * @param password password
   * @param identityToken OAuth2 refresh token
   * @param registryToken bearer token for the registry
   */
  record Entry(String auth, String username, String password,
      @JsonProperty("identitytoken") String identityToken,
      @JsonProperty("registrytoken") String registryToken) {

    @Override
    public String toString() {
      return "Entry[<redacted>]";
    }
  }

  @Override
  public String toString() {
    return "DockerConfigJson[auths=" + (auths == null ? "{}" : auths.keySet()) + ", credHelpers=" + credHelpers
        + ", credsStore=" + credsStore + "]";
  }
}
