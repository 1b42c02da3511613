package io.soci4j.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.soci4j.lambda.testing.LambdaProcess;
import io.soci4j.lambda.testing.TestImages;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SAM template ({@code template.yaml}) deploys what the tests run: the handler, its settings'
 * variables, a rule matching the events the tests send, and exactly the IAM actions the handler's
 * registry requests need (recorded at a proxy in front of docker-registry while it converts,
 * finds an image already indexed, and builds v1 indexes; each request mapped to the ECR action
 * that authorizes it).
 */
class TemplateTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  private static final JsonNode TEMPLATE = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("template.yaml does not parse", e);
    }
  }

  private static JsonNode function() {
    return TEMPLATE.path("Resources").path("IndexOnPushFunction");
  }

  @Test
  void theFunctionRunsTheHandlerOnAJavaRuntimeWithLambdasLongestTimeoutAndNoExtraDisk() throws Exception {
    JsonNode f = function();
    assertThat(f.path("Type").asText()).isEqualTo("AWS::Serverless::Function");
    JsonNode p = f.path("Properties");
    assertThat(p.path("Handler").asText()).isEqualTo(LambdaProcess.HANDLER);
    String[] handler = p.path("Handler").asText().split("::");
    Class<?> type = Class.forName(handler[0]);
    assertThat(com.amazonaws.services.lambda.runtime.RequestStreamHandler.class).isAssignableFrom(type);
    Method m = type.getMethod(handler[1], java.io.InputStream.class, java.io.OutputStream.class,
        com.amazonaws.services.lambda.runtime.Context.class); // throws when the name is wrong
    assertThat(type.getConstructor().getParameterCount()).as("Lambda needs a no-argument constructor").isZero();
    assertThat(m.getReturnType()).isEqualTo(void.class);
    assertThat(p.path("Runtime").asText()).isIn("java17", "java21");
    assertThat(p.path("Timeout").asInt()).isEqualTo(900);
    assertThat(p.path("EphemeralStorage").path("Size").asInt()).as("the minimum: nothing is written").isEqualTo(512);
    assertThat(p.path("CodeUri").asText()).isEqualTo("target/soci-lambda.jar");
    Iterator<String> names = p.path("Environment").path("Variables").fieldNames();
    while (names.hasNext()) {
      assertThat(Settings.VARIABLES).contains(names.next());
    }
  }

  @Test
  void theRuleMatchesTheEventsOfPushesOnly() {
    JsonNode pattern = function().path("Properties").path("Events").path("ImagePushed").path("Properties")
        .path("Pattern");
    assertThat(pattern.toString()).isEqualTo("{\"source\":[\"aws.ecr\"],\"detail-type\":[\"ECR Image Action\"],"
        + "\"detail\":{\"action-type\":[\"PUSH\"],\"result\":[\"SUCCESS\"]}}");
    JsonNode push = json(TestImages.event("eu-west-1", "app", "sha256:" + "a".repeat(64), "1.0"));
    assertThat(matches(pattern, push)).isTrue();
    ((com.fasterxml.jackson.databind.node.ObjectNode) push.path("detail")).put("action-type", "DELETE");
    assertThat(matches(pattern, push)).isFalse();
  }

  /** EventBridge's matching for patterns of value lists and nested objects. */
  private static boolean matches(JsonNode pattern, JsonNode event) {
    for (Map.Entry<String, JsonNode> f : pattern.properties()) {
      JsonNode value = event.path(f.getKey());
      if (f.getValue().isObject() ? !matches(f.getValue(), value) : !contains(f.getValue(), value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theRoleAllowsExactlyTheActionsTheHandlersRequestsNeed() throws Exception {
    Random r = new Random(3);
    byte[] big = new byte[11 << 20];
    r.nextBytes(big);
    byte[] layer = TestImages.gzip(new TarBuilder().file("./data.bin", big, 0644).tar());
    TestImages.push(dir, REGISTRY.registry(), null, "v2", "1.0", layer);
    TestImages.push(dir, REGISTRY.registry(), null, "v1", "1.0", layer);
    Set<String> needed = new TreeSet<>();
    try (FaultProxy proxy = FaultProxy.start(REGISTRY.url())) {
      PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      Settings v2 = Settings.fromEnvironment(Map.of()).withRegistry(proxy.registry(), true);
      Settings v1 = Settings.fromEnvironment(Map.of("SOCI_INDEX_VERSION", "V1")).withRegistry(proxy.registry(), true);
      for (int i = 0; i < 2; i++) { // indexes, then finds it indexed
        assertThat(new IndexOnPush(v2, log).handle(event("v2"), () -> 900_000).get("status"))
            .isEqualTo(i == 0 ? "indexed" : "already-indexed");
        assertThat(new IndexOnPush(v1, log).handle(event("v1"), () -> 900_000).get("status"))
            .isEqualTo(i == 0 ? "indexed" : "already-indexed");
      }
      for (RecordedRequest q : proxy.requests()) {
        String action = action(q);
        if (action != null) {
          needed.add(action);
        }
      }
    }
    JsonNode statements = TEMPLATE.path("Resources").path("IndexOnPushRole").path("Properties").path("Policies")
        .get(0).path("PolicyDocument").path("Statement");
    Set<String> repositoryActions = new TreeSet<>();
    for (JsonNode s : statements) {
      assertThat(s.path("Effect").asText()).isEqualTo("Allow");
      switch (s.path("Sid").asText()) {
        case "RegistryToken" -> {
          assertThat(strings(s.path("Action"))).containsExactly("ecr:GetAuthorizationToken");
          assertThat(s.path("Resource").asText()).as("the token is for the registry: no resource").isEqualTo("*");
        }
        case "ReadImagesAndPushIndexes" -> {
          repositoryActions.addAll(strings(s.path("Action")));
          assertThat(s.path("Resource").path("Fn::Sub").asText())
              .isEqualTo("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryNamePattern}");
        }
        case "Logs" -> assertThat(strings(s.path("Action"))).containsExactly("logs:CreateLogStream", "logs:PutLogEvents");
        default -> throw new AssertionError("an unexpected statement " + s);
      }
    }
    assertThat(repositoryActions).as("the template's repository actions vs what the requests need").isEqualTo(needed);
  }

  private static byte[] event(String repo) throws java.io.IOException {
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      return TestImages.event("eu-west-1", repo, TestImages.digestOf(c, REGISTRY.registry(), repo, "1.0"), "1.0");
    }
  }

  /**
   * The ECR action that authorizes a registry request (ECR's mapping of the distribution API), or
   * null for the version check, which the token alone allows. The referrers API is authorized as
   * {@code ecr:BatchGetImage}, as ECR's {@code ListImageReferrers} is.
   */
  static String action(RecordedRequest q) {
    String path = q.path().replaceFirst("\\?.*$", "");
    String method = q.method();
    if (path.equals("/v2/") || path.equals("/v2")) {
      return null;
    }
    String action = null;
    if (path.contains("/blobs/uploads")) {
      action = Map.of("POST", "InitiateLayerUpload", "PATCH", "UploadLayerPart", "PUT", "CompleteLayerUpload")
          .get(method);
    } else if (path.contains("/manifests/")) {
      action = Map.of("GET", "BatchGetImage", "HEAD", "BatchGetImage", "PUT", "PutImage").get(method);
    } else if (path.contains("/blobs/")) {
      action = Map.of("GET", "GetDownloadUrlForLayer", "HEAD", "BatchCheckLayerAvailability").get(method);
    } else if (path.contains("/referrers/")) {
      action = method.equals("GET") ? "BatchGetImage" : null;
    } else if (path.endsWith("/tags/list")) {
      action = method.equals("GET") ? "ListImages" : null;
    }
    if (action == null) {
      throw new AssertionError("no ECR action known for " + method + " " + q.path());
    }
    return "ecr:" + action;
  }

  private static Set<String> strings(JsonNode list) {
    Set<String> s = new TreeSet<>();
    list.forEach(n -> s.add(n.asText()));
    return s;
  }

  private static JsonNode json(byte[] b) {
    try {
      return new ObjectMapper().readTree(b);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
