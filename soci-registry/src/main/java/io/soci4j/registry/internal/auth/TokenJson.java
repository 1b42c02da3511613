package io.soci4j.registry.internal.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A token server's answer (distribution {@code token.md} and {@code oauth.md}).
 *
 * @param token the token (docker style)
 * @param accessToken the token (OAuth2 style)
 * @param expiresIn lifetime in seconds, or null
 */
record TokenJson(String token, @JsonProperty("access_token") String accessToken,
    @JsonProperty("expires_in") Long expiresIn) {

  @Override
  public String toString() {
    return "TokenJson[<redacted>, expiresIn=" + expiresIn + "]";
  }
}
