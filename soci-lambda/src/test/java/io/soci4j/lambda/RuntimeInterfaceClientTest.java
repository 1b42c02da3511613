package io.soci4j.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.lambda.testing.EcrApiStandIn;
import io.soci4j.lambda.testing.LambdaProcess;
import io.soci4j.lambda.testing.RuntimeApiStandIn;
import io.soci4j.lambda.testing.TestImages;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.registry.Credential;
import io.soci4j.registry.CredentialsProvider;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler as Lambda runs it: AWS's runtime interface client
 * ({@code com.amazonaws:aws-lambda-java-runtime-interface-client}, its real loop in a JVM of its
 * own at {@code -Xmx512m}) asking for events. The Lambda service cannot run here, so MockWebServer
 * stands in for its Runtime API ({@link RuntimeApiStandIn}) and for ECR's {@code
 * GetAuthorizationToken} ({@link EcrApiStandIn}, reached through the AWS SDK's own endpoint
 * override {@code AWS_ENDPOINT_URL_ECR}); Debian's docker-registry with basic auth stands in for
 * the ECR registry ({@code SOCI_REGISTRY}), accepting the token's {@code AWS:<password>} as ECR
 * does. Events are EventBridge's {@code ECR Image Action} in AWS's documented format.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RuntimeInterfaceClientTest {
  private static final String PASSWORD = "ecr-token-" + Long.toHexString(new Random(11).nextLong());
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.basicAuth("AWS", PASSWORD);
  @TempDir static Path dir;
  private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);
  private static final Duration WAIT = Duration.ofMinutes(3);

  private static RuntimeApiStandIn runtime;
  private static EcrApiStandIn ecr;
  private static FaultProxy proxy;
  private static LambdaProcess lambda;

  @BeforeAll
  static void start() throws Exception {
    Random r = new Random(7);
    byte[] big = new byte[12 << 20]; // above the default 10 MiB minimum: indexed
    r.nextBytes(big);
    byte[] notTar = new byte[11 << 20];
    r.nextBytes(notTar);
    String creds = "AWS:" + PASSWORD;
    byte[] app = TestImages.gzip(new TarBuilder().dir("./opt/", 0755).file("./opt/data.bin", big, 0644)
        .file("./etc/os-release", "ID=test\n").tar());
    TestImages.push(dir, REGISTRY.registry(), creds, "app", "1.0", app);
    TestImages.push(dir, REGISTRY.registry(), creds, "late", "1.0", app);
    TestImages.push(dir, REGISTRY.registry(), creds, "corrupt", "1.0", TestImages.gzip(notTar));

    runtime = RuntimeApiStandIn.start();
    ecr = EcrApiStandIn.start("AWS", PASSWORD);
    proxy = FaultProxy.start(REGISTRY.url()); // counts what the handler asks of the registry
    lambda = LambdaProcess.start(dir.resolve("lambda"), System.getProperty("java.class.path"), runtime.address(),
        List.of("-Xmx512m"), Map.of(
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "AWS_ENDPOINT_URL_ECR", ecr.url(),
            "SOCI_REGISTRY", proxy.registry(),
            "SOCI_PLAIN_HTTP", "true"));
  }

  @AfterAll
  static void stop() {
    if (lambda != null) {
      lambda.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    if (ecr != null) {
      ecr.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static RegistryClient client() {
    return RegistryClient.builder().plainHttp(REGISTRY.registry())
        .credentials(CredentialsProvider.of(REGISTRY.registry(), Credential.basic("AWS", PASSWORD))).build();
  }

  private static String digestOf(String repo, String tag) throws IOException {
    try (RegistryClient c = client()) {
      return TestImages.digestOf(c, REGISTRY.registry(), repo, tag);
    }
  }

  private static boolean tagged(String repo, String tag) throws IOException {
    try {
      digestOf(repo, tag);
      return true;
    } catch (ContentNotFoundException e) {
      return false;
    }
  }

  private static RuntimeApiStandIn.Result invoke(String repo, String digest, String tag, Duration timeLeft)
      throws Exception {
    String id = runtime.invoke(TestImages.event("eu-west-1", repo, digest, tag), timeLeft);
    RuntimeApiStandIn.Result result = runtime.await(id, WAIT);
    assertThat(lambda.isAlive()).as(lambda.output()).isTrue();
    return result;
  }

  private static JsonNode json(String s) throws IOException {
    return new ObjectMapper().readTree(s);
  }

  private static List<RecordedRequest> writesSince(int mark) {
    List<RecordedRequest> all = proxy.requests();
    return all.subList(mark, all.size()).stream()
        .filter(q -> !q.method().equals("GET") && !q.method().equals("HEAD")).toList();
  }

  @Test
  @Order(1)
  void aPushIsConvertedToWhatSociConvertMakesAuthenticatedWithEcrsToken() throws Exception {
    String digest = digestOf("app", "1.0");
    RuntimeApiStandIn.Result result = invoke("app", digest, "1.0", FIFTEEN_MINUTES);
    assertThat(result.error()).as(result.body() + "\n" + lambda.output()).isFalse();
    JsonNode summary = json(result.body());
    assertThat(summary.path("status").asText()).isEqualTo("indexed");
    assertThat(summary.path("registry").asText()).isEqualTo(proxy.registry());
    String index = digestOf("app", "1.0-soci");
    assertThat(summary.path("index").asText()).isEqualTo(index);
    try (RegistryClient c = client()) {
      String converted = SociConverter.of(SociIndexBuilder.create().withAllPlatforms())
          .convert(c.store(ImageReference.parse(REGISTRY.registry() + "/app")), digest).index().digest().toString();
      assertThat(converted).as("what soci convert pushes for the same image").isEqualTo(index);
    }

    assertThat(ecr.requests()).as("ECR's GetAuthorizationToken was called").isNotEmpty();
    for (EcrApiStandIn.Call call : ecr.requests()) {
      assertThat(call.target()).isEqualTo("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
      assertThat(call.authorization()).as("SigV4 for ECR in the event's region")
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/ecr/aws4_request");
    }
    List<String> layerLines = lambda.output().lines().filter(l -> l.startsWith("{\"layer\"")).toList();
    assertThat(layerLines).as(lambda.output()).isNotEmpty();
    for (String line : layerLines) {
      JsonNode l = json(line);
      assertThat(l.path("layer").asText()).startsWith("sha256:");
      assertThat(l.has("size") && l.has("status") && l.has("seconds") && l.has("MBps")).as(line).isTrue();
    }
    assertThat(layerLines).anyMatch(l -> l.contains("\"status\":\"built\""));
  }

  @Test
  @Order(2)
  void redeliveryPushesNothingAndTheOwnPushIsIgnored() throws Exception {
    String digest = digestOf("app", "1.0");
    String index = digestOf("app", "1.0-soci");
    int mark = proxy.requests().size();
    RuntimeApiStandIn.Result again = invoke("app", digest, "1.0", FIFTEEN_MINUTES);
    assertThat(json(again.body()).path("status").asText()).as(again.body()).isEqualTo("already-indexed");
    assertThat(writesSince(mark)).as("no upload, no tag").isEmpty();
    assertThat(digestOf("app", "1.0-soci")).isEqualTo(index);

    mark = proxy.requests().size();
    RuntimeApiStandIn.Result own = invoke("app", index, "1.0-soci", FIFTEEN_MINUTES);
    assertThat(json(own.body()).path("status").asText()).as(own.body()).isEqualTo("ignored");
    assertThat(proxy.requests()).as("not even read").hasSize(mark);

    RuntimeApiStandIn.Result untagged = invoke("app", digest, null, FIFTEEN_MINUTES);
    assertThat(json(untagged.body()).path("status").asText()).as(untagged.body()).isEqualTo("skipped");
  }

  @Test
  @Order(3)
  void aCorruptLayerFailsTheInvocationNamingTheLayerAndTagsNothing() throws Exception {
    String digest = digestOf("corrupt", "1.0");
    String layer;
    try (RegistryClient c = client()) {
      var store = c.store(ImageReference.parse(REGISTRY.registry() + "/corrupt"));
      layer = json(new String(store.fetch(store.resolve("1.0")), java.nio.charset.StandardCharsets.UTF_8))
          .path("layers").get(0).path("digest").asText();
    }
    RuntimeApiStandIn.Result result = invoke("corrupt", digest, "1.0", FIFTEEN_MINUTES);
    assertThat(result.error()).as(result.body()).isTrue();
    assertThat(result.body()).contains(layer).contains("failed");
    assertThat(tagged("corrupt", "1.0-soci")).isFalse();
  }

  @Test
  @Order(4)
  void theTimeGuardStopsBeforeTheDeadlineAndTagsNothing() throws Exception {
    String digest = digestOf("late", "1.0");
    // 50 ms more than the default 30 s margin: the guard stops the conversion almost at once
    RuntimeApiStandIn.Result result = invoke("late", digest, "1.0", Duration.ofMillis(30_050));
    assertThat(result.error()).as(result.body()).isTrue();
    assertThat(result.body()).contains("stopped").contains("before the Lambda deadline").contains("nothing tagged");
    assertThat(tagged("late", "1.0-soci")).isFalse();
  }

  /**
   * The function's temporary directory ({@code java.io.tmpdir}) and working directory stay empty.
   * (The runtime interface client itself unpacks its JNI library to {@code
   * /tmp/.libaws-lambda-jni.so}, a fixed path: that is the runtime's, present in Lambda already.)
   */
  @Test
  @Order(5)
  void theHandlerWroteNoFile() throws IOException {
    for (String d : List.of("tmp", "empty")) {
      try (Stream<Path> files = Files.list(dir.resolve("lambda").resolve(d))) {
        assertThat(files.toList()).as("files in the function's " + d + " directory").isEmpty();
      }
    }
  }
}
