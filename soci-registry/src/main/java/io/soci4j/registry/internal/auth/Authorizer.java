package io.soci4j.registry.internal.auth;

import io.soci4j.registry.Credential;
import io.soci4j.registry.CredentialsProvider;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import okhttp3.Challenge;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth state of one client: which scheme each origin asked for, and the bearer tokens it
 * handed out, keyed by (origin, realm, service, scopes, credential). Used preemptively by
 * {@link AuthInterceptor} and on 401 answers by {@link RegistryAuthenticator}.
 *
 * <p>Credentials go only to the origin that challenged for them: preemptively only to the
 * registry's own origin (never to a redirect target); on a challenge from another origin (a
 * storage host), only what the credentials provider has for that host, usually nothing, so the
 * token is anonymous. Retries are bounded: a request is answered 401 at most three times.
 */
public final class Authorizer {
  private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);
  /** 401 answers to one request before giving up. */
  static final int MAX_CHALLENGES = 3;

  private final CredentialsProvider credentials;
  private final TokenClient tokens;
  private final Clock clock;
  private final ConcurrentMap<String, AuthScheme> schemes = new ConcurrentHashMap<>();
  private final ConcurrentMap<TokenKey, BearerToken> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<TokenKey, Object> fetchLocks = new ConcurrentHashMap<>();

  /**
   * @param credentials where credentials come from
   * @param tokens the token server client
   * @param clock the clock token expiry is checked with
   */
  public Authorizer(CredentialsProvider credentials, TokenClient tokens, Clock clock) {
    this.credentials = credentials;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * The Authorization header to send before any challenge, when the registry's origin asked
   * for auth earlier.
   *
   * @param request a request carrying an {@link AuthTag}
   * @return the header value, or null for none
   * @throws IOException when a token cannot be obtained
   */
  public String preemptive(Request request) throws IOException {
    AuthTag tag = request.tag(AuthTag.class);
    if (tag == null || !Origins.of(request.url()).equals(tag.registryOrigin())) {
      return null;
    }
    AuthScheme scheme = schemes.get(tag.registryOrigin());
    if (scheme == null) {
      return null;
    }
    Credential credential = credentialFor(tag.registry()).orElse(null);
    if (scheme instanceof AuthScheme.Basic) {
      return basicHeader(credential);
    }
    AuthScheme.Bearer bearer = (AuthScheme.Bearer) scheme;
    return bearerHeader(request.url(), bearer, tag.scopes(), credential, null);
  }

  /**
   * Answers a 401: the same request with credentials for the challenge, or null to give up.
   *
   * @param response the 401 response
   * @return the request to send next, or null
   * @throws IOException when a token cannot be obtained
   */
  public Request onChallenge(Response response) throws IOException {
    Request request = response.request();
    AuthTag tag = request.tag(AuthTag.class);
    if (tag == null || response.code() != 401 || challengeCount(response) >= MAX_CHALLENGES) {
      return null;
    }
    HttpUrl url = request.url();
    String origin = Origins.of(url);
    boolean registry = origin.equals(tag.registryOrigin());
    String name = registry ? tag.registry() : Origins.credentialName(url);
    Challenge bearer = find(response.challenges(), "Bearer");
    Challenge basic = find(response.challenges(), "Basic");
    String sent = request.header("Authorization");
    Credential credential = credentialFor(name).orElse(null);
    String header = null;
    if (bearer != null && bearer.realm() != null) {
      String service = bearer.authParams().getOrDefault("service", "");
      AuthScheme.Bearer scheme = new AuthScheme.Bearer(bearer.realm(), service == null ? "" : service);
      ScopeSet scopes = (registry ? tag.scopes() : ScopeSet.EMPTY)
          .merge(ScopeSet.parse(bearer.authParams().get("scope")));
      header = bearerHeader(url, scheme, scopes, credential, sent);
      schemes.put(origin, scheme);
    } else if (basic != null) {
      header = basicHeader(credential);
      if (header != null) {
        schemes.put(origin, new AuthScheme.Basic());
      }
    }
    if (header == null || header.equals(sent)) {
      LOG.debug("giving up on the 401 from {}: no (new) credentials for {}", origin, name);
      return null;
    }
    return request.newBuilder().header("Authorization", header).build();
  }

  private String bearerHeader(HttpUrl url, AuthScheme.Bearer scheme, ScopeSet scopes, Credential credential,
      String rejected) throws IOException {
    if (credential != null && credential.kind() == Credential.Kind.REGISTRY_TOKEN) {
      return "Bearer " + credential.secret();
    }
    TokenKey key = new TokenKey(Origins.of(url), scheme.realm(), scheme.service(), scopes.key(), credential);
    synchronized (fetchLocks.computeIfAbsent(key, k -> new Object())) {
      BearerToken token = cache.get(key);
      if (token == null || !token.usableAt(clock.instant()) || token.header().equals(rejected)) {
        HttpUrl realm = RealmPolicy.check(scheme.realm(), url);
        token = tokens.fetch(realm, scheme.service(), scopes, credential);
        cache.put(key, token);
        LOG.debug("new token for {} scopes [{}] from {}", Origins.of(url), scopes.key(), Origins.withoutQuery(realm));
      }
      return token.header();
    }
  }

  private static String basicHeader(Credential credential) {
    if (credential == null || credential.kind() != Credential.Kind.BASIC) {
      return null;
    }
    return okhttp3.Credentials.basic(credential.username(), credential.secret(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private Optional<Credential> credentialFor(String name) throws IOException {
    return credentials.credentialFor(name);
  }

  private static Challenge find(List<Challenge> challenges, String scheme) {
    for (Challenge c : challenges) {
      if (c.scheme().equalsIgnoreCase(scheme)) {
        return c;
      }
    }
    return null;
  }

  private static int challengeCount(Response response) {
    int n = 0;
    for (Response r = response; r != null; r = r.priorResponse()) {
      if (r.code() == 401) {
        n++;
      }
    }
    return n;
  }

  /** {@return how many tokens are cached (for tests)} */
  public int cachedTokens() {
    return cache.size();
  }
}
