package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.ztoc.testing.TestImages;
import io.soci4j.ztoc.testing.TestLayers;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soci cat}, {@code pull} and {@code convert} through a proxy in front of the real registry
 * that answers 500 and 429 (Retry-After), cuts bodies of whole and range reads, flips a byte of a
 * span and resets a connection: each returns exactly the right bytes (convert: the same index as
 * without faults), the registry line of {@code --stats} shows the retries and resumes, and each
 * finishes under a 60 s guard.
 */
class SociCliFaultsTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static final List<byte[]> FILES = new ArrayList<>();
  static Digest layer;
  static FaultProxy proxy;

  @BeforeAll
  static void image() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
      Random r = new Random(17);
      for (int i = 0; i < 4; i++) {
        byte[] data = TestLayers.random(r, 3 << 20);
        FILES.add(data);
        TarArchiveEntry e = new TarArchiveEntry("data/file-" + i + ".bin");
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
    }
    byte[] gz = TestLayers.gzip(tar.toByteArray(), 1);
    layer = Digest.sha256(gz);
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      for (String repo : List.of("app", "ref", "conv")) { // ref and conv: converted once each, in the test
        RegistryStore store = client.store(ImageReference.parse(REGISTRY.registry() + "/faults/" + repo + ":1"));
        store.tag(TestImages.pushManifest(store, Platform.parse("linux/amd64"), List.of(new TestImages.LayerBlob(
            MediaTypes.OCI_LAYER_TAR_GZIP, gz))), "1");
      }
    }
    Cli.Result c = soci("convert", "--plain-http", "--min-layer-size", "0", "--span-size", "1048576",
        REGISTRY.registry() + "/faults/app:1", "soci");
    assertThat(c.exit()).as(c.err()).isZero();
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = FaultProxy.start(REGISTRY.url());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private static String via(String tag) {
    return proxy.registry() + "/faults/app:" + tag;
  }

  /** Faults on every kind of request a reader makes. */
  private static List<FaultProxy.Rule> readerFaults() {
    return List.of(proxy.respond("GET", "/v2/faults/app/manifests/.*", 1, 500, Map.of(), ""),
        proxy.respond("GET", "/v2/faults/app/blobs/.*", 1, 429, Map.of("Retry-After", "1"), ""),
        proxy.inject("GET", "/v2/faults/app/blobs/(?!" + layer + ").*", 1, FaultProxy.Kind.TRUNCATE), // whole read
        proxy.inject("GET", "/v2/faults/app/blobs/" + layer, 1, FaultProxy.Kind.TRUNCATE), // a range read
        proxy.inject("GET", "/v2/faults/app/blobs/" + layer, 1, FaultProxy.Kind.CORRUPT));
  }

  private static void allApplied(List<FaultProxy.Rule> rules) {
    assertThat(rules).as("every fault was applied").allSatisfy(r -> assertThat(r.remaining()).isZero());
  }

  private static Cli.Result run(String... args) {
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> soci(args));
  }

  @Test
  void catReturnsTheRightBytesAndCountsTheRetries() {
    List<FaultProxy.Rule> faults = readerFaults();
    Cli.Result cat = run("cat", "--plain-http", "--stats", via("soci"), "/data/file-2.bin");
    assertThat(cat.exit()).as(cat.err()).isZero();
    allApplied(faults);
    assertThat(cat.bytes()).isEqualTo(FILES.get(2));
    assertThat(cat.err().lines()).as(cat.err()).anyMatch(l -> l.startsWith("registry:") && !l.contains(" 0 retries"));
  }

  @Test
  void pullWritesTheRightFiles() throws Exception {
    List<FaultProxy.Rule> faults = readerFaults();
    Path target = dir.resolve("pulled");
    Cli.Result pull = run("pull", "--plain-http", via("soci"), target.toString());
    assertThat(pull.exit()).as(pull.err()).isZero();
    allApplied(faults);
    for (int i = 0; i < FILES.size(); i++) {
      assertThat(Files.readAllBytes(target.resolve("data/file-" + i + ".bin"))).as("file %d", i)
          .isEqualTo(FILES.get(i));
    }
  }

  /**
   * In repositories of their own (so no zTOC is reused and the layer is read): a conversion
   * without faults, and one through them, give the same image.
   */
  @Test
  void convertUnderFaultsMakesTheSameImageAsWithout() throws Exception {
    Cli.Result clean = run("convert", "--plain-http", "--min-layer-size", "0", "--span-size", "1048576",
        REGISTRY.registry() + "/faults/ref:1", "soci");
    assertThat(clean.exit()).as(clean.err()).isZero();
    List<FaultProxy.Rule> faults = List.of(proxy.respond("HEAD", "/v2/faults/conv/blobs/.*", 1, 503, Map.of(), ""),
        proxy.respond("GET", "/v2/faults/conv/manifests/.*", 1, 429, Map.of("Retry-After", "1"), ""),
        proxy.inject("GET", "/v2/faults/conv/blobs/" + layer, 2, FaultProxy.Kind.TRUNCATE)); // read whole, cut twice
    Cli.Result convert = run("convert", "--plain-http", "--min-layer-size", "0", "--span-size", "1048576",
        proxy.registry() + "/faults/conv:1", "soci");
    assertThat(convert.exit()).as(convert.err()).isZero();
    allApplied(faults);
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      assertThat(client.store(ImageReference.parse(REGISTRY.registry() + "/faults/conv:1")).resolve("soci"))
          .as("byte for byte the conversion without faults")
          .isEqualTo(client.store(ImageReference.parse(REGISTRY.registry() + "/faults/ref:1")).resolve("soci"));
    }
    Cli.Result cat = run("cat", "--plain-http", REGISTRY.registry() + "/faults/conv:soci", "/data/file-0.bin");
    assertThat(cat.exit()).as(cat.err()).isZero();
    assertThat(cat.bytes()).isEqualTo(FILES.get(0));
  }
}
