package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soci lambda-invoke} as a real process on an EventBridge event for the 3-layer {@link
 * DemoImage} in Debian's docker-registry: it pushes what {@code soci convert} pushes, writes no file
 * (its temporary directory stays empty), prints the summary, and exits 1 with the summary when the
 * handler stops before the deadline.
 */
class SociCliLambdaInvokeTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static String digest;

  @BeforeAll
  static void push() throws Exception {
    DemoImage image = DemoImage.build(dir.resolve("layout"));
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, REGISTRY.registry() + "/demo:" + DemoImage.TAG, null);
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      digest = c.store(ImageReference.parse(REGISTRY.registry() + "/demo")).resolve(DemoImage.TAG).digest().toString();
    }
  }

  @AfterAll
  static void release() {
    digest = null;
  }

  private static Path event(String tag) throws Exception {
    Path f = dir.resolve("event-" + tag + ".json");
    Files.writeString(f, "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"ECR Image Action\",\"source\":\"aws.ecr\","
        + "\"account\":\"123456789012\",\"time\":\"2026-12-02T12:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[],"
        + "\"detail\":{\"result\":\"SUCCESS\",\"repository-name\":\"demo\",\"image-digest\":\"" + digest + "\","
        + "\"action-type\":\"PUSH\",\"image-tag\":\"" + tag + "\"}}");
    return f;
  }

  private record Run(int exit, String out, String err) {}

  private static Run invoke(Path tmp, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), SociCli.class.getName(),
        "lambda-invoke"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theHandlerPushesWhatConvertPushesAndWritesNoFile() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Run r = invoke(tmp, Map.of(), "--plain-http", "--registry", REGISTRY.registry(), event(DemoImage.TAG).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(r.out());
    assertThat(summary.path("status").asText()).isEqualTo("indexed");
    assertThat(summary.path("sociTag").asText()).isEqualTo(DemoImage.TAG + "-soci");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).as("no file written").isEmpty();
    }
    for (String line : r.err().strip().split("\n")) {
      assertThat(new ObjectMapper().readTree(line).isObject()).as(line).isTrue();
    }
    assertThat(r.err()).contains("\"status\":\"built\"");

    Cli.Result convert = soci("convert", "--plain-http", "--all-platforms", REGISTRY.registry() + "/demo:"
        + DemoImage.TAG, "by-convert");
    assertThat(convert.exit()).as(convert.err()).isZero();
    assertThat(convert.out().strip()).as("the same SOCI-enabled image as soci convert")
        .isEqualTo(summary.path("index").asText());

    Run again = invoke(tmp, Map.of(), "--plain-http", "--registry", REGISTRY.registry(), event(DemoImage.TAG).toString());
    assertThat(again.exit()).isZero();
    assertThat(new ObjectMapper().readTree(again.out()).path("status").asText()).isEqualTo("already-indexed");
  }

  @Test
  void aHandlerStoppedByTheDeadlineExitsOneWithItsSummary() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp-deadline"));
    Run r = invoke(tmp, Map.of("SOCI_DEADLINE_MARGIN_SECONDS", "60"), "--plain-http", "--registry",
        REGISTRY.registry(), "--timeout", "60", event("other").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(r.out()).path("status").asText()).isEqualTo("stopped");
    assertThat(r.err()).contains("soci: the handler failed: stopped");
    Cli.Result help = soci("lambda-invoke", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--registry").contains("--plain-http").contains("--build-tool");
    assertThat(new String(soci("lambda-invoke", "--plain-http", event("x").toString()).err().getBytes(),
        StandardCharsets.UTF_8)).contains("--plain-http needs --registry");
  }
}
