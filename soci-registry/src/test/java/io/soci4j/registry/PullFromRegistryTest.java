package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.testing.Concurrently;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TestImage;
import io.soci4j.registry.testing.TestImage.TwoPlatforms;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pulling from a real registry (Debian docker-registry 2.8): skopeo copies a two-platform image,
 * written by hand as an OCI layout, into it; the client resolves it, lists platforms, reads
 * manifests and configs, and range-reads slices of a layer that equal the same slices of the full
 * blob, also from 32 threads sharing connections.
 */
class PullFromRegistryTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.plain();

  private static TwoPlatforms image;
  private static RegistryClient client;
  private static RegistryStore store;

  @BeforeAll
  static void pushImage() throws Exception {
    image = TestImage.twoPlatforms(1).copyTo(REGISTRY, "pull/app:v1");
    client = RegistryClient.builder().plainHttp(REGISTRY.registry()).credentials(CredentialsProvider.anonymous())
        .platform(Platform.parse("linux/arm64/v8")).build();
    store = client.store(ImageReference.parse(REGISTRY.registry() + "/pull/app"));
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @AfterEach
  void noLeaks() {
    ClientProbe.assertNoLeaks(client);
  }

  @Test
  void resolvesTheTagToTheIndexSkopeoPushedUnchanged() throws Exception {
    Descriptor d = store.resolve("v1");
    assertThat(d).isEqualTo(image.index().descriptor());
    ManifestContent m = store.manifest("v1");
    assertThat(m.bytes()).isEqualTo(image.index().bytes());
    assertThat(m.isIndex()).isTrue();
    assertThat(store.resolve(d.digest().toString())).isEqualTo(d);
  }

  @Test
  void listsPlatformsAndPicksTheManifestPerPlatform() throws Exception {
    assertThat(store.platforms("v1")).containsExactlyElementsOf(image.platforms());
    ImageManifest amd64 = store.imageManifest("v1", Platform.parse("linux/amd64"));
    assertThat(amd64.layers()).containsExactly(image.base().descriptor(), image.app().descriptor());
    ImageManifest byDefault = store.imageManifest("v1");
    assertThat(byDefault.layers()).containsExactly(image.base().descriptor(), image.arm().descriptor());
    assertThat(store.platforms(image.amd64().manifest().digest().toString()))
        .containsExactly(Platform.parse("linux/amd64"));
    assertThatThrownBy(() -> store.imageManifest("v1", Platform.parse("linux/s390x")))
        .isInstanceOf(ContentNotFoundException.class)
        .hasMessageContaining("linux/s390x").hasMessageContaining("linux/arm64/v8");
  }

  @Test
  void readsTheConfigOfTheManifest() throws Exception {
    ImageManifest m = store.imageManifest("v1", Platform.parse("linux/amd64"));
    byte[] config = store.fetch(m.config());
    assertThat(config).isEqualTo(image.amd64().config().bytes());
    assertThat(ImageConfig.parse(config).platform()).isEqualTo(Platform.parse("linux/amd64"));
    assertThat(ImageConfig.parse(config).diffIds()).hasSize(2);
  }

  @Test
  void streamsAndFetchesBlobsVerified() throws Exception {
    try (InputStream in = store.open(image.base().descriptor())) {
      assertThat(in.readAllBytes()).isEqualTo(image.base().bytes());
    }
    assertThat(store.fetch(image.app().descriptor())).isEqualTo(image.app().bytes());
    assertThat(store.fetch(image.arm64().manifest().descriptor())).isEqualTo(image.arm64().manifest().bytes());
    assertThat(store.exists(image.arm().descriptor())).isTrue();
    assertThat(store.exists(image.arm64().manifest().descriptor())).isTrue();
    Descriptor absent = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, new byte[] {9, 9});
    assertThat(store.exists(absent)).isFalse();
    assertThat(store.exists(absent.withMediaType(MediaTypes.OCI_MANIFEST))).isFalse();
  }

  @Test
  void rangeReadsOfArbitrarySlicesEqualTheSameSlicesOfTheFullBlob() throws Exception {
    byte[] full = store.fetch(image.base().descriptor());
    Random random = new Random(7);
    try (ByteSource blob = store.openRange(image.base().descriptor())) {
      assertThat(blob.size()).isEqualTo(full.length);
      List<long[]> slices = new ArrayList<>(List.of(new long[] {0, 1}, new long[] {full.length - 1, 1},
          new long[] {0, full.length}, new long[] {12345, 70000}, new long[] {full.length - 4096, 4096}));
      for (int i = 0; i < 20; i++) {
        int off = random.nextInt(full.length);
        slices.add(new long[] {off, 1 + random.nextInt(full.length - off)});
      }
      for (long[] s : slices) {
        byte[] got = blob.read(s[0], (int) s[1]);
        assertThat(got).as("slice %d+%d", s[0], s[1])
            .isEqualTo(Arrays.copyOfRange(full, (int) s[0], (int) (s[0] + s[1])));
      }
      ByteBuffer direct = ByteBuffer.allocateDirect(100);
      blob.read(500, direct);
      direct.flip();
      byte[] copy = new byte[100];
      direct.get(copy);
      assertThat(copy).isEqualTo(Arrays.copyOfRange(full, 500, 600));
      assertThatThrownBy(() -> blob.read(full.length - 10, 11)).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void thirtyTwoParallelRangeReadsShareConnectionsAndReturnTheRightBytes() throws Exception {
    ClientProbe.Counter counter = new ClientProbe.Counter();
    try (RegistryClient counted = ClientProbe.withListener(RegistryClient.builder().plainHttp(REGISTRY.registry())
        .credentials(CredentialsProvider.anonymous()), counter).build()) {
      RegistryStore s = counted.store(ImageReference.parse(REGISTRY.registry() + "/pull/app"));
      byte[] full = image.base().bytes();
      try (ByteSource blob = s.openRange(image.base().descriptor())) {
        Concurrently.run(32, t -> {
          Random r = new Random(t);
          for (int i = 0; i < 4; i++) {
            int off = r.nextInt(full.length - 65536);
            int len = 1 + r.nextInt(65536);
            assertThat(blob.read(off, len)).isEqualTo(Arrays.copyOfRange(full, off, off + len));
          }
        });
      }
      assertThat(counter.calls.get()).isEqualTo(128);
      assertThat(counter.connectionsAcquired.get()).isEqualTo(128);
      assertThat(counter.connectsStarted.get()).as("new connections for 128 reads on 32 threads")
          .isBetween(1, 32);
      assertThat(ClientProbe.pool(counted).connectionCount()).isLessThanOrEqualTo(32);
      ClientProbe.assertNoLeaks(counted);
    }
  }

  @Test
  void aMissingTagIsContentNotFoundWithTheRegistrysError() {
    assertThatThrownBy(() -> store.manifest("nope"))
        .isInstanceOf(RegistryNotFoundException.class)
        .isInstanceOf(ContentNotFoundException.class)
        .satisfies(e -> {
          RegistryNotFoundException n = (RegistryNotFoundException) e;
          assertThat(n.call().method()).isEqualTo("GET");
          assertThat(n.call().url()).isEqualTo(REGISTRY.url() + "/v2/pull/app/manifests/nope");
          assertThat(n.call().repository()).isEqualTo("pull/app");
          assertThat(n.errors()).extracting(RegistryError::code).contains("MANIFEST_UNKNOWN");
          assertThat(n.getMessage()).contains("manifest nope in " + REGISTRY.registry() + "/pull/app not found")
              .contains("MANIFEST_UNKNOWN");
        });
    Digest absent = Digest.sha256(new byte[] {1});
    assertThatThrownBy(() -> store.fetch(Descriptor.of(MediaTypes.OCI_CONFIG, absent, 1)))
        .isInstanceOf(RegistryNotFoundException.class).hasMessageContaining("BLOB_UNKNOWN");
  }
}
