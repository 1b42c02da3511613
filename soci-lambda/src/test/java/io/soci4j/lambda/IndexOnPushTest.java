package io.soci4j.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.lambda.testing.TestImages;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler against a real registry (Debian's docker-registry standing in for ECR through the
 * registry override; ECR's own endpoint and GetAuthorizationToken cannot run here), fed EventBridge
 * {@code ECR Image Action} events in AWS's documented format, images pushed with skopeo.
 */
class IndexOnPushTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  private static final String ACCOUNT = TestImages.ACCOUNT;

  @BeforeAll
  static void push() throws Exception {
    Random r = new Random(5);
    byte[] big = new byte[12 << 20]; // above the default 10 MiB minimum: indexed
    r.nextBytes(big);
    image("app", "1.0", TestImages.gzip(new TarBuilder().dir("./opt/", 0755).file("./opt/data.bin", big, 0644)
        .file("./etc/os-release", "ID=test\n").tar()));
    image("tiny", "1.0", TestImages.gzip(new TarBuilder().file("./etc/os-release", "ID=tiny\n").tar()));
    byte[] notTar = new byte[11 << 20];
    r.nextBytes(notTar);
    image("corrupt", "1.0", TestImages.gzip(notTar)); // gzip of bytes that are not a tar stream
    image("filtered", "1.0", TestImages.gzip(new TarBuilder().file("./x", big, 0644).tar()));
  }

  private static void image(String repo, String tag, byte[] layer) throws Exception {
    TestImages.push(dir, REGISTRY.registry(), null, repo, tag, layer);
  }

  private static RegistryStore store(RegistryClient c, String repo) {
    return c.store(ImageReference.parse(REGISTRY.registry() + "/" + repo));
  }

  private static String digestOf(String repo, String tag) throws IOException {
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      return TestImages.digestOf(c, REGISTRY.registry(), repo, tag);
    }
  }

  static byte[] event(String repo, String digest, String tag) {
    return TestImages.event("us-west-2", repo, digest, tag);
  }

  private static Settings settings(Map<String, String> env) {
    return Settings.fromEnvironment(env).withRegistry(REGISTRY.registry(), true);
  }

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  private IndexOnPush handler(Map<String, String> env) {
    return new IndexOnPush(settings(env), new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  private static final java.util.function.LongSupplier FIFTEEN_MINUTES = () -> 900_000;

  @Test
  void aPushIsConvertedToTheSameImageAsTheConverterMakesAndRedeliveryPushesNothing() throws Exception {
    String digest = digestOf("app", "1.0");
    Map<String, Object> s = handler(Map.of()).handle(event("app", digest, "1.0"), FIFTEEN_MINUTES);
    assertThat(s.get("status")).as(s.toString()).isEqualTo("indexed");
    assertThat(s.get("sociTag")).isEqualTo("1.0-soci");
    String index = digestOf("app", "1.0-soci");
    assertThat(s.get("index")).isEqualTo(index);
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      Descriptor again = SociConverter.of(SociIndexBuilder.create().withAllPlatforms()).convert(store(c, "app"), digest)
          .index();
      assertThat(again.digest().toString()).as("what soci convert pushes for the same image").isEqualTo(index);
    }
    String lines = logged.toString(StandardCharsets.UTF_8);
    assertThat(lines).contains("\"status\":\"built\"").contains("\"MBps\"").contains("\"layer\":\"sha256:");
    for (String line : lines.split("\n")) {
      new com.fasterxml.jackson.databind.ObjectMapper().readTree(line); // one JSON object per line
    }

    // EventBridge delivers the event again: counted at a proxy, nothing is pushed
    try (FaultProxy proxy = FaultProxy.start(REGISTRY.url())) {
      IndexOnPush viaProxy = new IndexOnPush(Settings.fromEnvironment(Map.of()).withRegistry(proxy.registry(), true),
          new PrintStream(logged, true, StandardCharsets.UTF_8));
      Map<String, Object> redelivered = viaProxy.handle(event("app", digest, "1.0"), FIFTEEN_MINUTES);
      assertThat(redelivered.get("status")).isEqualTo("already-indexed");
      List<RecordedRequest> writes = proxy.requests().stream()
          .filter(r -> !r.method().equals("GET") && !r.method().equals("HEAD")).toList();
      assertThat(writes).as("no upload, no tag").isEmpty();
    }
    assertThat(digestOf("app", "1.0-soci")).isEqualTo(index);

    // the event of its own push is ignored
    Map<String, Object> own = handler(Map.of()).handle(event("app", index, "1.0-soci"), FIFTEEN_MINUTES);
    assertThat(own.get("status")).isEqualTo("ignored");
  }

  @Test
  void filtersUntaggedPushesAndImagesWithoutIndexableLayersPushNothing() throws Exception {
    String filtered = digestOf("filtered", "1.0");
    Map<String, Object> s = handler(Map.of("SOCI_REPOSITORY_IMAGE_TAG_FILTERS", "app:*,prod/*:v*"))
        .handle(event("filtered", filtered, "1.0"), FIFTEEN_MINUTES);
    assertThat(s.get("status")).isEqualTo("skipped");
    assertThat(s.get("message").toString()).contains("matches none of the filters");
    assertThat(tagExists("filtered", "1.0-soci")).isFalse();

    Map<String, Object> untagged = handler(Map.of()).handle(event("filtered", filtered, null), FIFTEEN_MINUTES);
    assertThat(untagged.get("status")).isEqualTo("skipped");
    assertThat(untagged.get("message").toString()).contains("untagged");

    Map<String, Object> tiny = handler(Map.of()).handle(event("tiny", digestOf("tiny", "1.0"), "1.0"), FIFTEEN_MINUTES);
    assertThat(tiny.get("status")).as(tiny.toString()).isEqualTo("skipped");
    assertThat(tiny.get("message").toString()).contains("no layer to index");
    assertThat(tagExists("tiny", "1.0-soci")).isFalse();
  }

  @Test
  void aCorruptLayerFailsNamingItAndLeavesNoTag() throws Exception {
    String digest = digestOf("corrupt", "1.0");
    Throwable t = catchThrowable(() -> handler(Map.of()).handle(event("corrupt", digest, "1.0"), FIFTEEN_MINUTES));
    assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("\"status\":\"failed\"");
    String layer;
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(store(c, "corrupt").fetch(store(c, "corrupt").resolve("1.0")));
      layer = m.path("layers").get(0).path("digest").asText();
    }
    assertThat(t.getMessage()).contains(layer);
    assertThat(tagExists("corrupt", "1.0-soci")).isFalse();
  }

  @Test
  void theDeadlineStopsTheWorkBeforeAnythingIsTagged() throws Exception {
    String digest = digestOf("filtered", "1.0");
    long deadline = System.currentTimeMillis() + 30_050; // the default margin is 30 s: 50 ms of budget
    Throwable t = catchThrowable(() -> handler(Map.of()).handle(event("filtered", digest, "1.0"),
        () -> deadline - System.currentTimeMillis()));
    assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("\"status\":\"stopped\"")
        .hasMessageContaining("before the Lambda deadline").hasMessageContaining("nothing tagged");
    assertThat(tagExists("filtered", "1.0-soci")).isFalse();
  }

  @Test
  void registryFailuresFailWithTheSummaryNamingWhatWasMissing() throws Exception {
    String gone = "sha256:" + "b".repeat(64); // an image deleted before the handler ran
    Throwable t = catchThrowable(() -> handler(Map.of()).handle(event("app", gone, "2.0"), FIFTEEN_MINUTES));
    assertThat(t).isInstanceOf(IOException.class);
    com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(t.getMessage());
    assertThat(summary.path("status").asText()).isEqualTo("failed");
    assertThat(summary.path("message").asText()).contains(gone);
    assertThat(summary.path("repository").asText()).isEqualTo("app");
    assertThat(tagExists("app", "2.0-soci")).isFalse();

    // a registry that is not there: the summary names it
    Settings nowhere = Settings.fromEnvironment(Map.of()).withRegistry("127.0.0.1:1", true);
    Throwable down = catchThrowable(() -> new IndexOnPush(nowhere, new PrintStream(logged, true, StandardCharsets.UTF_8))
        .handle(event("app", gone, "2.0"), FIFTEEN_MINUTES));
    com.fasterxml.jackson.databind.JsonNode s2 = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(down.getMessage());
    assertThat(s2.path("status").asText()).isEqualTo("failed");
    assertThat(s2.path("message").asText()).contains("127.0.0.1:1");
  }

  @Test
  void invalidEventsAreRejectedWithoutRetry() throws Exception {
    IndexOnPush h = handler(Map.of());
    Map<String, Object> notJson = h.handle("{".getBytes(StandardCharsets.UTF_8), FIFTEEN_MINUTES);
    assertThat(notJson.get("status")).isEqualTo("rejected");
    String good = new String(event("app", "sha256:" + "a".repeat(64), "1.0"), StandardCharsets.UTF_8);
    for (String[] bad : List.of(new String[] {"aws.ecr", "aws.s3"}, new String[] {"PUSH", "DELETE"},
        new String[] {"SUCCESS", "FAILURE"}, new String[] {ACCOUNT, "12345"},
        new String[] {"\"repository-name\":\"app\"", "\"repository-name\":\"App!\""},
        new String[] {"sha256:" + "a".repeat(64), "sha256:xyz"}, new String[] {"\"1.0\"", "\".bad tag\""},
        new String[] {"ECR Image Action", "ECR Image Scan"})) {
      Map<String, Object> s = h.handle(good.replace(bad[0], bad[1]).getBytes(StandardCharsets.UTF_8), FIFTEEN_MINUTES);
      assertThat(s.get("status")).as(bad[1]).isEqualTo("rejected");
      assertThat(s.get("message").toString()).as(bad[1]).contains(bad[1].replace("\"", "").replace("repository-name:", ""));
    }
  }

  @Test
  void settingsAreValidatedFromTheEnvironment() {
    assertThat(catchThrowable(() -> Settings.fromEnvironment(Map.of("SOCI_INDEX_VERSION", "V3"))))
        .hasMessageContaining("SOCI_INDEX_VERSION");
    assertThat(catchThrowable(() -> Settings.fromEnvironment(Map.of("SOCI_TAG_SUFFIX", "/x"))))
        .hasMessageContaining("SOCI_TAG_SUFFIX");
    Settings s = Settings.fromEnvironment(Map.of("soci_repository_image_tag_filters", "a:*", "SOCI_INDEX_VERSION", "v1",
        "SOCI_DEADLINE_MARGIN_SECONDS", "2.5"));
    assertThat(s.filters()).isEqualTo("a:*");
    assertThat(s.indexVersion()).isEqualTo("V1");
    assertThat(s.deadlineMargin()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.registry()).isEqualTo(Optional.empty());
  }

  private static boolean tagExists(String repo, String tag) throws IOException {
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      store(c, repo).resolve(tag);
      return true;
    } catch (ContentNotFoundException e) {
      return false;
    }
  }
}
