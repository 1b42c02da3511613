package io.soci4j.registry.internal.auth;

import io.soci4j.registry.Credential;
import io.soci4j.registry.RegistryCall;
import io.soci4j.registry.RegistryError;
import io.soci4j.registry.RegistryException;
import io.soci4j.registry.internal.http.Bodies;
import io.soci4j.registry.internal.model.ErrorBody;
import io.soci4j.registry.internal.model.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Gets bearer tokens from a token server: {@code GET realm?service=&scope=...} (with Basic
 * credentials, or anonymously), or the OAuth2 {@code POST} with a refresh token for identity
 * tokens, falling back to the GET when the server answers 404 (distribution {@code token.md},
 * {@code oauth.md}). The body is parsed as JSON whatever its Content-Type says.
 */
public final class TokenClient {
  /** Lifetime assumed when the server names none, and the minimum (token.md). */
  static final long MIN_EXPIRES_IN = 60;
  /** Stop sending a token this long before it expires. */
  static final Duration MARGIN = Duration.ofSeconds(10);
  private static final int MAX_BODY = 1 << 20;
  private static final String CLIENT_ID = "soci4j";

  private final OkHttpClient http;
  private final Clock clock;

  /**
   * @param http a client without authenticator or credentials of its own
   * @param clock the clock expiry is measured with
   */
  public TokenClient(OkHttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /**
   * @param realm the token server URL
   * @param service the service parameter; empty for none
   * @param scopes the scopes, needed ones first
   * @param credential the credential, or null for an anonymous token
   * @return the token; its expiry is measured from when the request started (so clock skew with
   *     the server cannot make it look valid longer than it is)
   * @throws IOException when the token server fails or refuses
   */
  public BearerToken fetch(HttpUrl realm, String service, ScopeSet scopes, Credential credential)
      throws IOException {
    Instant start = clock.instant();
    if (credential != null && credential.kind() == Credential.Kind.IDENTITY_TOKEN) {
      FormBody.Builder form = new FormBody.Builder()
          .add("grant_type", "refresh_token")
          .add("client_id", CLIENT_ID)
          .add("refresh_token", credential.secret());
      if (!service.isEmpty()) {
        form.add("service", service);
      }
      if (!scopes.isEmpty()) {
        form.add("scope", String.join(" ", scopes.params()));
      }
      Request post = new Request.Builder().url(realm).post(form.build()).build();
      try (Response r = http.newCall(post).execute()) {
        if (r.code() != 404 && r.code() != 405) {
          return parse(r, start);
        }
      }
    }
    HttpUrl.Builder url = realm.newBuilder();
    if (!service.isEmpty()) {
      url.addQueryParameter("service", service);
    }
    for (String s : scopes.params()) {
      url.addQueryParameter("scope", s);
    }
    Request.Builder get = new Request.Builder().url(url.build()).get();
    if (credential != null && credential.kind() != Credential.Kind.REGISTRY_TOKEN) {
      get.header("Authorization", okhttp3.Credentials.basic(credential.username(), credential.secret(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
    try (Response r = http.newCall(get.build()).execute()) {
      return parse(r, start);
    }
  }

  private BearerToken parse(Response r, Instant start) throws IOException {
    RegistryCall call = new RegistryCall(Origins.credentialName(r.request().url()), "", r.request().method(),
        Origins.withoutQuery(r.request().url()));
    if (r.code() != 200) {
      List<RegistryError> errors = io.soci4j.registry.internal.http.SecretScrubber.scrub(
          ErrorBody.parse(Bodies.readPrefix(r.body(), ErrorBody.MAX_BYTES)), r.request());
      throw new RegistryException("get a token from the token server", call, r.code(), errors, null);
    }
    byte[] bytes = Bodies.readAtMost(r.body(), MAX_BODY, "token server answer");
    TokenJson json;
    try {
      json = Json.read(bytes, TokenJson.class);
    } catch (IOException e) {
      // never include the body: it may hold a token
      throw new RegistryException("parse the token server's answer (not JSON)", call, 0, List.of(), null);
    }
    String token = json.token() != null && !json.token().isEmpty() ? json.token() : json.accessToken();
    if (token == null || token.isEmpty()) {
      throw new RegistryException("get a token from the token server (the answer has no token)", call, 0,
          List.of(), null);
    }
    long expiresIn = json.expiresIn() == null ? MIN_EXPIRES_IN : Math.max(MIN_EXPIRES_IN, json.expiresIn());
    return new BearerToken(token, start.plusSeconds(expiresIn).minus(MARGIN));
  }
}
