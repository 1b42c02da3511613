package io.soci4j.lambda.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A stand-in for the Lambda Runtime API (2018-06-01) on MockWebServer, since the real Lambda service
 * cannot run here: {@code GET /runtime/invocation/next} hands out the queued events with the
 * headers Lambda sends (request id, deadline, function ARN, trace id), {@code POST
 * /runtime/invocation/{id}/response} and {@code /error} complete them, {@code POST
 * /runtime/init/error} records an initialisation failure.
 */
public final class RuntimeApiStandIn implements AutoCloseable {
  /** What the runtime posted for an invocation. */
  public record Result(boolean error, String body) {}

  private record Invocation(String id, byte[] event, long deadlineEpochMillis) {}

  private final MockWebServer server = new MockWebServer();
  private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
  private final CompletableFuture<String> initError = new CompletableFuture<>();
  private final AtomicLong firstNextNanos = new AtomicLong();
  private volatile boolean closed;

  /**
   * @return a started stand-in
   * @throws IOException when it cannot listen
   */
  public static RuntimeApiStandIn start() throws IOException {
    RuntimeApiStandIn api = new RuntimeApiStandIn();
    api.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return api.answer(request);
      }
    });
    api.server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    return api;
  }

  /** {@return {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}} */
  public String address() {
    return server.getHostName() + ":" + server.getPort();
  }

  /** {@return {@link System#nanoTime} of the runtime's first request for an event, or 0} */
  public long firstNextNanos() {
    return firstNextNanos.get();
  }

  /**
   * Queues an event.
   *
   * @param event the event's JSON
   * @param timeLeft the time to the invocation's deadline
   * @return the invocation's request id
   */
  public String invoke(byte[] event, Duration timeLeft) {
    String id = UUID.randomUUID().toString();
    results.put(id, new CompletableFuture<>());
    queue.add(new Invocation(id, event, System.currentTimeMillis() + timeLeft.toMillis()));
    return id;
  }

  /**
   * @param id a request id from {@link #invoke}
   * @param timeout how long to wait
   * @return what the runtime posted for it
   * @throws Exception on timeout, or when the runtime reported an initialisation error
   */
  public Result await(String id, Duration timeout) throws Exception {
    CompletableFuture<Result> r = results.get(id);
    CompletableFuture.anyOf(r, initError).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (initError.isDone()) {
      throw new IllegalStateException("the runtime failed to initialise: " + initError.get());
    }
    return r.get();
  }

  private MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    String body = request.getBody() == null ? "" : request.getBody().string(StandardCharsets.UTF_8);
    if (request.getMethod().equals("GET") && path.equals("/2018-06-01/runtime/invocation/next")) {
      firstNextNanos.compareAndSet(0, System.nanoTime());
      return next();
    }
    String prefix = "/2018-06-01/runtime/invocation/";
    if (request.getMethod().equals("POST") && path.startsWith(prefix)) {
      String[] parts = path.substring(prefix.length()).split("/");
      CompletableFuture<Result> r = results.get(parts[0]);
      if (r == null || parts.length != 2 || !(parts[1].equals("response") || parts[1].equals("error"))) {
        return new MockResponse.Builder().code(400).body("{\"errorType\":\"InvalidRequestID\"}").build();
      }
      r.complete(new Result(parts[1].equals("error"), body));
      return new MockResponse.Builder().code(202).body("{\"status\":\"OK\"}").build();
    }
    if (request.getMethod().equals("POST") && path.equals("/2018-06-01/runtime/init/error")) {
      initError.complete(body);
      return new MockResponse.Builder().code(202).body("{\"status\":\"OK\"}").build();
    }
    return new MockResponse.Builder().code(404).body("{\"errorType\":\"NotFound\"}").build();
  }

  private MockResponse next() {
    try {
      while (!closed) {
        Invocation i = queue.poll(200, TimeUnit.MILLISECONDS);
        if (i != null) {
          return new MockResponse(200, Headers.of("Content-Type", "application/json",
              "Lambda-Runtime-Aws-Request-Id", i.id(),
              "Lambda-Runtime-Deadline-Ms", Long.toString(i.deadlineEpochMillis()),
              "Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:" + TestImages.ACCOUNT
                  + ":function:soci-index-on-push",
              "Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"),
              new String(i.event(), StandardCharsets.UTF_8));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new MockResponse.Builder().code(500).body("{\"errorType\":\"ShuttingDown\"}").build();
  }

  @Override
  public void close() {
    closed = true;
    server.close();
  }
}
