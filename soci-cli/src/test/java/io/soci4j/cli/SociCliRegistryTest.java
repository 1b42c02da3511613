package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.cli.DemoImage;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.SociIndexFinder;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real registry (Debian's docker-registry 2.8, started for this class) with a
 * realistic 3-layer image pushed by skopeo: {@code soci create}, discovery, {@code soci ztoc
 * get-file} on a pulled layer, {@code soci convert} copied by skopeo, {@code soci inspect}, and
 * the same build on an OCI layout giving the same digests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SociCliRegistryTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static DemoImage image;

  /** The image holds its layer tars in memory (hundreds of MB): let them go for the next classes. */
  @org.junit.jupiter.api.AfterAll
  static void releaseImage() {
    image = null;
  }
  static String ref;
  static String indexDigest;

  @BeforeAll
  static void pushImage() throws Exception {
    image = DemoImage.build(dir.resolve("layout"));
    ref = REGISTRY.registry() + "/app:" + DemoImage.TAG;
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, ref, null);
  }

  static RegistryStore store(RegistryClient client) {
    return client.store(ImageReference.parse(ref));
  }

  @Test
  @Order(1)
  void createPublishesAnIndexThatDiscoveryFindsAndWhoseZtocsMatchTheLayers() throws Exception {
    Cli.Result r = soci("create", "--plain-http", ref);
    assertThat(r.exit()).as(r.err()).isZero();
    indexDigest = r.out().trim();
    assertThat(Digest.parse(indexDigest)).isNotNull();

    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = store(client);
      FoundIndex found = SociIndexFinder.forCurrentPlatform().find(store, DemoImage.TAG).orElseThrow();
      assertThat(found.indexDescriptor().digest().toString()).isEqualTo(indexDigest);
      // base and jdk are indexed; the small app layer is skipped by the 10 MiB minimum
      assertThat(found.index().ztocs()).hasSize(2);
      for (Descriptor layer : image.layers().subList(0, 2)) {
        Descriptor z = found.ztocFor(layer).orElseThrow();
        byte[] expected;
        try (var in = store.open(layer)) {
          expected = ZtocCodec.serialize(ZtocBuilder.create().build(in));
        }
        assertThat(store.fetch(z)).as("zTOC of %s", layer.digest()).isEqualTo(expected);
      }
    }
  }

  @Test
  @Order(2)
  void creatingAgainIsIdempotent() throws Exception {
    Cli.Result r = soci("create", "--plain-http", ref);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(indexDigest);
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = store(client);
      Descriptor manifest = store.resolve(DemoImage.TAG);
      assertThat(store.referrers(manifest.digest(), MediaTypes.SOCI_INDEX_V1)).hasSize(1);
    }
    Cli.Result list = soci("index", "list", "--plain-http", ref);
    assertThat(list.out()).contains("* " + indexDigest);
  }

  @Test
  @Order(3)
  void ztocGetFileOnAPulledLayerReturnsTheFileBytes() throws Exception {
    Path pulled = dir.resolve("pulled");
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = store(client);
      FoundIndex found = SociIndexFinder.forCurrentPlatform().find(store, DemoImage.TAG).orElseThrow();
      Descriptor jdk = image.layers().get(1);
      Files.createDirectories(pulled);
      try (var in = store.open(jdk)) {
        Files.copy(in, pulled.resolve("layer.tar.gz"));
      }
      Files.write(pulled.resolve("layer.ztoc"), store.fetch(found.ztocFor(jdk).orElseThrow()));
    }
    Path release = Path.of(System.getProperty("java.home")).toRealPath().resolve("release");
    Cli.Result r = soci("ztoc", "get-file", pulled.resolve("layer.tar.gz").toString(),
        pulled.resolve("layer.ztoc").toString(), "opt/java/release", "-o", pulled.resolve("release").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(pulled.resolve("release"))).isEqualTo(Files.readAllBytes(release));
  }

  @Test
  @Order(4)
  void convertMakesASociEnabledImageThatSkopeoCopiesWithAllBlobs() throws Exception {
    Cli.Result r = soci("convert", "--plain-http", ref, "1-soci");
    assertThat(r.exit()).as(r.err()).isZero();
    // skopeo 1.9.3 knows image-spec 1.0 indexes only: it drops the entries' artifactType, so the
    // index is rewritten (no --preserve-digests); every manifest and blob is copied unchanged.
    String copy = REGISTRY.registry() + "/copy:1";
    Skopeo.run("copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", REGISTRY.docker("app:1-soci"),
        "docker://" + copy);

    JsonNode index = new ObjectMapper().readTree(Skopeo.inspectRaw(REGISTRY.registry() + "/app:1-soci"));
    assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
    JsonNode converted = index.path("manifests").get(0);
    JsonNode soci = index.path("manifests").get(1);
    assertThat(soci.path("artifactType").asText()).isEqualTo(MediaTypes.SOCI_INDEX_V2);
    assertThat(soci.path("annotations").path(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST).asText())
        .isEqualTo(converted.path("digest").asText());
    JsonNode copied = new ObjectMapper().readTree(Skopeo.inspectRaw(copy));
    assertThat(copied.path("manifests").findValuesAsText("digest"))
        .containsExactly(converted.path("digest").asText(), soci.path("digest").asText());
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore copyStore = client.store(ImageReference.parse(copy));
      FoundIndex found = SociIndexFinder.forCurrentPlatform().find(copyStore, "1").orElseThrow();
      assertThat(found.indexDescriptor().digest().toString()).isEqualTo(soci.path("digest").asText());
      for (Descriptor z : found.index().ztocs()) {
        assertThat(copyStore.exists(z)).as("zTOC %s copied", z.digest()).isTrue();
      }
    }

    String original = new String(Skopeo.inspectRaw(ref), StandardCharsets.UTF_8);
    String manifest = new String(Skopeo.inspectRaw(REGISTRY.registry() + "/app@" + converted.path("digest").asText()),
        StandardCharsets.UTF_8);
    assertThat(manifest).isEqualTo(original.substring(0, original.length() - 1) + ",\"annotations\":{\""
        + MediaTypes.ANNOTATION_INDEX_DIGEST + "\":\"" + soci.path("digest").asText() + "\"}}");
    // the original is untouched
    assertThat(soci("inspect", "--plain-http", ref).out()).contains("layer:").doesNotContain("platform:");
  }

  @Test
  @Order(5)
  void theSameBuildOnTheOciLayoutGivesTheSameDigests() {
    Cli.Result r = soci("create", "oci:" + image.layout() + ":" + DemoImage.TAG);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(indexDigest);
  }

  @Test
  @Order(6)
  void inspectShowsLayersAndTheIndexAsReferrer() throws Exception {
    Cli.Result r = soci("inspect", "--plain-http", ref, "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("layers")).hasSize(3);
    assertThat(json.path("layers").get(1).path("digest").asText()).isEqualTo(image.layers().get(1).digest().toString());
    assertThat(json.path("referrers").get(0).path("digest").asText()).isEqualTo(indexDigest);
    assertThat(json.path("referrers").get(0).path("artifactType").asText()).isEqualTo(MediaTypes.SOCI_INDEX_V1);
  }

  @Test
  @Order(7)
  void ztocCommandsWorkOnRegistryReferencesAndLayouts() throws Exception {
    String jdk = image.layers().get(1).digest().toString();
    Path release = Path.of(System.getProperty("java.home")).toRealPath().resolve("release");
    for (String imageRef : List.of(ref, "oci:" + image.layout() + ":" + DemoImage.TAG)) {
      Cli.Result info = soci("ztoc", "info", "--plain-http", "--image", imageRef, jdk, "--json");
      assertThat(info.exit()).as(info.err()).isZero();
      JsonNode json = new ObjectMapper().readTree(info.out());
      assertThat(json.path("compressed_archive_size").asLong()).isEqualTo(image.layers().get(1).size());

      Cli.Result list = soci("ztoc", "list", "--plain-http", "--image", imageRef, jdk);
      assertThat(list.out()).contains(" opt/java/release");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StringWriter err = new StringWriter();
      int exit = SociCli.run(new String[] {"ztoc", "get-file", "--plain-http", "--image", imageRef, jdk,
          "opt/java/release"}, out, new PrintWriter(err, true));
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(release));
    }
    Cli.Result skipped = soci("ztoc", "info", "--plain-http", "--image", ref, image.layers().get(2).digest().toString());
    assertThat(skipped.exit()).isEqualTo(SociCli.EXIT_NOT_FOUND);
    assertThat(skipped.err()).contains("was skipped");
  }

  @Test
  @Order(8)
  void convertZstdMakesSeekableZstdLayersThatZstdReadsAndSociReadsLazily() throws Exception {
    Cli.Result r = soci("convert", "--plain-http", "--zstd", ref, "1-zstd");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("note:");
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = store(client);
      FoundIndex found = SociIndexFinder.forCurrentPlatform().find(store, "1-zstd").orElseThrow();
      assertThat(found.index().version()).isEqualTo(io.soci4j.ztoc.index.IndexVersion.V2);
      JsonNode manifest = new ObjectMapper().readTree(store.fetch(found.manifest()));
      assertThat(manifest.path("layers").findValuesAsText("mediaType")).containsOnly(MediaTypes.OCI_LAYER_TAR_ZSTD);
      // every recompressed layer has its zTOC, the small app layer too (it could not be read otherwise)
      assertThat(found.index().ztocs()).hasSize(3);
      Cli.Result app = soci("cat", "--plain-http", REGISTRY.registry() + "/app:1-zstd", DemoImage.APP_FILE);
      assertThat(app.exit()).as(app.err()).isZero();
      assertThat(app.out()).isEqualTo("hello from the app layer\n");

      // skopeo copies the zstd image (reading and verifying every blob); Debian's zstd
      // decompresses each layer to the original tar
      Path layout = dir.resolve("zstd-layout");
      Skopeo.run("copy", "--src-tls-verify=false", "docker://" + REGISTRY.registry() + "/app@" + found.manifest().digest(),
          "oci:" + layout + ":1");
      for (int i = 0; i < 3; i++) {
        String hex = manifest.path("layers").get(i).path("digest").asText().substring("sha256:".length());
        byte[] tar = io.soci4j.registry.testing.Commands.check(120,
            List.of("zstd", "-d", "-c", "-q", layout.resolve("blobs/sha256/" + hex).toString()));
        assertThat(Digest.sha256(tar)).as("layer %d", i).isEqualTo(Digest.sha256(image.tars().get(i)));
      }

      Descriptor jdk = io.soci4j.api.Descriptor.of(MediaTypes.OCI_LAYER_TAR_ZSTD,
          Digest.parse(manifest.path("layers").get(1).path("digest").asText()),
          manifest.path("layers").get(1).path("size").asLong());
      io.soci4j.ztoc.Ztoc ztoc = ZtocCodec.parse(store.fetch(found.ztocFor(jdk).orElseThrow()));
      assertThat(ztoc.compression()).isEqualTo(io.soci4j.ztoc.Compression.ZSTD);
      assertThat(ztoc.maxSpanId()).isGreaterThan(5);
      try (var layer = store.openRange(jdk)) {
        byte[] release = io.soci4j.ztoc.LayerReader.of(ztoc, layer).readFile("opt/java/release");
        assertThat(release).isEqualTo(Files.readAllBytes(Path.of(System.getProperty("java.home")).toRealPath()
            .resolve("release")));
      }
    }
  }
}
