package io.soci4j.registry;

import static io.soci4j.registry.testing.TestImage.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.internal.model.Referrers;
import io.soci4j.registry.testing.Concurrently;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.registry.testing.TestImage;
import io.soci4j.registry.testing.TestImage.TwoPlatforms;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pushing to a real registry (Debian docker-registry 2.8, which has no referrers API): blobs
 * (monolithic, chunked, streamed), mounts, manifests with a subject read back by skopeo, and
 * referrers found through the fallback tag, with later pushes keeping earlier entries. The OCI 1.1
 * referrers API the registry lacks is served by {@link FaultProxy#emulateReferrersApi} from the
 * registry's own fallback index, to test pagination over real data.
 */
class PushAndReferrersTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.plain();

  private static final String SIG = "application/vnd.example.signature.v1+json";
  private static final String SBOM = "application/vnd.example.sbom.v1+json";
  private static final Descriptor EMPTY_CONFIG = TestImage.EMPTY_CONFIG.descriptor();

  private static TwoPlatforms image;
  private static RegistryClient client;

  @BeforeAll
  static void pushImage() throws Exception {
    image = TestImage.twoPlatforms(2).copyTo(REGISTRY, "push/app:v1");
    client = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous()).build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @AfterEach
  void noLeaks() {
    ClientProbe.assertNoLeaks(client);
  }

  private static RegistryStore store(String repo) {
    return client.store(ImageReference.parse(REGISTRY.registry() + "/" + repo));
  }

  @Test
  void pushesBlobsMonolithicChunkedAndStreamedAndReadsThemBack() throws Exception {
    RegistryStore store = store("push/blobs");
    byte[] mono = random(1, 300_000);
    byte[] streamed = random(2, 200_001);
    Descriptor monoD = Descriptor.of(MediaTypes.OCI_LAYER_TAR, mono);
    Descriptor streamedD = Descriptor.of(MediaTypes.OCI_LAYER_TAR, streamed);
    store.push(monoD, mono);
    store.push(streamedD, new ByteArrayInputStream(streamed));
    assertThat(store.fetch(monoD)).isEqualTo(mono);
    assertThat(store.fetch(streamedD)).isEqualTo(streamed);
    store.push(monoD, mono); // exists: no-op

    try (RegistryClient chunking = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous())
        .uploadChunkSize(65_536).build()) {
      RegistryStore s = chunking.store(ImageReference.parse(REGISTRY.registry() + "/push/blobs"));
      byte[] chunkedArray = random(3, 65_536 * 3 + 17);
      byte[] chunkedStream = random(4, 65_536 * 2 + 5);
      Descriptor a = Descriptor.of(MediaTypes.OCI_LAYER_TAR, chunkedArray);
      Descriptor b = Descriptor.of(MediaTypes.OCI_LAYER_TAR, chunkedStream);
      s.push(a, chunkedArray);
      s.push(b, new ByteArrayInputStream(chunkedStream));
      assertThat(store.fetch(a)).isEqualTo(chunkedArray);
      assertThat(store.fetch(b)).isEqualTo(chunkedStream);
      ClientProbe.assertNoLeaks(chunking);
    }
  }

  @Test
  void refusesContentThatDoesNotMatchItsDescriptorBeforeCommittingIt() throws Exception {
    RegistryStore store = store("push/bad");
    byte[] content = random(5, 1000);
    Descriptor wrong = Descriptor.of(MediaTypes.OCI_LAYER_TAR, random(6, 1000));
    assertThatThrownBy(() -> store.push(wrong, content)).isInstanceOf(DigestMismatchException.class);
    assertThatThrownBy(() -> store.push(wrong, new ByteArrayInputStream(content)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(wrong)).isFalse();
    assertThat(store.exists(Descriptor.of(MediaTypes.OCI_LAYER_TAR, content))).isFalse();
  }

  @Test
  void mountsABlobFromAnotherRepository() throws Exception {
    RegistryStore target = store("push/mounted");
    assertThat(target.exists(image.base().descriptor())).isFalse();
    assertThat(target.mount(image.base().descriptor(), "push/app")).isTrue();
    assertThat(target.exists(image.base().descriptor())).isTrue();
    Descriptor unknown = Descriptor.of(MediaTypes.OCI_LAYER_TAR, random(7, 10));
    assertThat(target.mount(unknown, "push/app")).isFalse();
  }

  private static ManifestContent artifact(RegistryStore store, String artifactType, String payload,
      Descriptor subject) throws Exception {
    byte[] blob = payload.getBytes(StandardCharsets.UTF_8);
    Descriptor blobD = Descriptor.of("application/octet-stream", blob);
    store.push(EMPTY_CONFIG, TestImage.EMPTY_CONFIG.bytes());
    store.push(blobD, blob);
    return ManifestContent.of(ImageManifest.of(EMPTY_CONFIG, List.of(blobD)).withArtifactType(artifactType)
        .withSubject(subject).withAnnotations(Map.of("org.example.payload", payload)));
  }

  @Test
  void pushesAnArtifactWithASubjectThatSkopeoReadsBackAndReferrersFindThroughTheFallbackTag() throws Exception {
    RegistryStore store = store("push/app");
    Descriptor subject = image.amd64().manifest().descriptor();
    ManifestContent sig = artifact(store, SIG, "signature-1", subject);
    assertThat(store.push(sig)).isEqualTo(sig.descriptor());

    byte[] raw = Skopeo.inspectRaw(REGISTRY.registry() + "/push/app@" + sig.descriptor().digest());
    assertThat(raw).isEqualTo(sig.bytes());
    List<Descriptor> found = store.referrers(subject.digest(), "");
    assertThat(found).singleElement().satisfies(d -> {
      assertThat(d.digest()).isEqualTo(sig.descriptor().digest());
      assertThat(d.size()).isEqualTo(sig.descriptor().size());
      assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(d.artifactType()).isEqualTo(SIG);
      assertThat(d.annotations()).containsEntry("org.example.payload", "signature-1");
    });

    ManifestContent sbom = artifact(store, SBOM, "sbom-1", subject);
    store.push(sbom, "sbom-latest");
    assertThat(store.referrers(subject.digest(), "")).extracting(Descriptor::digest)
        .containsExactly(sig.descriptor().digest(), sbom.descriptor().digest());
    assertThat(store.referrers(subject.digest(), SBOM)).extracting(Descriptor::digest)
        .containsExactly(sbom.descriptor().digest());
    assertThat(store.resolve("sbom-latest")).isEqualTo(sbom.descriptor());

    store.push(sig); // again: no duplicate entry
    byte[] fallback = Skopeo.inspectRaw(REGISTRY.registry() + "/push/app:" + Referrers.fallbackTag(subject.digest()));
    assertThat(ImageIndex.parse(fallback).manifests()).hasSize(2);
    assertThat(store.referrers(image.arm64().manifest().digest(), "")).isEmpty();
  }

  @Test
  void concurrentPushesFromOneClientToOneSubjectLoseNoReferrer() throws Exception {
    RegistryStore store = store("push/app");
    Descriptor subject = image.index().descriptor();
    List<ManifestContent> artifacts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      artifacts.add(artifact(store, SIG, "parallel-" + i, subject));
    }
    Concurrently.run(8, t -> store.push(artifacts.get(t)));
    assertThat(store.referrers(subject.digest(), SIG)).extracting(Descriptor::digest)
        .containsExactlyInAnyOrderElementsOf(artifacts.stream().map(a -> a.descriptor().digest()).toList());
  }

  @Test
  void tagsAnExistingManifest() throws Exception {
    RegistryStore store = store("push/app");
    store.tag(image.arm64().manifest().descriptor(), "arm-only");
    assertThat(store.resolve("arm-only")).isEqualTo(image.arm64().manifest().descriptor());
    assertThat(Skopeo.inspectRaw(REGISTRY.registry() + "/push/app:arm-only"))
        .isEqualTo(image.arm64().manifest().bytes());
  }

  @Test
  void aManifestWhoseBlobsAreMissingIsRejectedWithTheRegistrysError() throws Exception {
    RegistryStore store = store("push/app");
    Descriptor missing = Descriptor.of("application/octet-stream", random(8, 10));
    store.push(EMPTY_CONFIG, TestImage.EMPTY_CONFIG.bytes());
    ManifestContent m = ManifestContent.of(ImageManifest.of(EMPTY_CONFIG, List.of(missing)).withArtifactType(SIG));
    assertThatThrownBy(() -> store.push(m))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> {
          RegistryException r = (RegistryException) e;
          assertThat(r.status()).isEqualTo(400);
          assertThat(r.errors()).extracting(RegistryError::code).contains("MANIFEST_BLOB_UNKNOWN");
          assertThat(r.call().method()).isEqualTo("PUT");
        });
  }

  @Test
  void readsEveryPageOfTheReferrersApiAndFiltersWhenTheRegistryDoesNot() throws Exception {
    RegistryStore direct = store("push/app");
    Descriptor subject = image.arm64().manifest().descriptor();
    List<Digest> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ManifestContent a = artifact(direct, i % 2 == 0 ? SIG : SBOM, "paged-" + i, subject);
      direct.push(a);
      all.add(a.descriptor().digest());
    }
    for (boolean serverFilters : new boolean[] {false, true}) {
      try (FaultProxy proxy = FaultProxy.start(REGISTRY.url());
          RegistryClient viaProxy = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous())
              .build()) {
        proxy.emulateReferrersApi(3, serverFilters);
        RegistryStore store = viaProxy.store(ImageReference.parse(proxy.registry() + "/push/app"));
        assertThat(store.referrers(subject.digest(), "")).extracting(Descriptor::digest)
            .containsExactlyElementsOf(all);
        assertThat(proxy.referrersPagesServed()).isEqualTo(3);
        assertThat(store.referrers(subject.digest(), SBOM)).extracting(Descriptor::digest)
            .containsExactly(all.get(1), all.get(3), all.get(5));
        assertThat(proxy.requests()).extracting(RecordedRequest::path)
            .noneMatch(p -> p.contains("/manifests/sha256-"));
        ClientProbe.assertNoLeaks(viaProxy);
      }
    }
  }

  @Test
  void aRegistryThatAnswersOciSubjectGetsNoFallbackTag() throws Exception {
    RegistryStore direct = store("push/app");
    Descriptor subject = image.app().descriptor().withMediaType(MediaTypes.OCI_MANIFEST); // any digest will do
    ManifestContent a = artifact(direct, SIG, "with-api", subject);
    try (FaultProxy proxy = FaultProxy.start(REGISTRY.url());
        RegistryClient viaProxy = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous())
            .build()) {
      proxy.setHeaders("PUT", "/v2/push/app/manifests/.*", 1, Map.of("OCI-Subject", subject.digest().toString()));
      viaProxy.store(ImageReference.parse(proxy.registry() + "/push/app")).push(a);
      assertThat(proxy.requests()).extracting(r -> r.method() + " " + r.path())
          .containsExactly("PUT /v2/push/app/manifests/" + a.descriptor().digest());
    }
    assertThat(direct.referrers(subject.digest(), "")).isEmpty();
  }
}
