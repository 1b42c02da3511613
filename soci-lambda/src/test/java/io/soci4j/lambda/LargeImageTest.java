package io.soci4j.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.lambda.testing.GeneratedImage;
import io.soci4j.lambda.testing.MeasuredInvocation;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.SociIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beyond the upstream Lambda's limits (about 6 GB, and its 10 GB of disk): an image of more than 8
 * GiB compressed (4 generated layers of more than 2 GiB each, about 2.5 times that uncompressed),
 * generated as streams and pushed to docker-registry, indexed by the handler in a JVM of its own at
 * {@code -Xmx512m} with an empty temporary and working directory that must stay empty. Prints (and
 * writes to {@code target/large-image.json}) the time, MB/s and peak heap. The registry's storage
 * is deleted after the class, as every {@link RegistryExtension}'s.
 */
class LargeImageTest {
  private static final int LAYERS = GeneratedImage.LARGE_LAYERS;
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir Path dir;

  @Test
  void indexesAnImageOfMoreThan8GiBAt512MiBOfHeapWritingNoFile() throws Exception {
    GeneratedImage image;
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      image = GeneratedImage.push(store(c), "8g", LAYERS, GeneratedImage.LARGE_LAYER_BYTES);
    }
    assertThat(image.compressedBytes()).isGreaterThan(8L << 30);

    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path cwd = Files.createDirectories(dir.resolve("cwd"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
        MeasuredInvocation.class.getName(), REGISTRY.registry(), "big", image.manifest().digest().toString(), "8g",
        Long.toString(image.compressedBytes())));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SOCI_") || k.startsWith("AWS_"));
    pb.environment().put("HOME", cwd.toString());
    pb.environment().put("DOCKER_CONFIG", cwd.toString());
    Process p = pb.start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("within one Lambda invocation's 15 minutes").isTrue();
    String out = Files.readString(dir.resolve("out.log"));
    System.out.println(out);
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    Files.writeString(Path.of("target", "large-image.json"), last.toString() + "\n", StandardCharsets.UTF_8);
    assertThat(last.path("summary").path("status").asText()).isEqualTo("indexed");
    assertThat(last.path("summary").path("layers")).hasSize(LAYERS)
        .allMatch(l -> l.path("status").asText().equals("built"));
    assertThat(last.path("measured").path("maxHeapMiB").asLong()).isLessThanOrEqualTo(512);
    for (Path d : List.of(tmp, cwd)) {
      try (Stream<Path> files = Files.list(d)) {
        assertThat(files.toList()).as("files written in " + d).isEmpty();
      }
    }
    assertZtocsDescribeTheLayers(image, last.path("summary").path("index").asText());
  }

  /** Each layer's zTOC has the generated tar's size and entries. */
  private static void assertZtocsDescribeTheLayers(GeneratedImage image, String index) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, GeneratedImage.Layer> byDigest = new HashMap<>();
    image.layers().forEach(l -> byDigest.put(l.descriptor().digest().toString(), l));
    try (RegistryClient c = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = store(c);
      JsonNode converted = json.readTree(store.fetch(store.resolve(index)));
      JsonNode soci = null;
      for (JsonNode m : converted.path("manifests")) {
        if (m.path("artifactType").asText().equals(MediaTypes.SOCI_INDEX_V2)) {
          soci = m;
        }
      }
      assertThat(soci).as(converted.toString()).isNotNull();
      SociIndex si = SociIndex.parse(store.fetch(store.resolve(soci.path("digest").asText())));
      assertThat(si.ztocs()).hasSize(LAYERS);
      for (Descriptor z : si.ztocs()) {
        GeneratedImage.Layer layer = byDigest.get(z.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST));
        assertThat(layer).as(z.toString()).isNotNull();
        Ztoc ztoc = ZtocCodec.parse(store.fetch(z));
        assertThat(ztoc.uncompressedArchiveSize()).isEqualTo(layer.uncompressedSize());
        assertThat(ztoc.compressedArchiveSize()).isEqualTo(layer.descriptor().size());
        assertThat(ztoc.toc()).hasSize(layer.entries());
      }
    }
  }

  private static RegistryStore store(RegistryClient c) {
    return c.store(ImageReference.parse(REGISTRY.registry() + "/big"));
  }
}
