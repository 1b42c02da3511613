package io.soci4j.registry.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.testing.Blob;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.registry.testing.TestImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with real tools: layouts written by {@link OciLayoutStore} are read by skopeo
 * and copied through a real registry (Debian {@code docker-registry}, started for this class)
 * without changing a digest, and layouts skopeo writes are read by the store.
 */
class SkopeoInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64/v8");

  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.plain();

  @TempDir
  Path dir;

  @Test
  void aLayoutWeWriteGoesThroughARegistryAndBackWithIdenticalDigests() throws Exception {
    TestImage image;
    try (OciLayoutStore ours = OciLayoutStore.open(dir.resolve("ours"))) {
      image = TestImage.of(1, 3, AMD64).pushTo(ours, "v1");
    }

    Skopeo.run("copy", "--dest-tls-verify=false", "oci:" + dir.resolve("ours") + ":v1",
        REGISTRY.docker("interop/three:v1"));
    Skopeo.run("copy", "--src-tls-verify=false", REGISTRY.docker("interop/three:v1"),
        "oci:" + dir.resolve("back") + ":v1");

    byte[] inRegistry = Skopeo.run("inspect", "--raw", "--tls-verify=false", REGISTRY.docker("interop/three:v1"));
    assertThat(inRegistry).isEqualTo(image.manifest().bytes());
    try (OciLayoutStore back = OciLayoutStore.open(dir.resolve("back"))) {
      assertThat(back.resolve("v1")).isEqualTo(image.manifest().descriptor());
      for (Blob blob : image.blobsInPushOrder()) {
        assertThat(back.fetch(blob.descriptor())).as(blob.descriptor().toString()).isEqualTo(blob.bytes());
      }
    }
  }

  @Test
  void skopeoReadsOurManifestBytesAndLayers() throws Exception {
    TestImage image;
    try (OciLayoutStore ours = OciLayoutStore.open(dir.resolve("ours"))) {
      image = TestImage.of(2, 3, AMD64).pushTo(ours, "v1");
      ours.tag(image.manifest().descriptor(), "latest");
    }
    String ref = "oci:" + dir.resolve("ours") + ":latest";

    assertThat(Skopeo.run("inspect", "--raw", ref)).isEqualTo(image.manifest().bytes());
    JsonNode inspect = JSON.readTree(Skopeo.run("inspect", ref));
    List<String> layers = new ArrayList<>();
    inspect.get("Layers").forEach(n -> layers.add(n.asText()));
    assertThat(layers).containsExactlyElementsOf(
        image.layers().stream().map(l -> l.descriptor().digest().toString()).toList());
    assertThat(inspect.get("Digest").asText()).isEqualTo(image.manifest().descriptor().digest().toString());
    assertThat(inspect.get("Architecture").asText()).isEqualTo("amd64");
    assertThat(JSON.readTree(Skopeo.run("inspect", "--config", "--raw", ref)))
        .isEqualTo(JSON.readTree(image.config().bytes()));
  }

  @Test
  void aMultiPlatformIndexWeWriteGoesThroughARegistryAndBackWithIdenticalDigests() throws Exception {
    TestImage amd;
    TestImage arm;
    Blob index;
    try (OciLayoutStore ours = OciLayoutStore.open(dir.resolve("ours"))) {
      amd = TestImage.of(3, 2, AMD64).pushTo(ours, null);
      arm = TestImage.of(4, 2, ARM64).pushTo(ours, null);
      index = TestImage.index(List.of(amd.manifest().descriptor().withPlatform(AMD64),
          arm.manifest().descriptor().withPlatform(ARM64)));
      ours.push(index.descriptor(), index.bytes());
      ours.tag(index.descriptor(), "multi");
    }

    Skopeo.run("copy", "--all", "--dest-tls-verify=false", "oci:" + dir.resolve("ours") + ":multi",
        REGISTRY.docker("interop/multi:v1"));
    Skopeo.run("copy", "--all", "--src-tls-verify=false", REGISTRY.docker("interop/multi:v1"),
        "oci:" + dir.resolve("back") + ":multi");

    try (OciLayoutStore back = OciLayoutStore.open(dir.resolve("back"))) {
      assertThat(back.resolve("multi")).isEqualTo(index.descriptor());
      assertThat(back.fetch(index.descriptor())).isEqualTo(index.bytes());
      for (TestImage image : List.of(amd, arm)) {
        assertThat(back.resolve(image.manifest().descriptor().digest().toString()))
            .isEqualTo(image.manifest().descriptor());
        for (Blob blob : image.blobsInPushOrder()) {
          assertThat(back.fetch(blob.descriptor())).isEqualTo(blob.bytes());
        }
      }
    }
  }

  @Test
  void aSociIndexWithASubjectGoesThroughARegistryAndIsFoundAsAReferrer() throws Exception {
    TestImage image;
    Blob soci;
    try (OciLayoutStore ours = OciLayoutStore.open(dir.resolve("ours"))) {
      image = TestImage.of(5, 1, AMD64).pushTo(ours, "v1");
      Blob ztoc = Blob.of(MediaTypes.ZTOC, TestImage.random(5, 4000));
      soci = TestImage.sociIndexV1(ztoc, image.manifest().descriptor(),
          Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, "soci4j"));
      for (Blob b : List.of(TestImage.EMPTY_CONFIG, ztoc, soci)) {
        ours.push(b.descriptor(), b.bytes());
      }
      ours.tag(soci.descriptor(), "soci");
    }

    Skopeo.run("copy", "--dest-tls-verify=false", "oci:" + dir.resolve("ours") + ":soci",
        REGISTRY.docker("interop/soci:soci"));
    assertThat(Skopeo.run("inspect", "--raw", "--tls-verify=false", REGISTRY.docker("interop/soci:soci")))
        .isEqualTo(soci.bytes());
    Skopeo.run("copy", "--src-tls-verify=false", REGISTRY.docker("interop/soci:soci"),
        "oci:" + dir.resolve("back") + ":soci");

    try (OciLayoutStore back = OciLayoutStore.open(dir.resolve("back"))) {
      assertThat(back.referrers(image.manifest().descriptor().digest(), MediaTypes.SOCI_INDEX_V1))
          .containsExactly(soci.descriptor().withArtifactType(MediaTypes.SOCI_INDEX_V1)
              .withAnnotations(Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, "soci4j")));
    }
  }

  /**
   * The reverse direction, independent of our writer: a Docker schema 2 image written by hand in
   * skopeo's {@code dir:} format goes into the registry, and skopeo copies it into a layout.
   */
  @Test
  void aLayoutSkopeoWritesFromADockerImageIsReadByTheStore() throws Exception {
    DockerDirImage source = DockerDirImage.write(dir.resolve("dir-image"), 6);
    Skopeo.run("copy", "--dest-tls-verify=false", "dir:" + dir.resolve("dir-image"),
        REGISTRY.docker("interop/docker:v1"));
    Skopeo.run("copy", "--src-tls-verify=false", REGISTRY.docker("interop/docker:v1"),
        "oci:" + dir.resolve("theirs") + ":v1");
    byte[] skopeoSays = Skopeo.run("inspect", "--raw", "oci:" + dir.resolve("theirs") + ":v1");

    try (OciLayoutStore theirs = OciLayoutStore.open(dir.resolve("theirs"))) {
      Descriptor manifest = theirs.resolve("v1");
      byte[] manifestBytes = theirs.fetch(manifest);
      assertThat(manifestBytes).isEqualTo(skopeoSays);
      assertThat(manifest.digest()).isEqualTo(Digest.sha256(skopeoSays));
      // skopeo 1.9 converts Docker schema 2 to OCI when writing a layout (new manifest and config
      // digests); the layer bytes are copied unchanged.
      assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      JsonNode m = JSON.readTree(manifestBytes);
      assertThat(m.get("layers")).hasSize(source.layers().size());
      for (int i = 0; i < source.layers().size(); i++) {
        JsonNode l = m.get("layers").get(i);
        Descriptor layer = Descriptor.of(l.get("mediaType").asText(), Digest.parse(l.get("digest").asText()),
            l.get("size").asLong());
        byte[] expected = source.layers().get(i);
        assertThat(layer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_GZIP);
        assertThat(layer.digest()).isEqualTo(Digest.sha256(expected));
        try (InputStream in = theirs.open(layer)) {
          assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        try (ByteSource range = theirs.openRange(layer)) {
          Random random = new Random(i);
          for (int k = 0; k < 20; k++) {
            int from = random.nextInt(expected.length);
            int len = random.nextInt(expected.length - from + 1);
            assertThat(range.read(from, len)).isEqualTo(Arrays.copyOfRange(expected, from, from + len));
          }
        }
      }
      JsonNode config = m.get("config");
      byte[] configBytes = theirs.fetch(Descriptor.of(config.get("mediaType").asText(),
          Digest.parse(config.get("digest").asText()), config.get("size").asLong()));
      assertThat(JSON.readTree(configBytes).get("rootfs")).isEqualTo(JSON.readTree(source.config()).get("rootfs"));
    }
  }

  @Test
  void theStoreTagsALayoutSkopeoWroteAndSkopeoReadsTheNewTag() throws Exception {
    TestImage image;
    try (OciLayoutStore ours = OciLayoutStore.open(dir.resolve("ours"))) {
      image = TestImage.of(7, 2, AMD64).pushTo(ours, "v1");
    }
    Skopeo.run("copy", "oci:" + dir.resolve("ours") + ":v1", "oci:" + dir.resolve("theirs") + ":v1");

    try (OciLayoutStore theirs = OciLayoutStore.open(dir.resolve("theirs"))) {
      assertThat(theirs.resolve("v1")).isEqualTo(image.manifest().descriptor());
      theirs.tag(image.manifest().descriptor(), "v2");
    }
    assertThat(Skopeo.run("inspect", "--raw", "oci:" + dir.resolve("theirs") + ":v2"))
        .isEqualTo(image.manifest().bytes());
    String index = Files.readString(dir.resolve("theirs/index.json"), StandardCharsets.UTF_8);
    assertThat(JSON.readTree(index).get("manifests")).hasSize(2);
  }
}
