package io.soci4j.registry;

import io.soci4j.api.Platform;
import io.soci4j.registry.internal.auth.AuthInterceptor;
import io.soci4j.registry.internal.auth.Authorizer;
import io.soci4j.registry.internal.auth.RegistryAuthenticator;
import io.soci4j.registry.internal.auth.TokenClient;
import io.soci4j.registry.internal.http.Endpoint;
import io.soci4j.registry.internal.http.HttpClients;
import io.soci4j.registry.internal.http.RegistryCaller;
import io.soci4j.registry.internal.http.RetryPolicy;
import io.soci4j.registry.internal.http.Sleeper;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * An OCI distribution client: one shared connection pool, one auth state (token cache), one set of
 * options. Open a {@link RegistryStore} per repository with {@link #store(ImageReference)}.
 *
 * <pre>{@code
 * try (RegistryClient client = RegistryClient.builder()
 *     .credentials(CredentialsProvider.dockerConfig())
 *     .plainHttp("localhost:5000")
 *     .build()) {
 *   RegistryStore store = client.store(ImageReference.parse("localhost:5000/app:1.0"));
 *   ImageManifest manifest = store.imageManifest("1.0");          // for the JVM's platform
 *   try (ByteSource layer = store.openRange(manifest.layers().get(0))) {
 *     byte[] head = layer.read(0, 512);                            // one HTTP range request
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} aborts calls in flight and waits between retries, and releases
 * the connections; stores of a closed client fail. All caches (tokens, which repositories have
 * the referrers API) belong to the instance.
 */
public final class RegistryClient implements Closeable {
  /** Largest manifest or index accepted (distribution spec: at least 4 MB must work). */
  public static final long MAX_MANIFEST_BYTES = 4L << 20;

  private final Builder options;
  private final OkHttpClient http;
  private final RegistryCaller caller;
  private final Authorizer authorizer;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final ConcurrentMap<String, Boolean> referrersApi = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ReentrantLock> referrerLocks = new ConcurrentHashMap<>();

  private RegistryClient(Builder b) {
    this.options = b.copy();
    OkHttpClient.Builder base = new OkHttpClient.Builder()
        .connectTimeout(b.connectTimeout)
        .readTimeout(b.readTimeout)
        .writeTimeout(b.writeTimeout)
        .followRedirects(false)
        .followSslRedirects(false)
        .connectionPool(new ConnectionPool(b.maxIdleConnections, 5, TimeUnit.MINUTES))
        .addInterceptor(chain -> chain.proceed(chain.request().header("User-Agent") != null ? chain.request()
            : chain.request().newBuilder().header("User-Agent", options.userAgent).build()));
    if (b.eventListener != null) {
      base.eventListener(b.eventListener);
    }
    java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
    okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher(new java.util.concurrent.ThreadPoolExecutor(0,
        Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "soci4j-registry-" + threads.incrementAndGet());
          t.setDaemon(true); // an unclosed client must not keep the JVM alive
          return t;
        }));
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(128); // calls wait on the dispatcher (interruptibly); reads run in parallel
    base.dispatcher(dispatcher);
    OkHttpClient plain = base.build();
    this.authorizer = new Authorizer(b.credentials, new TokenClient(plain, b.clock), b.clock);
    this.http = plain.newBuilder()
        .addInterceptor(new AuthInterceptor(authorizer))
        .authenticator(new RegistryAuthenticator(authorizer))
        .build();
    Set<String> insecure = Set.copyOf(b.insecureHosts);
    boolean allInsecure = b.allInsecure;
    HttpClients clients = new HttpClients(http, hostPort -> allInsecure || insecure.contains(hostPort));
    Sleeper sleeper = b.sleeper != null ? b.sleeper : Sleeper.until(closedLatch);
    RetryPolicy policy = new RetryPolicy(b.maxRetries, b.retryBaseDelay, b.retryMaxDelay, b.maxRetryAfter,
        b.jitter, b.clock);
    this.caller = new RegistryCaller(clients, policy, sleeper, this::isClosed);
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a client with the defaults: https, {@link CredentialsProvider#defaults()}} */
  public static RegistryClient create() {
    return builder().build();
  }

  /**
   * A store for the repository of a reference (its tag or digest is not used).
   *
   * @param repository names the registry and repository
   * @return the store; it needs no closing of its own
   */
  public RegistryStore store(ImageReference repository) {
    return new RegistryStore(this, Objects.requireNonNull(repository, "repository"));
  }

  /**
   * What this client had to do beyond plain requests so far: retries, resumed downloads and blobs
   * read whole because the registry ignored Range (all stores it made count here).
   *
   * @return a snapshot of the counts
   */
  public TransferStats transferStats() {
    return caller.counters().snapshot();
  }

  /** {@return the platform picked from image indexes by default} */
  public Platform platform() {
    return options.platform;
  }

  /** {@return whether {@link #close()} was called} */
  public boolean isClosed() {
    return closedLatch.getCount() == 0;
  }

  /**
   * Aborts calls in flight and retry waits, closes idle connections and lets the dispatcher's
   * threads end. Idempotent.
   */
  @Override
  public void close() {
    closedLatch.countDown();
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  Endpoint endpoint(ImageReference ref) {
    String host = ref.apiHost();
    boolean plain = options.allPlainHttp || options.plainHttpHosts.contains(ref.registry());
    HttpUrl base = HttpUrl.get((plain ? "http" : "https") + "://" + host + "/");
    return new Endpoint(ref.registry(), base);
  }

  RegistryCaller caller() {
    return caller;
  }

  long uploadChunkSize() {
    return options.uploadChunkSize;
  }

  ConcurrentMap<String, Boolean> referrersApi() {
    return referrersApi;
  }

  ConcurrentMap<String, ReentrantLock> referrerLocks() {
    return referrerLocks;
  }

  /** The shared OkHttp client, for tests in this package (connection accounting). */
  OkHttpClient http() {
    return http;
  }

  Authorizer authorizer() {
    return authorizer;
  }

  @Override
  public String toString() {
    return "RegistryClient[" + options.userAgent + (isClosed() ? ", closed" : "") + "]";
  }

  /**
   * Options of a {@link RegistryClient}, validated as they are set.
   *
   * <pre>{@code
   * RegistryClient client = RegistryClient.builder()
   *     .connectTimeout(Duration.ofSeconds(5))
   *     .maxRetries(3)
   *     .platform(Platform.parse("linux/arm64"))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(20);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private int maxRetries = 4;
    private Duration retryBaseDelay = Duration.ofMillis(250);
    private Duration retryMaxDelay = Duration.ofSeconds(8);
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private final Set<String> plainHttpHosts = new HashSet<>();
    private boolean allPlainHttp;
    private final Set<String> insecureHosts = new HashSet<>();
    private boolean allInsecure;
    private CredentialsProvider credentials;
    private String userAgent = "soci4j/0.1";
    private Platform platform = Platform.current();
    private long uploadChunkSize;
    private int maxIdleConnections = 32;
    private EventListener eventListener;
    private Sleeper sleeper;
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    private Builder copy() {
      Builder c = new Builder();
      c.connectTimeout = connectTimeout;
      c.readTimeout = readTimeout;
      c.writeTimeout = writeTimeout;
      c.maxRetries = maxRetries;
      c.retryBaseDelay = retryBaseDelay;
      c.retryMaxDelay = retryMaxDelay;
      c.maxRetryAfter = maxRetryAfter;
      c.plainHttpHosts.addAll(plainHttpHosts);
      c.allPlainHttp = allPlainHttp;
      c.insecureHosts.addAll(insecureHosts);
      c.allInsecure = allInsecure;
      c.credentials = credentials;
      c.userAgent = userAgent;
      c.platform = platform;
      c.uploadChunkSize = uploadChunkSize;
      c.maxIdleConnections = maxIdleConnections;
      return c;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    /**
     * @param timeout how long to wait for a TCP (and TLS) connection; default 10 s
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * @param timeout the longest pause between bytes of an answer; default 20 s (a stalled connection is
     *     then abandoned, and the call retried or the download resumed)
     * @return this builder
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * @param timeout the longest pause while sending a request body; default 60 s
     * @return this builder
     */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = positive(timeout, "writeTimeout");
      return this;
    }

    /**
     * @param retries retries after a failed attempt of a request that may be retried (429, 5xx,
     *     connection failures); 0 disables retries; default 4
     * @return this builder
     */
    public Builder maxRetries(int retries) {
      if (retries < 0 || retries > 20) {
        throw new IllegalArgumentException("maxRetries must be within 0..20, got " + retries);
      }
      this.maxRetries = retries;
      return this;
    }

    /**
     * @param base the first backoff; it doubles per retry, with 50-100% jitter; default 250 ms
     * @param max the longest backoff; default 8 s
     * @return this builder
     */
    public Builder retryBackoff(Duration base, Duration max) {
      positive(base, "base");
      positive(max, "max");
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException("the longest backoff " + max + " is shorter than the first " + base);
      }
      this.retryBaseDelay = base;
      this.retryMaxDelay = max;
      return this;
    }

    /**
     * @param cap the longest wait a {@code Retry-After} header may impose; longer requests are
     *     cut to it; default 60 s
     * @return this builder
     */
    public Builder maxRetryAfter(Duration cap) {
      Objects.requireNonNull(cap, "cap");
      if (cap.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter is negative: " + cap);
      }
      this.maxRetryAfter = cap;
      return this;
    }

    /**
     * Talks plain http to one registry instead of https.
     *
     * @param registry the registry as in references, {@code host[:port]}
     * @return this builder
     */
    public Builder plainHttp(String registry) {
      plainHttpHosts.add(checkRegistry(registry));
      return this;
    }

    /**
     * Talks plain http to every registry (local testing).
     *
     * @return this builder
     */
    public Builder plainHttp() {
      allPlainHttp = true;
      return this;
    }

    /**
     * Uses https without verifying the certificate of one host (self-signed test registries).
     *
     * @param registry {@code host[:port]}
     * @return this builder
     */
    public Builder insecure(String registry) {
      HttpUrl url = HttpUrl.get("https://" + checkRegistry(registry) + "/");
      insecureHosts.add(url.host() + ":" + url.port());
      return this;
    }

    /**
     * Uses https without verifying certificates of any host.
     *
     * @return this builder
     */
    public Builder insecure() {
      allInsecure = true;
      return this;
    }

    private static String checkRegistry(String registry) {
      Objects.requireNonNull(registry, "registry");
      if (HttpUrl.parse("https://" + registry + "/") == null || registry.contains("/")) {
        throw new IllegalArgumentException("invalid registry '" + registry + "': want host[:port]");
      }
      return registry;
    }

    /**
     * @param provider where credentials come from; default {@link CredentialsProvider#defaults()}
     * @return this builder
     */
    public Builder credentials(CredentialsProvider provider) {
      this.credentials = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * @param value the {@code User-Agent} header; default {@code soci4j/<version>}
     * @return this builder
     */
    public Builder userAgent(String value) {
      Objects.requireNonNull(value, "userAgent");
      if (value.isBlank() || value.chars().anyMatch(ch -> ch < 0x20 || ch > 0x7e)) {
        throw new IllegalArgumentException("the user agent must be non-blank printable ASCII");
      }
      this.userAgent = value;
      return this;
    }

    /**
     * @param p the platform picked from image indexes; default {@link Platform#current()}
     * @return this builder
     */
    public Builder platform(Platform p) {
      this.platform = Objects.requireNonNull(p, "platform");
      return this;
    }

    /**
     * Uploads blobs larger than this in chunks of this size ({@code PATCH} with
     * {@code Content-Range}). 0, the default, uploads arrays in one {@code PUT} and streams in one
     * streaming {@code PATCH}, which every registry accepts; GHCR needs at most 4 MiB per chunk,
     * ECR at least 5 MiB (except the last).
     *
     * @param bytes the chunk size, or 0
     * @return this builder
     */
    public Builder uploadChunkSize(long bytes) {
      if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("uploadChunkSize must be within 0.." + (Integer.MAX_VALUE - 8) + ", got "
            + bytes);
      }
      this.uploadChunkSize = bytes;
      return this;
    }

    /**
     * @param count idle connections kept per client for reuse; default 32 (parallel range reads)
     * @return this builder
     */
    public Builder maxIdleConnections(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("maxIdleConnections must be at least 1, got " + count);
      }
      this.maxIdleConnections = count;
      return this;
    }

    Builder eventListener(EventListener listener) {
      this.eventListener = listener;
      return this;
    }

    Builder sleeper(Sleeper s) {
      this.sleeper = s;
      return this;
    }

    Builder jitter(DoubleSupplier j) {
      this.jitter = j;
      return this;
    }

    Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** {@return the client} */
    public RegistryClient build() {
      Builder b = copy();
      b.credentials = credentials != null ? credentials : CredentialsProvider.defaults();
      b.eventListener = eventListener;
      b.sleeper = sleeper;
      b.jitter = jitter;
      b.clock = clock;
      return new RegistryClient(b);
    }
  }
}
