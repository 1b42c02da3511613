package io.soci4j.registry.testing;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * A bearer token server (distribution {@code token.md}) played by MockWebServer: the Debian
 * package has no token server. {@code GET /token?service=&scope=...} answers
 * {@code {"token": ..., "expires_in": ...}}; the token encodes the granted scopes so
 * {@link FaultProxy#requireBearer} can check them. Optionally demands Basic credentials.
 */
public final class TokenServer implements Closeable {
  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile String basicAuth;
  private volatile long expiresIn = 300;
  private volatile boolean grantNothing;
  private volatile String refreshToken;

  private TokenServer() {}

  /**
   * @return a started token server
   * @throws IOException when it cannot listen
   */
  public static TokenServer start() throws IOException {
    TokenServer t = new TokenServer();
    t.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return t.answer(request);
      }
    });
    t.server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    return t;
  }

  /**
   * @param user the user to demand
   * @param password its password
   */
  public void requireBasic(String user, String password) {
    this.basicAuth = okhttp3.Credentials.basic(user, password);
  }

  /**
   * @param seconds the lifetime of the tokens issued from now on
   */
  public void expiresIn(long seconds) {
    this.expiresIn = seconds;
  }

  /**
   * Accepts the OAuth2 {@code POST} with {@code grant_type=refresh_token} and this refresh token;
   * without this call a POST gets 404, as from token servers that only speak the GET flow.
   *
   * @param token the refresh token to accept
   */
  public void acceptRefreshToken(String token) {
    this.refreshToken = token;
  }

  /** From now on, answer 401 with an OCI error body echoing the request's headers. */
  public void reflect() {
    this.reflect = true;
  }

  /** From now on, issue tokens that grant no scope (the registry then answers insufficient_scope). */
  public void grantNothing() {
    this.grantNothing = true;
  }

  private volatile boolean reflect;

  private MockResponse answer(RecordedRequest request) {
    requests.add(request);
    if (reflect) {
      String echo = request.getHeaders().toString().replace("\n", "; ").replace("\"", "'");
      return new MockResponse.Builder().code(401).body("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
          + "\"you sent " + echo + " to " + request.getUrl() + "\"}]}").build();
    }
    if (request.getMethod().equals("POST")) {
      return oauth(request);
    }
    if (basicAuth != null && !basicAuth.equals(request.getHeaders().get("Authorization"))) {
      return new MockResponse.Builder().code(401).body("{\"details\":\"incorrect username or password\"}").build();
    }
    HttpUrl url = request.getUrl();
    TreeSet<String> scopes = new TreeSet<>(url.queryParameterValues("scope").stream()
        .filter(java.util.Objects::nonNull).toList());
    if (grantNothing) {
      scopes.clear();
    }
    String token = "tok" + issued.incrementAndGet() + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(String.join(" ", scopes).getBytes(StandardCharsets.UTF_8));
    return new MockResponse(200, Headers.of("Content-Type", "text/plain"),
        "{\"token\":\"" + token + "\",\"expires_in\":" + expiresIn + "}");
  }

  private MockResponse oauth(RecordedRequest request) {
    if (refreshToken == null) {
      return new MockResponse.Builder().code(404).body("404 page not found").build();
    }
    HttpUrl form = HttpUrl.get("http://x/?" + request.getBody().utf8());
    if (!"refresh_token".equals(form.queryParameter("grant_type")) || !refreshToken.equals(form.queryParameter(
        "refresh_token")) || form.queryParameter("client_id") == null) {
      return new MockResponse.Builder().code(401).body("{\"error\":\"invalid_grant\"}").build();
    }
    TreeSet<String> scopes = new TreeSet<>(List.of(form.queryParameter("scope").split(" ")));
    return new MockResponse(200, Headers.of("Content-Type", "application/json"), "{\"access_token\":\"tok"
        + issued.incrementAndGet() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        String.join(" ", scopes).getBytes(StandardCharsets.UTF_8)) + "\",\"expires_in\":" + expiresIn + "}");
  }

  /**
   * @param token a token this server issued
   * @return the scopes it grants; empty for anything else
   */
  public static Set<String> scopesOf(String token) {
    int dot = token.indexOf('.');
    if (!token.startsWith("tok") || dot < 0) {
      return Set.of();
    }
    String joined = new String(Base64.getUrlDecoder().decode(token.substring(dot + 1)), StandardCharsets.UTF_8);
    return joined.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(joined.split(" ")));
  }

  /** {@return the realm URL} */
  public String realm() {
    return server.url("/token").toString();
  }

  /** {@return the token requests so far} */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.close();
  }
}
