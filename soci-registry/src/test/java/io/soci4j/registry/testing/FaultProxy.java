package io.soci4j.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reverse proxy in front of a real registry that injects faults into matching requests: a
 * canned status (500, 429 with Retry-After...), a truncated or corrupted body, a Range header
 * dropped (the upstream then answers 200 with the whole blob), a 206 rewrapped as
 * {@code multipart/byteranges}, a stalled answer; and optionally demands bearer tokens from a
 * {@link TokenServer}. Everything else is forwarded unchanged ({@code Location} headers rewritten
 * to point back at the proxy). Every request is recorded. With {@link #throttle}, the bodies it
 * forwards go out at a limited rate, shared by all connections (a slow link on loopback).
 */
public final class FaultProxy implements Closeable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
      "content-length", "host", "upgrade", "expect", "te", "trailer", "proxy-connection");
  private static final Pattern REPO_PATH = Pattern.compile("^/v2/(.+?)/(manifests|blobs|referrers|tags)/.*");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  private final String upstreamUrl;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile String bearerRealm;
  private volatile TokenBucket bandwidth;
  private volatile int referrersPageSize;
  private volatile boolean referrersFilter;
  private final AtomicInteger referrersPages = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private static final Pattern REFERRERS = Pattern.compile("^/v2/(.+)/referrers/(sha256):([0-9a-f]{64})$");

  /** What to do to a matching request. */
  public enum Kind {
    /** Answer with a canned status, headers and body instead of forwarding. */
    RESPOND,
    /** Forward, then send only the first bytes of the body and drop the connection. */
    TRUNCATE,
    /** Forward, then flip the last byte of the body. */
    CORRUPT,
    /** Forward without the Range header. */
    IGNORE_RANGE,
    /** Forward, and rewrap a 206 as multipart/byteranges. */
    MULTIPART,
    /** Signal arrival, then hold the answer until the proxy closes or the rule is released (then forward). */
    STALL,
    /** Forward, replacing response headers with the rule's. */
    SET_HEADERS,
    /**
     * Answer 500 with an OCI error body whose message echoes the request's URL and every header
     * (Authorization included), as a careless or hostile server might.
     */
    REFLECT
  }

  /** A fault for requests whose method and path match, applied {@code times} times. */
  public static final class Rule {
    final String method;
    final Pattern path;
    final Kind kind;
    final AtomicInteger remaining;
    int status;
    Map<String, String> headers = Map.of();
    String body = "";
    int keepBytes;
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger applied = new AtomicInteger();
    int every;
    boolean unlimited;
    final AtomicInteger seen = new AtomicInteger();

    Rule(String method, String pathRegex, Kind kind, int times) {
      this.method = method;
      this.path = Pattern.compile(pathRegex);
      this.kind = kind;
      this.remaining = new AtomicInteger(times);
    }

    boolean take(String m, String p) {
      if ((method != null && !method.equals(m)) || !path.matcher(p).matches()) {
        return false;
      }
      boolean take = (every == 0 || seen.incrementAndGet() % every == 0)
          && (unlimited || remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0);
      if (take) {
        applied.incrementAndGet();
      }
      return take;
    }

    /** {@return how many requests it was applied to} */
    public int applied() {
      return applied.get();
    }

    /** {@return how many more requests it applies to} */
    public int remaining() {
      return remaining.get();
    }

    /**
     * @param seconds how long to wait for the first match (hang guard)
     * @return whether a request arrived
     * @throws InterruptedException when interrupted
     */
    public boolean awaitArrival(long seconds) throws InterruptedException {
      return arrived.await(seconds, TimeUnit.SECONDS);
    }

    /** A {@link Kind#STALL} rule: forwards the requests it holds (and those it would hold from now on). */
    public void release() {
      released.countDown();
    }
  }

  private FaultProxy(String upstreamUrl) throws IOException {
    this.upstreamUrl = upstreamUrl;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * @param upstreamUrl {@code http://host:port} of the registry
   * @return the started proxy
   * @throws IOException when it cannot listen
   */
  public static FaultProxy start(String upstreamUrl) throws IOException {
    return new FaultProxy(upstreamUrl);
  }

  /** {@return {@code 127.0.0.1:<port>}, the registry name to use in references} */
  public String registry() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private String origin() {
    return "http://" + registry();
  }

  /**
   * Answers matching requests with a canned response instead of forwarding them.
   *
   * @param method the method, or null for any
   * @param pathRegex a regex for the whole path
   * @param times how many requests
   * @param status the status
   * @param headers response headers
   * @param body response body
   * @return the rule
   */
  public Rule respond(String method, String pathRegex, int times, int status, Map<String, String> headers,
      String body) {
    Rule r = new Rule(method, pathRegex, Kind.RESPOND, times);
    r.status = status;
    r.headers = headers;
    r.body = body;
    rules.add(r);
    return r;
  }

  /**
   * Forwards matching requests, replacing response headers.
   *
   * @param method the method, or null for any
   * @param pathRegex a regex for the whole path
   * @param times how many requests
   * @param headers the headers to set on the answer
   * @return the rule
   */
  public Rule setHeaders(String method, String pathRegex, int times, Map<String, String> headers) {
    Rule r = new Rule(method, pathRegex, Kind.SET_HEADERS, times);
    r.headers = headers;
    rules.add(r);
    return r;
  }

  /**
   * Applies a fault to every {@code every}-th matching request, for as long as the proxy runs.
   *
   * @param method HTTP method, or null for any
   * @param pathRegex a regex for the whole path
   * @param every 1 for each request, 10 for one in ten
   * @param kind what to do (not RESPOND)
   * @return the rule
   */
  public Rule injectEvery(String method, String pathRegex, int every, Kind kind) {
    return periodic(method, pathRegex, every, kind, true);
  }

  /**
   * Applies a fault to the {@code n}-th matching request only.
   *
   * @param method HTTP method, or null for any
   * @param pathRegex a regex for the whole path
   * @param n 1 for the first matching request
   * @param kind what to do (not RESPOND)
   * @return the rule
   */
  public Rule injectNth(String method, String pathRegex, int n, Kind kind) {
    return periodic(method, pathRegex, n, kind, false);
  }

  /** A rule for every {@code every}-th matching request; once only unless {@code unlimited}. */
  private Rule periodic(String method, String pathRegex, int every, Kind kind, boolean unlimited) {
    Rule r = new Rule(method, pathRegex, kind, 1);
    r.every = every;
    r.unlimited = unlimited;
    rules.add(r);
    return r;
  }

  /**
   * @param method the method, or null for any
   * @param pathRegex a regex for the whole path
   * @param times how many requests
   * @param kind what to do (not RESPOND)
   * @return the rule
   */
  public Rule inject(String method, String pathRegex, int times, Kind kind) {
    Rule r = new Rule(method, pathRegex, kind, times);
    r.keepBytes = 100;
    rules.add(r);
    return r;
  }

  /**
   * Demands {@code Authorization: Bearer <token>} issued by a {@link TokenServer} with the scope
   * each request needs (pull for GET/HEAD, push otherwise), answering 401 challenges otherwise.
   *
   * @param realm the token server URL
   */
  public void requireBearer(String realm) {
    this.bearerRealm = realm;
  }

  /**
   * Serves the OCI 1.1 referrers API that the registry lacks, from the registry's own fallback
   * tag index: {@code pageSize} descriptors per page, further pages linked with
   * {@code Link: <...>; rel="next"}, and the {@code artifactType} filter applied (with
   * {@code OCI-Filters-Applied}) only when {@code filter} is set.
   *
   * @param pageSize descriptors per page
   * @param filter whether to apply the artifactType filter
   */
  public void emulateReferrersApi(int pageSize, boolean filter) {
    this.referrersPageSize = pageSize;
    this.referrersFilter = filter;
  }

  /**
   * Limits the rate of forwarded response bodies (all connections together), e.g. {@code
   * throttle(TokenBucket.of(50_000_000))} for about 50 MB/s.
   *
   * @param bucket the limit, or null for none
   */
  public void throttle(TokenBucket bucket) {
    this.bandwidth = bucket;
  }

  /** {@return how many referrers pages were served} */
  public int referrersPagesServed() {
    return referrersPages.get();
  }

  /** {@return the answers forwarded whole so far (bodies included)} */
  public int answered() {
    return answered.get();
  }

  /** {@return the requests so far} */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      Map<String, List<String>> headers = new HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      requests.add(new RecordedRequest(method, path + (query == null ? "" : "?" + query), headers));
      byte[] requestBody = ex.getRequestBody().readAllBytes();
      if (bearerRealm != null && !authorized(ex, method, path)) {
        return;
      }
      Matcher ref = REFERRERS.matcher(path);
      if (referrersPageSize > 0 && method.equals("GET") && ref.matches()) {
        serveReferrers(ex, ref.group(1), ref.group(2) + "-" + ref.group(3), query);
        return;
      }
      Rule rule = null;
      for (Rule r : rules) {
        if (r.take(method, path)) {
          rule = r;
          break;
        }
      }
      Kind kind = rule == null ? null : rule.kind;
      if (kind == Kind.RESPOND) {
        rule.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        byte[] b = rule.body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(rule.status, b.length == 0 || method.equals("HEAD") ? -1 : b.length);
        if (b.length > 0 && !method.equals("HEAD")) {
          ex.getResponseBody().write(b);
        }
        return;
      }
      if (kind == Kind.REFLECT) {
        StringBuilder echo = new StringBuilder(method + " " + ex.getRequestURI());
        ex.getRequestHeaders().forEach((k, v) -> echo.append("; ").append(k).append(": ").append(String.join(",", v)));
        String text = echo.toString().replace("\\", "\\\\").replace("\"", "\\\"");
        byte[] b = ("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"you sent " + text + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(500, method.equals("HEAD") ? -1 : b.length);
        if (!method.equals("HEAD")) {
          ex.getResponseBody().write(b);
        }
        return;
      }
      if (kind == Kind.STALL) {
        rule.arrived.countDown();
        while (!rule.released.await(20, TimeUnit.MILLISECONDS)) {
          if (closed.getCount() == 0) {
            return;
          }
        }
      }
      forward(ex, method, path, query, requestBody, rule);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean authorized(HttpExchange ex, String method, String path) throws IOException {
    Matcher m = REPO_PATH.matcher(path);
    String needed = null;
    if (m.matches()) {
      boolean read = method.equals("GET") || method.equals("HEAD");
      needed = "repository:" + m.group(1) + ":" + (read ? "pull" : "pull,push");
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    Set<String> granted = token == null ? Set.of() : TokenServer.scopesOf(token);
    boolean ok = token != null && !granted.isEmpty() || token != null && needed == null;
    if (ok && needed != null) {
      ok = covers(granted, needed);
    }
    if (ok) {
      return true;
    }
    String challenge = "Bearer realm=\"" + bearerRealm + "\",service=\"soci4j-test\""
        + (needed == null ? "" : ",scope=\"" + needed + "\"") + (token != null ? ",error=\"insufficient_scope\"" : "");
    ex.getResponseHeaders().set("WWW-Authenticate", challenge);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    byte[] b = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(401, method.equals("HEAD") ? -1 : b.length);
    if (!method.equals("HEAD")) {
      ex.getResponseBody().write(b);
    }
    return false;
  }

  private static boolean covers(Set<String> granted, String needed) {
    int last = needed.lastIndexOf(':');
    String resource = needed.substring(0, last);
    Set<String> actions = Set.of(needed.substring(last + 1).split(","));
    for (String g : granted) {
      int gl = g.lastIndexOf(':');
      if (g.substring(0, gl).equals(resource) && Set.of(g.substring(gl + 1).split(",")).containsAll(actions)) {
        return true;
      }
    }
    return false;
  }

  private void forward(HttpExchange ex, String method, String path, String query, byte[] body, Rule rule)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstreamUrl + path + (query == null ? "" : "?" + query)))
        .method(method, body.length == 0 && !method.equals("PUT") && !method.equals("POST") && !method.equals("PATCH")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((k, vs) -> {
      String lower = k.toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower) || (rule != null && rule.kind == Kind.IGNORE_RANGE && lower.equals("range"))) {
        return;
      }
      if (bearerRealm != null && lower.equals("authorization")) {
        return; // the proxy did the auth; the upstream is open
      }
      vs.forEach(v -> req.header(k, v));
    });
    HttpResponse<InputStream> resp = upstream.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = resp.body()) {
      resp.headers().map().forEach((k, vs) -> {
        String lower = k.toLowerCase(Locale.ROOT);
        if (HOP_BY_HOP.contains(lower) || lower.startsWith(":")) {
          return;
        }
        for (String v : vs) {
          ex.getResponseHeaders().add(k, lower.equals("location") ? v.replace(upstreamUrl, origin()) : v);
        }
      });
      if (rule != null && rule.kind == Kind.SET_HEADERS) {
        rule.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      }
      long length = resp.headers().firstValueAsLong("content-length").orElse(-1);
      int status = resp.statusCode();
      if (method.equals("HEAD") || status == 204 || status == 304) {
        if (length >= 0 && method.equals("HEAD")) {
          ex.getResponseHeaders().set("Content-Length", Long.toString(length));
        }
        ex.sendResponseHeaders(status, -1);
        return;
      }
      Kind kind = rule == null ? null : rule.kind;
      if (kind == Kind.MULTIPART && status == 206) {
        writeMultipart(ex, in.readAllBytes(), resp.headers().firstValue("content-range").orElseThrow());
        return;
      }
      if (kind == Kind.CORRUPT) {
        byte[] all = in.readAllBytes();
        all[all.length - 1] ^= 0x55;
        ex.sendResponseHeaders(status, all.length);
        ex.getResponseBody().write(all);
        return;
      }
      ex.sendResponseHeaders(status, length == 0 ? -1 : Math.max(length, 0));
      TokenBucket limit = bandwidth;
      OutputStream out = limit == null ? ex.getResponseBody() : limit.throttle(ex.getResponseBody());
      if (kind == Kind.TRUNCATE) {
        out.write(in.readNBytes(rule.keepBytes));
        out.flush();
        throw new IOException("truncating the body on purpose"); // the server drops the connection
      }
      in.transferTo(out);
      out.flush();
      answered.incrementAndGet();
    }
  }

  private void serveReferrers(HttpExchange ex, String repo, String tag, String query)
      throws IOException, InterruptedException {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String kv : query.split("&")) {
        int eq = kv.indexOf('=');
        params.put(java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    HttpResponse<byte[]> index = upstream.send(HttpRequest.newBuilder(URI.create(upstreamUrl + "/v2/" + repo
        + "/manifests/" + tag)).header("Accept", "application/vnd.oci.image.index.v1+json").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<com.fasterxml.jackson.databind.JsonNode> all = new java.util.ArrayList<>();
    if (index.statusCode() == 200) {
      json.readTree(index.body()).path("manifests").forEach(all::add);
    }
    String artifactType = params.get("artifactType");
    if (referrersFilter && artifactType != null) {
      all.removeIf(d -> !d.path("artifactType").asText().equals(artifactType));
      ex.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
    }
    int page = Integer.parseInt(params.getOrDefault("page", "0"));
    int from = page * referrersPageSize;
    List<com.fasterxml.jackson.databind.JsonNode> slice = all.subList(Math.min(from, all.size()),
        Math.min(from + referrersPageSize, all.size()));
    if (from + referrersPageSize < all.size()) {
      ex.getResponseHeaders().set("Link", "<" + ex.getRequestURI().getRawPath() + "?page=" + (page + 1)
          + (artifactType == null ? "" : "&artifactType=" + java.net.URLEncoder.encode(artifactType,
          StandardCharsets.UTF_8)) + ">; rel=\"next\"");
    }
    com.fasterxml.jackson.databind.node.ObjectNode body = json.createObjectNode();
    body.put("schemaVersion", 2);
    body.put("mediaType", "application/vnd.oci.image.index.v1+json");
    body.putArray("manifests").addAll(slice);
    byte[] b = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.index.v1+json");
    ex.sendResponseHeaders(200, b.length);
    ex.getResponseBody().write(b);
    referrersPages.incrementAndGet();
  }

  private static void writeMultipart(HttpExchange ex, byte[] part, String contentRange) throws IOException {
    String boundary = "soci4jBoundary42";
    byte[] head = ("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: " + contentRange
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    ex.getResponseHeaders().set("Content-Type", "multipart/byteranges; boundary=" + boundary);
    ex.getResponseHeaders().remove("Content-Range");
    ex.sendResponseHeaders(206, head.length + part.length + tail.length);
    OutputStream out = ex.getResponseBody();
    out.write(head);
    out.write(part);
    out.write(tail);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
