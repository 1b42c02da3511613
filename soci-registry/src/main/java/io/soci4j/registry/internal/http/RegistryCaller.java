package io.soci4j.registry.internal.http;

import io.soci4j.api.SociException;
import io.soci4j.registry.RegistryCall;
import io.soci4j.registry.RegistryError;
import io.soci4j.registry.RegistryException;
import io.soci4j.registry.RegistryNotFoundException;
import io.soci4j.registry.internal.auth.AuthTag;
import io.soci4j.registry.internal.auth.Origins;
import io.soci4j.registry.internal.model.ErrorBody;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Operation}s: the one place that sends registry requests. It tags each request with
 * its registry and scopes (so auth happens in the OkHttp interceptor and authenticator), follows
 * redirects itself (at most {@value #MAX_REDIRECTS} hops, relative {@code Location}s resolved,
 * https to http refused; credentials are attached per hop only for the registry's own origin),
 * retries under the request's {@link Retry} rule with {@link RetryPolicy}, and turns unaccepted
 * statuses into {@link RegistryNotFoundException} (404) or {@link RegistryException} with the
 * registry's OCI error body.
 */
public final class RegistryCaller {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryCaller.class);
  /** Most redirects followed for one request. */
  public static final int MAX_REDIRECTS = 10;

  private final HttpClients clients;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final BooleanSupplier closed;
  private final TransferCounters counters = new TransferCounters();

  /**
   * @param clients the HTTP clients
   * @param policy retry timing
   * @param sleeper waits between attempts
   * @param closed whether the owning client was closed (no more attempts then)
   */
  public RegistryCaller(HttpClients clients, RetryPolicy policy, Sleeper sleeper, BooleanSupplier closed) {
    this.clients = clients;
    this.policy = policy;
    this.sleeper = sleeper;
    this.closed = closed;
  }

  /**
   * Runs an operation.
   *
   * @param op the operation
   * @param <T> its result
   * @return its result
   * @throws IOException the operation's own exceptions, {@link RegistryNotFoundException},
   *     {@link RegistryException}, or {@link InterruptedIOException} on interrupt
   */
  public <T> T call(Operation<T> op) throws IOException {
    RegistryRequest rr = op.request();
    for (int attempt = 0; ; attempt++) {
      checkRunnable();
      Response response;
      try {
        response = send(rr);
      } catch (IOException e) {
        if (attempt >= policy.maxRetries() || !retryable(rr, e)) {
          throw transportFailure(rr, rr.url(), e);
        }
        LOG.debug("{} {}: {}; retrying", rr.method(), Origins.withoutQuery(rr.url()), e.toString());
        counters.retry();
        sleeper.sleep(policy.delay(attempt, null));
        continue;
      }
      int status = response.code();
      if (op.accepts(status)) {
        boolean keep = false;
        try {
          T result = op.handle(response);
          keep = op.keepsResponseOpen();
          return result;
        } catch (IOException e) {
          if (attempt >= policy.maxRetries() || !retryable(rr, e)) {
            throw transportFailure(rr, response.request().url(), e);
          }
          LOG.debug("{} {}: reading the answer failed: {}; retrying", rr.method(),
              Origins.withoutQuery(response.request().url()), e.toString());
        } finally {
          if (!keep) {
            response.close();
          }
        }
        counters.retry();
        sleeper.sleep(policy.delay(attempt, null));
        continue;
      }
      HttpUrl url = response.request().url();
      String retryAfter = response.header("Retry-After");
      List<RegistryError> errors = rr.method().equals("HEAD") || status == 416 ? List.of()
          : SecretScrubber.scrub(ErrorBody.parse(Bodies.readPrefix(response.body(), ErrorBody.MAX_BYTES)),
              response.request());
      response.close();
      if (attempt < policy.maxRetries() && RetryPolicy.retryable(status, rr.retry()) && replayable(rr)) {
        LOG.debug("{} {} returned {}; retrying", rr.method(), Origins.withoutQuery(url), status);
        counters.retry();
        sleeper.sleep(policy.delay(attempt, retryAfter));
        continue;
      }
      throw failure(rr, url, status, errors);
    }
  }

  /** {@return the retry, resume and Range-ignored counts of this caller's client} */
  public TransferCounters counters() {
    return counters;
  }

  /** {@return the retry policy} */
  public RetryPolicy policy() {
    return policy;
  }

  /**
   * Waits the backoff of a failed attempt (for callers that retry whole sequences of requests).
   *
   * @param attempt the attempt that failed, from 0
   * @throws IOException when interrupted or the client was closed
   */
  public void pause(int attempt) throws IOException {
    counters.retry();
    sleeper.sleep(policy.delay(attempt, null));
    checkRunnable();
  }

  private void checkRunnable() throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
    if (closed.getAsBoolean()) {
      throw new IOException("the registry client is closed");
    }
  }

  private Response send(RegistryRequest rr) throws IOException {
    HttpUrl url = rr.url();
    String method = rr.method();
    RequestBody body = rr.body();
    for (int hop = 0; ; hop++) {
      Request request = build(rr, url, method, body);
      Response response = InterruptibleCall.execute(clients.forUrl(url).newCall(request));
      LOG.debug("{} {} -> {}", method, Origins.withoutQuery(url), response.code());
      String location = response.header("Location");
      if (!rr.followRedirects() || !isRedirect(response.code()) || location == null) {
        return response;
      }
      response.close();
      HttpUrl next = url.resolve(location);
      if (next == null) {
        throw new ProtocolException("redirect to an invalid Location from " + Origins.withoutQuery(url));
      }
      if (hop + 1 > MAX_REDIRECTS) {
        throw new ProtocolException("more than " + MAX_REDIRECTS + " redirects from " + Origins.withoutQuery(rr.url()));
      }
      if (url.isHttps() && !next.isHttps()) {
        throw new ProtocolException("refusing a redirect from https to http: " + Origins.withoutQuery(next));
      }
      if (response.code() == 303 && !method.equals("HEAD")) {
        method = "GET";
        body = null;
      }
      url = next;
    }
  }

  private static Request build(RegistryRequest rr, HttpUrl url, String method, RequestBody body) {
    RequestBody b = body;
    if (b == null && (method.equals("PUT") || method.equals("POST") || method.equals("PATCH"))) {
      b = RequestBody.create(new byte[0], null);
    }
    return new Request.Builder()
        .url(url)
        .headers(rr.headers())
        .method(method, b)
        .tag(AuthTag.class, new AuthTag(rr.endpoint().origin(), rr.endpoint().registry(), rr.scopes()))
        .build();
  }

  private static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  private static boolean replayable(RegistryRequest rr) {
    return rr.body() == null || !rr.body().isOneShot();
  }

  private boolean retryable(RegistryRequest rr, IOException e) {
    if (closed.getAsBoolean() || Thread.currentThread().isInterrupted() || !replayable(rr)) {
      return false;
    }
    if (e instanceof RegistryException re) { // from the token server
      return re.status() > 0 && RetryPolicy.retryable(re.status(), rr.retry());
    }
    if (e instanceof SociException) {
      return false;
    }
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return false;
    }
    if (e instanceof UnknownHostException || e instanceof SSLException) {
      return false;
    }
    return switch (rr.retry()) {
      case IDEMPOTENT -> true;
      case IF_NOT_PROCESSED -> e instanceof ConnectException;
      case NEVER -> false;
    };
  }

  private IOException transportFailure(RegistryRequest rr, HttpUrl url, IOException e) {
    if (e instanceof SociException || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException))) {
      return e;
    }
    if (closed.getAsBoolean()) {
      return new IOException("the registry client was closed during " + rr.action() + " " + rr.what(), e);
    }
    return new RegistryException(rr.action() + " " + rr.what(), call(rr, url), 0, List.of(), e);
  }

  private static IOException failure(RegistryRequest rr, HttpUrl url, int status, List<RegistryError> errors) {
    if (status == 404) {
      return new RegistryNotFoundException(rr.what(), call(rr, url), errors);
    }
    return new RegistryException(rr.action() + " " + rr.what(), call(rr, url), status, errors, null);
  }

  private static RegistryCall call(RegistryRequest rr, HttpUrl url) {
    return new RegistryCall(rr.endpoint().registry(), rr.repository(), rr.method(), Origins.withoutQuery(url));
  }
}
