package io.soci4j.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.lambda.internal.Indexer;
import io.soci4j.lambda.internal.PushEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The AWS Lambda handler that makes an image SOCI-enabled when it is pushed to ECR: the target of an
 * EventBridge rule on {@code ECR Image Action} events (action-type PUSH, result SUCCESS). Handler
 * name: {@code io.soci4j.lambda.IndexOnPush::handleRequest}.
 *
 * <p>For each event: validates it (others are rejected with one log line and not retried), skips
 * the pushes its own work causes (tags ending with the suffix, SOCI index manifests) and the
 * repositories and tags the filters leave out, resolves the account's registry in the event's
 * region (ECR credentials from the AWS SDK's default chain), and converts the pushed image by its
 * digest to a SOCI-enabled image (index v2, all platforms) tagged {@code <tag><suffix>}: every layer
 * streamed from the registry straight into the zTOC builder, no file written; or, with index
 * version V1, builds v1 indexes as referrers. Untagged pushes are skipped for V2, as upstream's
 * builder does; an image already indexed (redelivery) pushes nothing; an image with no layer to
 * index finishes without pushing. The conversion stops before the Lambda's deadline with a clear
 * message, before anything is tagged. One JSON line per layer goes to standard output (CloudWatch),
 * and the summary is the function's result, as JSON.
 *
 * <p>Configuration: {@link Settings}, from the environment in Lambda.
 */
public final class IndexOnPush implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Settings settings;
  private final PrintStream log;

  /** For Lambda: settings from the environment, log lines to standard output. */
  public IndexOnPush() {
    this(Settings.fromEnvironment(System.getenv()), System.out);
  }

  /**
   * @param settings the settings
   * @param log where the JSON log lines go
   */
  public IndexOnPush(Settings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  /**
   * Handles one event: reads it from {@code input}, writes the summary to {@code output}.
   *
   * @param input the event's JSON
   * @param output receives the summary's JSON
   * @param context the invocation (its remaining time bounds the work)
   * @throws IOException when the event cannot be read, or indexing failed or was stopped before
   *     the deadline (the message is the summary; nothing was tagged)
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Map<String, Object> summary = handle(input.readAllBytes(), context::getRemainingTimeInMillis);
    output.write(JSON.writeValueAsBytes(summary));
    output.flush();
  }

  /**
   * Handles one event.
   *
   * @param event the event's JSON
   * @param remainingMillis the invocation's remaining time
   * @return the summary ({@code status}: indexed, already-indexed, skipped, ignored, rejected)
   * @throws IOException when indexing failed or was stopped before the deadline (the message is the
   *     summary's JSON; nothing was tagged)
   */
  public Map<String, Object> handle(byte[] event, java.util.function.LongSupplier remainingMillis) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(event);
    } catch (IOException e) {
      return rejected("the event is not JSON: " + e.getMessage());
    }
    PushEvent push;
    try {
      push = PushEvent.of(node);
    } catch (PushEvent.InvalidEventException e) {
      return rejected(e.getMessage());
    }
    return new Indexer(settings, log, remainingMillis).index(push);
  }

  private Map<String, Object> rejected(String why) {
    Map<String, Object> s = Map.of("status", "rejected", "message", why);
    log.println(Indexer.line(s));
    return s;
  }
}
