package io.soci4j.registry;

import java.util.Objects;

/**
 * A secret for one registry: a username and password, an identity (OAuth2 refresh) token, or a
 * registry token sent as is. {@link #toString()} never shows the secret, and soci4j never puts it
 * in messages or logs.
 *
 * <pre>{@code
 * Credential c = Credential.basic("AWS", password);
 * CredentialsProvider p = CredentialsProvider.of("123456789012.dkr.ecr.us-east-1.amazonaws.com", c);
 * }</pre>
 */
public final class Credential {

  /** How the secret is used. */
  public enum Kind {
    /** Username and password: HTTP Basic, and Basic to the token server of a Bearer challenge. */
    BASIC,
    /** An OAuth2 refresh token, exchanged at the token server (docker's {@code identitytoken}). */
    IDENTITY_TOKEN,
    /** A bearer token sent to the registry directly (docker's {@code registrytoken}). */
    REGISTRY_TOKEN
  }

  private final Kind kind;
  private final String username;
  private final String secret;

  private Credential(Kind kind, String username, String secret) {
    this.kind = kind;
    this.username = Objects.requireNonNull(username, "username");
    this.secret = Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the secret of a " + kind + " credential is empty");
    }
  }

  /**
   * @param username the username, not empty
   * @param password the password, not empty
   * @return a Basic credential
   */
  public static Credential basic(String username, String password) {
    if (Objects.requireNonNull(username, "username").isEmpty()) {
      throw new IllegalArgumentException("the username of a basic credential is empty");
    }
    return new Credential(Kind.BASIC, username, password);
  }

  /**
   * @param username the account the token belongs to, may be empty (docker writes {@code <token>})
   * @param token the refresh token
   * @return an identity-token credential
   */
  public static Credential identityToken(String username, String token) {
    return new Credential(Kind.IDENTITY_TOKEN, username, token);
  }

  /**
   * @param token the bearer token
   * @return a registry-token credential
   */
  public static Credential registryToken(String token) {
    return new Credential(Kind.REGISTRY_TOKEN, "", token);
  }

  /** {@return how the secret is used} */
  public Kind kind() {
    return kind;
  }

  /** {@return the username; empty for registry tokens} */
  public String username() {
    return username;
  }

  /** {@return the password or token: handle with care, never log it} */
  public String secret() {
    return secret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credential c && kind == c.kind && username.equals(c.username) && secret.equals(c.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, username, secret);
  }

  /** {@return the kind and username; the secret is redacted} */
  @Override
  public String toString() {
    return "Credential[" + kind + (username.isEmpty() ? "" : ", username=" + username) + ", secret=<redacted>]";
  }
}
