package io.soci4j.registry.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.registry.testing.Blob;
import io.soci4j.registry.testing.Concurrently;
import io.soci4j.registry.testing.TestImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the layout store: the files it writes and reads, atomicity, locking. */
class OciLayoutStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  @TempDir
  Path dir;

  @Test
  void aNewLayoutHasOciLayoutAnEmptyIndexAndABlobsDirectory() throws Exception {
    Path layout = dir.resolve("new");
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      assertThat(store.directory()).isEqualTo(layout.toRealPath());
    }

    assertThat(json(layout.resolve("oci-layout")).get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
    JsonNode index = json(layout.resolve("index.json"));
    assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(index.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.get("manifests")).isEmpty();
    assertThat(layout.resolve("blobs/sha256")).isDirectory();
  }

  @Test
  void openRefusesADirectoryThatHasFilesButNoOciLayoutAndLeavesItAlone() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> OciLayoutStore.open(dir)).isInstanceOf(SociException.class)
        .hasMessageContaining("notes.txt");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
  }

  @Test
  void openRefusesAnotherMajorLayoutVersion() throws Exception {
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");

    assertThatThrownBy(() -> OciLayoutStore.open(dir)).isInstanceOf(SociException.class)
        .hasMessageContaining("2.0.0");
  }

  @Test
  void blobsAreFilesNamedByTheirHexUnderBlobsSha256() throws Exception {
    TestImage image;
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      image = TestImage.of(1, 2, AMD64).pushTo(store, "v1");
    }

    for (Blob blob : image.blobsInPushOrder()) {
      assertThat(dir.resolve("blobs/sha256/" + blob.descriptor().digest().hex())).hasBinaryContent(blob.bytes());
    }
  }

  @Test
  void tagsAreOneIndexDescriptorEachWithTheRefNameAnnotation() throws Exception {
    TestImage image;
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      image = TestImage.of(2, 1, AMD64).pushTo(store, "v1");
      store.tag(image.manifest().descriptor(), "latest");
    }

    JsonNode manifests = json(dir.resolve("index.json")).get("manifests");
    assertThat(manifests).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode d = manifests.get(i);
      assertThat(d.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(d.get("digest").asText()).isEqualTo(image.manifest().descriptor().digest().toString());
      assertThat(d.get("size").asLong()).isEqualTo(image.manifest().bytes().length);
      assertThat(d.get("annotations").get(REF_NAME).asText()).isEqualTo(i == 0 ? "v1" : "latest");
    }
  }

  @Test
  void movingATagLeavesTheOldManifestAsAnUntaggedEntryLikeSkopeo() throws Exception {
    TestImage first;
    TestImage second;
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      first = TestImage.of(3, 1, AMD64).pushTo(store, "latest");
      second = TestImage.of(4, 1, AMD64).pushTo(store, "latest");
    }

    JsonNode manifests = json(dir.resolve("index.json")).get("manifests");
    assertThat(manifests).hasSize(2);
    assertThat(manifests.get(0).get("digest").asText()).isEqualTo(first.manifest().descriptor().digest().toString());
    assertThat(manifests.get(0).has("annotations")).isFalse();
    assertThat(manifests.get(1).get("digest").asText()).isEqualTo(second.manifest().descriptor().digest().toString());
    assertThat(manifests.get(1).get("annotations").get(REF_NAME).asText()).isEqualTo("latest");
  }

  @Test
  void taggingAnUntaggedEntryReplacesItAndRetaggingTheSameManifestChangesNothing() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      TestImage first = TestImage.of(5, 1, AMD64).pushTo(store, "latest");
      TestImage.of(6, 1, AMD64).pushTo(store, "latest");
      store.tag(first.manifest().descriptor(), "latest");
      byte[] before = Files.readAllBytes(dir.resolve("index.json"));
      store.tag(first.manifest().descriptor(), "latest");

      assertThat(dir.resolve("index.json")).hasBinaryContent(before);
      JsonNode manifests = json(dir.resolve("index.json")).get("manifests");
      assertThat(manifests).hasSize(2);
      assertThat(manifests.get(0).get("annotations").get(REF_NAME).asText()).isEqualTo("latest");
      assertThat(manifests.get(1).has("annotations")).isFalse();
    }
  }

  @Test
  void taggingKeepsFieldsAndEntriesThisStoreDoesNotModel() throws Exception {
    TestImage image = TestImage.of(7, 1, AMD64);
    String foreign = """
        {"schemaVersion":2,"annotations":{"com.example.revision":"r1"},"x-extra":[1,2],
         "manifests":[
          {"mediaType":"application/xml","digest":"sha256:%s","size":1,"annotations":{"a":"b"}},
          {"mediaType":"%s","digest":"%s","size":%d,"platform":{"os":"linux","architecture":"amd64"},
           "urls":["https://example.com/x"],"annotations":{"%s":"old","keep":"me"}}]}
        """.formatted("0".repeat(64), MediaTypes.OCI_MANIFEST, image.manifest().descriptor().digest(),
        image.manifest().bytes().length, REF_NAME);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\": \"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), foreign);

    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      image.pushTo(store, null);
      assertThat(store.resolve("old")).isEqualTo(image.manifest().descriptor());
      store.tag(image.manifest().descriptor(), "old");
      store.tag(image.manifest().descriptor(), "new");
    }

    JsonNode index = json(dir.resolve("index.json"));
    assertThat(index.get("annotations").get("com.example.revision").asText()).isEqualTo("r1");
    assertThat(index.get("x-extra")).hasSize(2);
    JsonNode m = index.get("manifests");
    assertThat(m).hasSize(3);
    assertThat(m.get(0).get("mediaType").asText()).isEqualTo("application/xml");
    assertThat(m.get(0).get("annotations").get("a").asText()).isEqualTo("b");
    assertThat(m.get(1).get("platform").get("os").asText()).isEqualTo("linux");
    assertThat(m.get(1).get("urls").get(0).asText()).isEqualTo("https://example.com/x");
    assertThat(m.get(1).get("annotations").get("keep").asText()).isEqualTo("me");
    assertThat(m.get(1).get("annotations").get(REF_NAME).asText()).isEqualTo("old");
    assertThat(m.get(2).get("annotations").get(REF_NAME).asText()).isEqualTo("new");
  }

  @Test
  void aTagThatIndexJsonNamesTwiceIsAnError() throws Exception {
    TestImage image = TestImage.of(8, 1, AMD64);
    String entry = "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d,\"annotations\":{\"%s\":\"twice\"}}"
        .formatted(MediaTypes.OCI_MANIFEST, image.manifest().descriptor().digest(), image.manifest().bytes().length,
            REF_NAME);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + entry + "," + entry + "]}");

    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      assertThatThrownBy(() -> store.resolve("twice")).isInstanceOf(SociException.class)
          .hasMessageContaining("2 times");
    }
  }

  @Test
  void aMalformedIndexJsonIsReportedWithItsPath() throws Exception {
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:");

    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      assertThatThrownBy(() -> store.resolve("v1")).isInstanceOf(SociException.class)
          .hasMessageContaining("index.json");
    }
  }

  @Test
  void aDockerManifestPushedWithoutTagResolvesByDigestWithItsMediaType() throws Exception {
    Blob config = Blob.of(MediaTypes.DOCKER_CONFIG, "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
    byte[] json = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\"" + config.descriptor().digest() + "\",\"size\":"
        + config.bytes().length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    Blob manifest = Blob.of(MediaTypes.DOCKER_MANIFEST, json);

    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      store.push(config.descriptor(), config.bytes());
      store.push(manifest.descriptor(), manifest.bytes());

      assertThat(store.resolve(manifest.descriptor().digest().toString())).isEqualTo(manifest.descriptor());
      assertThat(json(dir.resolve("index.json")).get("manifests")).isEmpty();
    }
  }

  @Test
  void aReferrerIsListedUntaggedInIndexJsonSoOtherToolsKeepIt() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      TestImage image = TestImage.of(9, 1, AMD64).pushTo(store, "v1");
      Blob ztoc = Blob.of(MediaTypes.ZTOC, TestImage.random(9, 100));
      Blob soci = TestImage.sociIndexV1(ztoc, image.manifest().descriptor(), Map.of());
      for (Blob b : List.of(TestImage.EMPTY_CONFIG, ztoc, soci, soci)) {
        store.push(b.descriptor(), b.bytes());
      }

      JsonNode manifests = json(dir.resolve("index.json")).get("manifests");
      assertThat(manifests).hasSize(2);
      assertThat(manifests.get(1).get("digest").asText()).isEqualTo(soci.descriptor().digest().toString());
      assertThat(manifests.get(1).has("annotations")).isFalse();
    }
  }

  @Test
  void referrersAreFoundInsideIndexesListedInIndexJson() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      TestImage image = TestImage.of(10, 1, AMD64).pushTo(store, null);
      Blob ztoc = Blob.of(MediaTypes.ZTOC, TestImage.random(10, 100));
      Blob soci = TestImage.sociIndexV1(ztoc, image.manifest().descriptor(), Map.of());
      for (Blob b : List.of(TestImage.EMPTY_CONFIG, ztoc)) {
        store.push(b.descriptor(), b.bytes());
      }
      // Written by another tool: the referrer is only reachable through a tagged index.
      Files.write(dir.resolve("blobs/sha256/" + soci.descriptor().digest().hex()), soci.bytes());
      Blob index = TestImage.index(List.of(image.manifest().descriptor(), soci.descriptor()));
      store.push(index.descriptor(), index.bytes());
      store.tag(index.descriptor(), "bundle");

      assertThat(store.referrers(image.manifest().descriptor().digest(), ""))
          .extracting(Descriptor::digest).containsExactly(soci.descriptor().digest());
    }
  }

  @Test
  void aCorruptBlobFailsFetchAndTheLastReadOfOpenButNotEarlierReads() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(11, 100_000));
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      store.push(blob.descriptor(), blob.bytes());
      Path file = dir.resolve("blobs/sha256/" + blob.descriptor().digest().hex());
      byte[] corrupt = blob.bytes().clone();
      corrupt[99_000] ^= 1;
      Files.write(file, corrupt);

      assertThatThrownBy(() -> store.fetch(blob.descriptor())).isInstanceOf(DigestMismatchException.class);
      try (InputStream in = store.open(blob.descriptor())) {
        assertThat(in.readNBytes(100_000)).isEqualTo(corrupt);
        assertThatThrownBy(in::read).isInstanceOfSatisfying(DigestMismatchException.class,
            e -> assertThat(e.expected()).isEqualTo(blob.descriptor().digest()));
        assertThatThrownBy(in::read).isInstanceOf(DigestMismatchException.class);
      }
      Files.write(file, new byte[10]);
      assertThatThrownBy(() -> store.openRange(blob.descriptor())).isInstanceOf(DigestMismatchException.class);
    }
  }

  @Test
  void aStreamPushThatFailsOrMismatchesLeavesNoBlobAndNoTemporaryFile() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(12, 200_000));
    InputStream failing = new SequenceInputStream(new ByteArrayInputStream(blob.bytes(), 0, 150_000),
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset (simulated)");
          }
        });
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      assertThatThrownBy(() -> store.push(blob.descriptor(), failing)).hasMessageContaining("simulated");
      assertThatThrownBy(() -> store.push(blob.descriptor(), new ByteArrayInputStream(blob.bytes(), 0, 199_999)))
          .isInstanceOf(DigestMismatchException.class);
      assertThat(store.exists(blob.descriptor())).isFalse();
    }
    assertThat(filesUnder(dir)).allSatisfy(name -> assertThat(name).doesNotEndWith(".tmp"))
        .doesNotContain("blobs/sha256/" + blob.descriptor().digest().hex());
  }

  @Test
  void readersAlwaysSeeAWholeIndexJsonWhileItIsRewritten() throws Exception {
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      TestImage image = TestImage.of(13, 1, AMD64).pushTo(store, "v0");
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger reads = new AtomicInteger();
      Concurrently.run(5, t -> {
        if (t == 0) {
          while (writing.get()) {
            JSON.readTree(Files.readAllBytes(dir.resolve("index.json"))).get("manifests").size();
            reads.incrementAndGet();
          }
          return;
        }
        try {
          for (int i = 0; i < 100; i++) {
            store.tag(image.manifest().descriptor(), "t" + t + "-" + i);
          }
        } finally {
          if (t == 1) {
            writing.set(false);
          }
        }
      });
      assertThat(reads.get()).isPositive();
      assertThat(json(dir.resolve("index.json")).get("manifests").size()).isEqualTo(1 + 4 * 100);
    }
  }

  @Test
  void twoStoresOnOneDirectoryInOneJvmLoseNoTags() throws Exception {
    try (OciLayoutStore a = OciLayoutStore.open(dir); OciLayoutStore b = OciLayoutStore.open(dir)) {
      TestImage image = TestImage.of(14, 1, AMD64).pushTo(a, null);
      Concurrently.run(8, t -> {
        OciLayoutStore store = t % 2 == 0 ? a : b;
        for (int i = 0; i < 25; i++) {
          store.tag(image.manifest().descriptor(), "t" + t + "-" + i);
        }
      });
      assertThat(json(dir.resolve("index.json")).get("manifests")).hasSize(8 * 25);
    }
  }

  @Test
  void processesTaggingOneLayoutAtOnceLoseNoTags() throws Exception {
    TestImage image;
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      image = TestImage.of(15, 1, AMD64).pushTo(store, null);
    }
    Descriptor m = image.manifest().descriptor();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int processes = 4;
    int tagsEach = 40;
    List<Process> running = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      running.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          TagInAnotherProcess.class.getName(), dir.toString(), m.mediaType(), m.digest().toString(),
          Long.toString(m.size()), "p" + p + "-", Integer.toString(tagsEach))
          .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + p + ".log").toFile()).start());
    }
    for (int p = 0; p < processes; p++) {
      assertThat(running.get(p).waitFor()).as(Files.readString(dir.resolve("child-" + p + ".log"))).isZero();
    }

    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      for (int p = 0; p < processes; p++) {
        for (int i = 0; i < tagsEach; i++) {
          assertThat(store.resolve("p" + p + "-" + i)).isEqualTo(m);
        }
      }
    }
    assertThat(json(dir.resolve("index.json")).get("manifests")).hasSize(processes * tagsEach);
  }

  @Test
  void openRangeReadsTheFileWithPositionalReads() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(16, 10_000));
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      store.push(blob.descriptor(), blob.bytes());
      try (ByteSource source = store.openRange(blob.descriptor())) {
        Files.delete(dir.resolve("blobs/sha256/" + blob.descriptor().digest().hex()));
        // The open file stays readable after the name is gone: reads do not reopen by path.
        assertThat(source.read(9_990, 10)).isEqualTo(Arrays.copyOfRange(blob.bytes(), 9_990, 10_000));
      }
    }
  }

  private static JsonNode json(Path file) throws IOException {
    return JSON.readTree(Files.readAllBytes(file));
  }

  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
    }
  }
}
