package io.soci4j.lambda.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A stand-in for ECR's API on MockWebServer (ECR's API cannot run here): answers {@code
 * GetAuthorizationToken} (AWS JSON 1.1, {@code X-Amz-Target:
 * AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken}) with a token of {@code
 * base64(user:password)} valid for 12 hours, as ECR does, and records each call; anything else
 * gets ECR's {@code UnknownOperationException}.
 */
public final class EcrApiStandIn implements AutoCloseable {
  /** The target header of the one operation answered. */
  public static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";

  /**
   * A call received.
   *
   * @param target its {@code X-Amz-Target}
   * @param authorization its {@code Authorization} (SigV4)
   */
  public record Call(String target, String authorization) {}

  private final MockWebServer server = new MockWebServer();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  /**
   * @param user the token's user
   * @param password the token's password
   * @return a started stand-in
   * @throws IOException when it cannot listen
   */
  public static EcrApiStandIn start(String user, String password) throws IOException {
    EcrApiStandIn api = new EcrApiStandIn();
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    api.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String target = request.getHeaders().get("X-Amz-Target");
        api.calls.add(new Call(target, request.getHeaders().get("Authorization")));
        Headers json = Headers.of("Content-Type", "application/x-amz-json-1.1", "x-amzn-RequestId", "stand-in");
        if (!TARGET.equals(target)) {
          return new MockResponse(400, json,
              "{\"__type\":\"UnknownOperationException\",\"message\":\"not " + TARGET + "\"}");
        }
        long expires = System.currentTimeMillis() / 1000 + 12 * 3600;
        return new MockResponse(200, json, "{\"authorizationData\":[{\"authorizationToken\":\"" + token
            + "\",\"expiresAt\":" + expires + ",\"proxyEndpoint\":\"https://" + TestImages.ACCOUNT
            + ".dkr.ecr.eu-west-1.amazonaws.com\"}]}");
      }
    });
    api.server.start(InetAddress.getLoopbackAddress(), 0);
    return api;
  }

  /** {@return the endpoint URL, for {@code AWS_ENDPOINT_URL_ECR}} */
  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  /** {@return the calls received so far} */
  public List<Call> requests() {
    return List.copyOf(calls);
  }

  @Override
  public void close() {
    server.close();
  }
}
