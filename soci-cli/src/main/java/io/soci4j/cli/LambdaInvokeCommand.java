package io.soci4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.lambda.IndexOnPush;
import io.soci4j.lambda.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci lambda-invoke}: the Lambda handler on an event file, against any registry. */
@Command(name = "lambda-invoke", description = "Run the index-on-push Lambda handler (soci-lambda) on an EventBridge "
    + "'ECR Image Action' event, here: the registry host of the event replaced by --registry, the other settings from "
    + "the same environment variables as in Lambda (SOCI_REPOSITORY_IMAGE_TAG_FILTERS, SOCI_INDEX_VERSION, "
    + "SOCI_TAG_SUFFIX, SOCI_DEADLINE_MARGIN_SECONDS). Prints the handler's summary (JSON) on stdout and its per-layer "
    + "lines on stderr; exits 1 when the handler fails.")
final class LambdaInvokeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--plain-http", description = "The registry given with --registry speaks plain HTTP.")
  boolean plainHttp;

  @Option(names = "--registry", paramLabel = "HOST[:PORT]", description = "Use this registry instead of the event "
      + "account's ECR in its region.")
  String registry;

  @Option(names = "--build-tool", paramLabel = "ID", description = "The zTOCs' build tool identifier.")
  String buildTool;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
      description = "The invocation's time limit, as Lambda's function timeout (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Parameters(index = "0", paramLabel = "EVENT_JSON", description = "The event file ('-' for standard input).")
  String event;

  @Override
  public Integer call() throws Exception {
    Settings settings = Settings.fromEnvironment(System.getenv());
    if (registry != null) {
      settings = settings.withRegistry(registry, plainHttp);
    } else if (plainHttp) {
      throw new IllegalArgumentException("--plain-http needs --registry: the account's ECR speaks HTTPS");
    }
    if (buildTool != null) {
      settings = settings.withBuildTool(buildTool);
    }
    byte[] json = event.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(event));
    PrintWriter err = spec.commandLine().getErr();
    PrintStream lines = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        err.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        err.write(new String(b, off, len, StandardCharsets.UTF_8));
        err.flush();
      }
    }, true, StandardCharsets.UTF_8);
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
    PrintWriter out = spec.commandLine().getOut();
    try {
      Map<String, Object> summary = new IndexOnPush(settings, lines).handle(json,
          () -> deadline - System.currentTimeMillis());
      out.println(new ObjectMapper().writeValueAsString(summary));
      out.flush();
      return 0;
    } catch (IOException e) {
      String message = e.getMessage();
      if (message != null && message.startsWith("{")) { // the handler's summary
        out.println(message);
        out.flush();
        throw new io.soci4j.api.SociException("the handler failed: "
            + new ObjectMapper().readTree(message).path("message").asText());
      }
      throw e;
    }
  }
}
