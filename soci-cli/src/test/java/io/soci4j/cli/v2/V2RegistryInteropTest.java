package io.soci4j.cli.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.IndexVersion;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import io.soci4j.ztoc.index.SociIndexFinder;
import io.soci4j.ztoc.testing.V2Registry;
import io.soci4j.ztoc.testing.V2Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v2 golden vectors through a real registry (Debian's docker-registry, started for this
 * class): each input pushed byte-exact with our client and converted there gives upstream's
 * digests (the same as through an OCI layout, {@code SociConverterGoldenTest}); each output
 * upstream made, pushed byte-exact (skopeo 1.9.3 would drop {@code artifactType} from the index
 * entries), is discovered as SOCI index v2 and read by {@link SociImage}, file bytes checked
 * against the layer's tar; and {@code skopeo copy --all} of a converted image carries every blob.
 */
class V2RegistryInteropTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static RegistryClient client;

  @BeforeAll
  static void connect() {
    client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  static Stream<V2Vectors.Case> converted() {
    return V2Vectors.all().stream().filter(c -> c.expectedError() == null);
  }

  static RegistryStore repo(String name) {
    return client.store(ImageReference.parse(REGISTRY.registry() + "/v2/" + name + ":x"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("converted")
  void convertingInTheRegistryGivesUpstreamsDigests(V2Vectors.Case c) throws IOException {
    RegistryStore store = repo(c.name() + "-in");
    V2Registry.pushAll(store, c.inputBlobs());
    SociConverter.ConvertedImage converted = SociConverter.of(c.builder()).convert(store, c.root().toString());
    assertThat(converted.index().digest()).isEqualTo(c.expectedIndex());
    for (Digest d : c.reachableNewBlobs()) {
      byte[] bytes = V2Vectors.blob(d);
      if (V2Registry.isManifest(V2Registry.json(bytes))) {
        assertThat(store.resolve(d.toString()).size()).as("manifest %s", d).isEqualTo(bytes.length);
      } else {
        assertThat(store.exists(Descriptor.of(MediaTypes.ZTOC, d, bytes.length))).as("blob %s", d).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("converted")
  void upstreamMadeImagesAreDiscoveredAndRead(V2Vectors.Case c) throws IOException {
    RegistryStore store = repo(c.name() + "-up");
    List<Digest> all = new ArrayList<>(c.inputBlobs());
    all.addAll(c.reachableNewBlobs());
    V2Registry.pushAll(store, all);
    for (JsonNode soci : c.json().path("expected").path("blobs_by_kind").path("soci_index_v2")) {
      Platform platform = platform(soci.get("platform"));
      FoundIndex found = SociIndexFinder.forPlatform(platform).find(store, c.expectedIndex().toString())
          .orElseThrow();
      assertThat(found.index().version()).isEqualTo(IndexVersion.V2);
      assertThat(found.indexDescriptor().digest().toString()).isEqualTo(soci.get("digest").asText());
      List<Descriptor> layers = found.index().ztocs();
      try (SociImage image = SociImage.open(store, c.expectedIndex().toString(),
          SociImageOptions.builder().platform(platform).build())) {
        Map.Entry<String, byte[]> file = V2Registry.topmostFile(store, image.layers().stream()
            .map(io.soci4j.reader.ImageLayer::descriptor).toList());
        assertThat(image.readAllBytes("/" + file.getKey())).as("%s from %s", file.getKey(), platform)
            .isEqualTo(file.getValue());
        assertThat(image.sociIndex().digest()).isEqualTo(found.indexDescriptor().digest());
      }
      assertThat(layers).isNotEmpty();
    }
  }

  @Test
  void skopeoCopyOfAConvertedImageCarriesEveryBlob() throws IOException {
    for (String name : List.of("multi-platform-all-platforms", "docker-manifest-list-arm64",
        "index-with-attestations-all-platforms")) {
      V2Vectors.Case c = V2Vectors.named(name);
      RegistryStore store = repo(name + "-copy");
      V2Registry.pushAll(store, c.inputBlobs());
      Digest index = SociConverter.of(c.builder()).convert(store, c.root().toString()).index().digest();
      Path layout = dir.resolve(name);
      Skopeo.run("copy", "--all", "--src-tls-verify=false",
          "docker://" + REGISTRY.registry() + "/v2/" + name + "-copy@" + index, "oci:" + layout + ":soci");
      for (Digest d : c.reachableNewBlobs()) {
        if (!d.equals(c.expectedIndex())) { // skopeo 1.9.3 rewrites the index (it drops artifactType)
          assertThat(layout.resolve("blobs/sha256/" + d.hex())).as("%s: blob %s", name, d).exists();
        }
      }
    }
  }

  @Test
  void zTocsOfAnEarlierSociEnabledImageInTheRepositoryAreReused() throws IOException {
    RegistryStore store = repo("reuse");
    V2Vectors.Case multi = V2Vectors.named("multi-platform-all-platforms");
    V2Registry.pushAll(store, multi.inputBlobs());
    store.tag(SociConverter.of(multi.builder()).convert(store, multi.root().toString()).index(), "multi-soci");
    assertThat(store.tags(10)).containsExactly("multi-soci");

    V2Vectors.Case single = V2Vectors.named("oci-manifest-min-size-skips-tiny-layer");
    V2Registry.pushAll(store, single.inputBlobs());
    SociConverter.ConvertedImage converted = SociConverter.of(single.builder()).convert(store,
        single.root().toString());
    assertThat(converted.index().digest()).as("reuse changes no byte").isEqualTo(single.expectedIndex());
    assertThat(converted.platforms().get(0).layers()).extracting(r -> r.status().name())
        .as("the base layer, shared with the multi-platform image").containsExactly("REUSED", "SKIPPED", "REUSED");
  }

  /** The README's first Java example, against the test registry (which needs plain HTTP). */
  @Test
  void theReadmeExampleConvertsAndReads() throws IOException {
    V2Vectors.Case c = V2Vectors.named("multi-platform-all-platforms");
    V2Registry.pushAll(repo("readme"), c.inputBlobs());
    repo("readme").tag(repo("readme").resolve(c.root().toString()), "1.0");
    String registry = REGISTRY.registry();
    byte[] expected;
    try (RegistryClient client = RegistryClient.builder().plainHttp(registry).build()) {
      ImageStore store = client.store(ImageReference.parse(registry + "/v2/readme:1.0"));
      SociConverter.of(SociIndexBuilder.create().withAllPlatforms().withMinLayerSize(0))
          .convert(store, "1.0", "1.0-soci");
      Map.Entry<String, byte[]> file = V2Registry.topmostFile(repo("readme"), repo("readme").imageManifest("1.0-soci",
          Platform.current()).layers());
      expected = file.getValue();
      String path = "/" + file.getKey();
      try (SociImage image = SociImage.open(store, "1.0-soci")) {
        assertThat(image.readAllBytes(path)).isEqualTo(expected);
        assertThat(image.sociIndex()).isNotNull();
        assertThat(image.stats().format()).isNotEmpty();
      }
    }
  }

  /** The CLI's errors against this registry say what to do. */
  @Test
  void errorsSayWhatToDo() throws IOException {
    V2Vectors.Case c = V2Vectors.named("multi-platform-all-platforms");
    RegistryStore store = repo("hints");
    V2Registry.pushAll(store, c.inputBlobs());
    store.tag(store.resolve(c.root().toString()), "plain");
    String ref = REGISTRY.registry() + "/v2/hints:plain";
    java.io.StringWriter err = new java.io.StringWriter();
    int tls = io.soci4j.cli.SociCli.run(new String[] {"ls", ref}, java.io.OutputStream.nullOutputStream(),
        new java.io.PrintWriter(err, true));
    assertThat(tls).isNotZero();
    assertThat(err.toString()).as("HTTPS to a plain-HTTP loopback registry").contains("pass --plain-http");
    err.getBuffer().setLength(0);
    int none = io.soci4j.cli.SociCli.run(new String[] {"ls", "--plain-http", "--platform", "linux/amd64", ref},
        java.io.OutputStream.nullOutputStream(), new java.io.PrintWriter(err, true));
    assertThat(none).isEqualTo(5);
    assertThat(err.toString()).contains("SOCI index of image 'plain' not found").contains("soci convert");
    err.getBuffer().setLength(0);
    int platform = io.soci4j.cli.SociCli.run(new String[] {"ls", "--plain-http", "--platform", "linux/s390x", ref},
        java.io.OutputStream.nullOutputStream(), new java.io.PrintWriter(err, true));
    assertThat(platform).isEqualTo(5);
    assertThat(err.toString()).contains("the image has [linux/amd64, linux/arm64/v8]").contains("--platform");
  }

  private static Platform platform(JsonNode p) {
    List<String> features = new ArrayList<>();
    p.path("os.features").forEach(f -> features.add(f.asText()));
    return new Platform(p.get("os").asText(), p.get("architecture").asText(), p.path("variant").asText(""),
        p.path("os.version").asText(""), features);
  }

}
