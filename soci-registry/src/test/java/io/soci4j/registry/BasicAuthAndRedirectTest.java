package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TestImage;
import io.soci4j.registry.testing.TestImage.TwoPlatforms;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real registry (Debian docker-registry 2.8) with htpasswd (bcrypt) Basic auth and the redirect
 * storage middleware: blob reads answer 307 to a file server on {@code localhost:<other port>}, as
 * ECR sends them to S3. The client must authenticate to the registry, never send its
 * Authorization header to the storage host, keep Range across the redirect, and reuse the
 * redirect target for later range reads.
 */
class BasicAuthAndRedirectTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.basicAuthWithRedirect("soci", "s3cr3t-Pa55");

  private static TwoPlatforms image;
  private static RegistryClient client;

  @BeforeAll
  static void pushImage() throws Exception {
    image = TestImage.twoPlatforms(4).copyTo(REGISTRY, "auth/app:v1");
    client = RegistryClient.builder().plainHttp()
        .credentials(CredentialsProvider.of(REGISTRY.registry(), Credential.basic("soci", "s3cr3t-Pa55"))).build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @AfterEach
  void noLeaks() {
    ClientProbe.assertNoLeaks(client);
  }

  private static RegistryStore store(RegistryClient c, String registry) {
    return c.store(ImageReference.parse(registry + "/auth/app"));
  }

  @Test
  void pullsAndPushesWithBasicCredentials() throws Exception {
    RegistryStore store = store(client, REGISTRY.registry());
    assertThat(store.resolve("v1")).isEqualTo(image.index().descriptor());
    assertThat(store.imageManifest("v1", image.platforms().get(0)).layers())
        .containsExactly(image.base().descriptor(), image.app().descriptor());
    byte[] blob = new byte[4096];
    new Random(9).nextBytes(blob);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR, blob);
    store.push(d, blob);
    assertThat(store.exists(d)).isTrue();
  }

  @Test
  void anonymousAccessIsRefusedWithThe401AndItsErrors() {
    try (RegistryClient anonymous = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous())
        .build()) {
      assertThatThrownBy(() -> store(anonymous, REGISTRY.registry()).manifest("v1"))
          .isInstanceOf(RegistryException.class)
          .satisfies(e -> {
            RegistryException r = (RegistryException) e;
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errors()).extracting(RegistryError::code).containsExactly("UNAUTHORIZED");
          });
    }
  }

  @Test
  void wrongCredentialsFailAfterOneRetryAndRightOnesAreSentPreemptively() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(REGISTRY.url())) {
      try (RegistryClient wrong = RegistryClient.builder().plainHttp()
          .credentials(CredentialsProvider.of(proxy.registry(), Credential.basic("soci", "nope"))).build()) {
        assertThatThrownBy(() -> store(wrong, proxy.registry()).manifest("v1"))
            .isInstanceOf(RegistryException.class)
            .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401))
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("nope"));
      }
      assertThat(proxy.requests()).hasSize(2);
      try (RegistryClient right = RegistryClient.builder().plainHttp()
          .credentials(CredentialsProvider.of(proxy.registry(), Credential.basic("soci", "s3cr3t-Pa55"))).build()) {
        RegistryStore store = store(right, proxy.registry());
        store.manifest("v1");
        store.manifest("v1");
        List<RecordedRequest> mine = proxy.requests().subList(2, proxy.requests().size());
        assertThat(mine).extracting(r -> r.header("Authorization") != null).containsExactly(false, true, true);
        ClientProbe.assertNoLeaks(right);
      }
    }
  }

  @Test
  void blobReadsFollowTheRedirectWithoutAuthorizationAndKeepRange() throws Exception {
    RegistryStore store = store(client, REGISTRY.registry());
    int before = REGISTRY.fileServer().requests().size();
    try (InputStream in = store.open(image.base().descriptor())) {
      assertThat(in.readAllBytes()).isEqualTo(image.base().bytes());
    }
    byte[] full = image.base().bytes();
    try (ByteSource blob = store.openRange(image.base().descriptor())) {
      assertThat(blob.read(1000, 5000)).isEqualTo(Arrays.copyOfRange(full, 1000, 6000));
      assertThat(blob.read(full.length - 1, 1)).isEqualTo(Arrays.copyOfRange(full, full.length - 1, full.length));
    }
    List<RecordedRequest> storage = REGISTRY.fileServer().requests().subList(before,
        REGISTRY.fileServer().requests().size());
    assertThat(storage).hasSize(3);
    assertThat(storage).allSatisfy(r -> {
      assertThat(r.header("Authorization")).isNull();
      assertThat(r.path()).contains(image.base().digest().hex());
    });
    assertThat(storage).extracting(r -> r.header("Range"))
        .containsExactly(null, "bytes=1000-5999", "bytes=" + (full.length - 1) + "-" + (full.length - 1));
    assertThat(store.exists(image.base().descriptor())).isTrue();
  }

  @Test
  void laterRangeReadsGoStraightToTheRedirectTarget() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(REGISTRY.url());
        RegistryClient viaProxy = RegistryClient.builder().plainHttp()
            .credentials(CredentialsProvider.of(proxy.registry(), Credential.basic("soci", "s3cr3t-Pa55"))).build()) {
      RegistryStore store = store(viaProxy, proxy.registry());
      byte[] full = image.app().bytes();
      try (ByteSource blob = store.openRange(image.app().descriptor())) {
        for (int off = 0; off < 100; off += 10) {
          assertThat(blob.read(off, 10)).isEqualTo(Arrays.copyOfRange(full, off, off + 10));
        }
      }
      assertThat(proxy.requests()).filteredOn(r -> r.path().contains("/blobs/")).hasSize(2); // 401, then 307
      ClientProbe.assertNoLeaks(viaProxy);
    }
  }

  @Test
  void credentialsComeFromADockerConfigJson(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String auth = java.util.Base64.getEncoder().encodeToString("soci:s3cr3t-Pa55".getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"http://" + REGISTRY.registry() + "/v2/\":{\"auth\":\""
        + auth + "\"}}}");
    try (RegistryClient fromConfig = RegistryClient.builder().plainHttp()
        .credentials(CredentialsProvider.dockerConfig(dir)).build()) {
      assertThat(store(fromConfig, REGISTRY.registry()).resolve("v1")).isEqualTo(image.index().descriptor());
      ClientProbe.assertNoLeaks(fromConfig);
    }
  }
}
