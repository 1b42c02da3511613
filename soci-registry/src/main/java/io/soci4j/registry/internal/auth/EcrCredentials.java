package io.soci4j.registry.internal.auth;

import io.soci4j.registry.Credential;
import io.soci4j.registry.CredentialsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

/**
 * Amazon ECR credentials: {@code GetAuthorizationToken} in the region of the registry host, with
 * the AWS SDK's default credentials chain, decoded from {@code base64(AWS:<password>)} to a Basic
 * credential. One token per (region, FIPS) is cached until {@link #REFRESH_BEFORE} before it
 * expires (ECR tokens last 12 hours); one {@link EcrClient} per (region, FIPS) is kept.
 */
public final class EcrCredentials implements CredentialsProvider {
  /** A token is refreshed this long before ECR says it expires. */
  public static final Duration REFRESH_BEFORE = Duration.ofMinutes(15);

  private final Function<EcrHost, EcrClient> clientFactory;
  private final Clock clock;
  private final Map<String, EcrClient> clients = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private record Token(Credential credential, Instant refreshAt) {}

  /**
   * @param clientFactory makes the ECR API client for a host's region (tests point it elsewhere)
   * @param clock the clock expiry is checked with
   */
  public EcrCredentials(Function<EcrHost, EcrClient> clientFactory, Clock clock) {
    this.clientFactory = clientFactory;
    this.clock = clock;
  }

  /** {@return the provider using the default credentials chain and the JDK HTTP client} */
  public static EcrCredentials withDefaultChain() {
    return new EcrCredentials(host -> EcrClient.builder()
        .region(Region.of(host.region()))
        .fipsEnabled(host.fips())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClient(UrlConnectionHttpClient.create())
        .build(), Clock.systemUTC());
  }

  @Override
  public Optional<Credential> credentialFor(String registry) throws IOException {
    Optional<EcrHost> parsed = EcrHost.parse(registry);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    EcrHost host = parsed.get();
    String key = host.region() + (host.fips() ? "/fips" : "");
    synchronized (tokens) {
      Token t = tokens.get(key);
      if (t != null && clock.instant().isBefore(t.refreshAt())) {
        return Optional.of(t.credential());
      }
      t = fetch(host, key);
      tokens.put(key, t);
      return Optional.of(t.credential());
    }
  }

  private Token fetch(EcrHost host, String key) throws IOException {
    AuthorizationData data;
    try {
      EcrClient ecr = clients.computeIfAbsent(key, k -> clientFactory.apply(host));
      GetAuthorizationTokenResponse response = ecr.getAuthorizationToken(b -> {});
      if (!response.hasAuthorizationData() || response.authorizationData().isEmpty()) {
        throw new IOException("ECR GetAuthorizationToken in " + host.region() + " returned no authorization data");
      }
      data = response.authorizationData().get(0);
    } catch (SdkException e) {
      throw new IOException("ECR GetAuthorizationToken in " + host.region() + " failed: " + e.getClass().getSimpleName()
          + ": " + e.getMessage(), e);
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("ECR returned an authorization token that is not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon == decoded.length() - 1) {
      throw new IOException("ECR returned an authorization token that is not user:password");
    }
    Credential c = Credential.basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    Instant expires = data.expiresAt() == null ? clock.instant().plus(Duration.ofHours(1)) : data.expiresAt();
    return new Token(c, expires.minus(REFRESH_BEFORE));
  }

  @Override
  public String toString() {
    return "EcrCredentials";
  }
}
