package io.soci4j.registry.storetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.testing.Blob;
import io.soci4j.registry.testing.Concurrently;
import io.soci4j.registry.testing.TestImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ImageStore} shares. Extend it and implement {@link #newStore()};
 * each test gets a fresh, empty store.
 *
 * <pre>{@code
 * class MemoryStoreContractTest extends ImageStoreContractTest {
 *   protected ImageStore newStore() { return MemoryStore.create(); }
 * }
 * }</pre>
 */
public abstract class ImageStoreContractTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");

  /** The store under test; closed after each test. */
  protected ImageStore store;

  /**
   * @return a new, empty store
   * @throws Exception when it cannot be made
   */
  protected abstract ImageStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
  }

  // ---- resolve

  @Test
  void resolveByTagGivesMediaTypeDigestAndSizeOfTheManifest() throws Exception {
    TestImage image = TestImage.of(1, 3, AMD64).pushTo(store, "v1");

    assertThat(store.resolve("v1")).isEqualTo(image.manifest().descriptor());
  }

  @Test
  void resolveByDigestFindsAnUntaggedManifest() throws Exception {
    TestImage image = TestImage.of(2, 2, AMD64).pushTo(store, null);
    Descriptor manifest = image.manifest().descriptor();

    assertThat(store.resolve(manifest.digest().toString())).isEqualTo(manifest);
  }

  @Test
  void resolveByTagAndDigestFindsAnImageIndex() throws Exception {
    TestImage amd = TestImage.of(3, 1, AMD64).pushTo(store, null);
    TestImage arm = TestImage.of(4, 1, Platform.parse("linux/arm64/v8")).pushTo(store, null);
    Blob index = TestImage.index(List.of(amd.manifest().descriptor().withPlatform(AMD64),
        arm.manifest().descriptor().withPlatform(Platform.parse("linux/arm64/v8"))));
    store.push(index.descriptor(), index.bytes());
    store.tag(index.descriptor(), "multi");

    assertThat(store.resolve("multi")).isEqualTo(index.descriptor());
    assertThat(store.resolve("multi").mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(store.resolve(index.descriptor().digest().toString())).isEqualTo(index.descriptor());
  }

  @Test
  void tagsListsEveryTagOnceUpToTheLimit() throws Exception {
    assertThat(store.tags(10)).isEmpty();
    TestImage image = TestImage.of(6, 1, AMD64).pushTo(store, "v1");
    store.tag(image.manifest().descriptor(), "v2");
    store.tag(image.manifest().descriptor(), "v1");
    assertThat(store.tags(10)).containsExactlyInAnyOrder("v1", "v2");
    assertThat(store.tags(1)).hasSize(1);
  }

  @Test
  void resolveOfAnUnknownTagOrDigestIsNotFound() throws Exception {
    TestImage.of(5, 1, AMD64).pushTo(store, "v1");

    assertThatThrownBy(() -> store.resolve("v2")).isInstanceOf(ContentNotFoundException.class);
    assertThatThrownBy(() -> store.resolve(Digest.sha256(new byte[] {1}).toString()))
        .isInstanceOf(ContentNotFoundException.class);
  }

  @Test
  void resolveOfTheDigestOfALayerOrAConfigIsNotFound() throws Exception {
    TestImage image = TestImage.of(6, 1, AMD64).pushTo(store, "v1");

    assertThatThrownBy(() -> store.resolve(image.layers().get(0).descriptor().digest().toString()))
        .isInstanceOf(ContentNotFoundException.class);
    // An image config is JSON with a "config" object too; it is still not a manifest.
    assertThatThrownBy(() -> store.resolve(image.config().descriptor().digest().toString()))
        .isInstanceOf(ContentNotFoundException.class);
  }

  // ---- fetch, open, openRange

  @Test
  void fetchReturnsThePushedBytesOfEveryBlob() throws Exception {
    TestImage image = TestImage.of(7, 3, AMD64).pushTo(store, "v1");

    for (Blob blob : image.blobsInPushOrder()) {
      assertThat(store.fetch(blob.descriptor())).isEqualTo(blob.bytes());
    }
  }

  @Test
  void fetchOpenAndOpenRangeOfMissingContentAreNotFound() {
    Descriptor missing = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, new byte[] {1, 2, 3});

    assertThatThrownBy(() -> store.fetch(missing)).isInstanceOf(ContentNotFoundException.class);
    assertThatThrownBy(() -> {
      try (InputStream in = store.open(missing)) {
        in.readAllBytes();
      }
    }).isInstanceOf(ContentNotFoundException.class);
    assertThatThrownBy(() -> {
      try (ByteSource source = store.openRange(missing)) {
        source.read(0, 1);
      }
    }).isInstanceOf(ContentNotFoundException.class);
  }

  @Test
  void fetchWithTheWrongSizeIsADigestMismatch() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(8, 1000));
    store.push(blob.descriptor(), blob.bytes());
    Descriptor wrongSize = Descriptor.of(blob.descriptor().mediaType(), blob.descriptor().digest(), 999);

    assertThatThrownBy(() -> store.fetch(wrongSize)).isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void openStreamsThePushedBytes() throws Exception {
    TestImage image = TestImage.of(9, 3, AMD64).pushTo(store, "v1");

    for (Blob layer : image.layers()) {
      try (InputStream in = store.open(layer.descriptor())) {
        assertThat(in.readAllBytes()).isEqualTo(layer.bytes());
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void openStreamsTheSameBytesThroughSingleByteReadsAndSkips() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(10, 70_000));
    store.push(blob.descriptor(), blob.bytes());

    byte[] got = new byte[blob.bytes().length];
    try (InputStream in = store.open(blob.descriptor())) {
      for (int i = 0; i < 100; i++) {
        got[i] = (byte) in.read();
      }
      assertThat(in.skip(50_000)).isEqualTo(50_000);
      int n = in.readNBytes(got, 50_100, got.length - 50_100);
      assertThat(n).isEqualTo(got.length - 50_100);
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(Arrays.copyOfRange(got, 0, 100)).isEqualTo(Arrays.copyOfRange(blob.bytes(), 0, 100));
    assertThat(Arrays.copyOfRange(got, 50_100, got.length))
        .isEqualTo(Arrays.copyOfRange(blob.bytes(), 50_100, got.length));
  }

  @Test
  void openWithTheWrongSizeFailsWhenTheStreamEnds() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(11, 5000));
    store.push(blob.descriptor(), blob.bytes());
    Descriptor wrongSize = Descriptor.of(blob.descriptor().mediaType(), blob.descriptor().digest(), 5001);

    assertThatThrownBy(() -> {
      try (InputStream in = store.open(wrongSize)) {
        in.readAllBytes();
      }
    }).isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void openRangeReadsEqualSlicesOfTheBlobAtEveryBoundary() throws Exception {
    TestImage image = TestImage.of(12, 1, AMD64).pushTo(store, "v1");
    Blob layer = image.layers().get(0);
    byte[] all = layer.bytes();
    int size = all.length;

    try (ByteSource source = store.openRange(layer.descriptor())) {
      assertThat(source.size()).isEqualTo(size);
      assertThat(source.read(0, 0)).isEmpty();
      assertThat(source.read(0, 1)).containsExactly(all[0]);
      assertThat(source.read(size - 1, 1)).containsExactly(all[size - 1]);
      assertThat(source.read(size, 0)).isEmpty();
      assertThat(source.read(0, size)).isEqualTo(all);
      Random random = new Random(12);
      for (int i = 0; i < 50; i++) {
        int from = random.nextInt(size);
        int len = random.nextInt(size - from + 1);
        assertThat(source.read(from, len)).as("[%d, +%d)", from, len).isEqualTo(Arrays.copyOfRange(all, from, from + len));
      }
      assertThatThrownBy(() -> source.read(size - 1, 2)).isInstanceOf(EOFException.class);
      assertThatThrownBy(() -> source.read(size, 1)).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void openRangeServesManyThreadsAtOnce() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(13, 300_000));
    store.push(blob.descriptor(), blob.bytes());

    try (ByteSource source = store.openRange(blob.descriptor())) {
      Concurrently.run(16, t -> {
        Random random = new Random(t);
        for (int i = 0; i < 40; i++) {
          int from = random.nextInt(300_000);
          int len = random.nextInt(Math.min(20_000, 300_000 - from) + 1);
          assertThat(source.read(from, len)).isEqualTo(Arrays.copyOfRange(blob.bytes(), from, from + len));
        }
      });
    }
  }

  // ---- exists and push

  @Test
  void existsOnlyAfterPush() throws Exception {
    Blob blob = Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, TestImage.random(14, 100));

    assertThat(store.exists(blob.descriptor())).isFalse();
    store.push(blob.descriptor(), blob.bytes());
    assertThat(store.exists(blob.descriptor())).isTrue();
  }

  @Test
  void pushOfBytesThatDoNotMatchTheDigestIsRejectedAndStoresNothing() throws Exception {
    byte[] bytes = TestImage.random(15, 100);
    Descriptor claimed = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.sha256(new byte[100]), 100);

    assertThatThrownBy(() -> store.push(claimed, bytes))
        .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
          assertThat(e.expected()).isEqualTo(claimed.digest());
          assertThat(e.actual()).isEqualTo(Digest.sha256(bytes));
        });
    assertThat(store.exists(claimed)).isFalse();
    assertThat(store.exists(Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, bytes))).isFalse();
  }

  @Test
  void pushOfAStreamThatDoesNotMatchTheDigestIsRejectedAndStoresNothing() throws Exception {
    byte[] bytes = TestImage.random(16, 100_000);
    Descriptor claimed = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.sha256(new byte[100_000]), 100_000);

    assertThatThrownBy(() -> store.push(claimed, new ByteArrayInputStream(bytes)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(claimed)).isFalse();
  }

  @Test
  void pushOfAStreamShorterOrLongerThanTheDescriptorIsRejected() throws Exception {
    byte[] bytes = TestImage.random(17, 10_000);
    Descriptor right = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, bytes);

    assertThatThrownBy(() -> store.push(right, new ByteArrayInputStream(bytes, 0, 9_999)))
        .isInstanceOf(DigestMismatchException.class);
    byte[] longer = Arrays.copyOf(bytes, 10_001);
    assertThatThrownBy(() -> store.push(right, new ByteArrayInputStream(longer)))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(right)).isFalse();
  }

  @Test
  void pushOfBytesWithTheRightDigestButAnotherSizeIsRejected() throws Exception {
    byte[] bytes = TestImage.random(18, 100);
    Descriptor wrongSize = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.sha256(bytes), 101);

    assertThatThrownBy(() -> store.push(wrongSize, bytes)).isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(wrongSize)).isFalse();
  }

  @Test
  void pushIsIdempotent() throws Exception {
    TestImage image = TestImage.of(19, 2, AMD64);
    image.pushTo(store, "v1");
    image.pushTo(store, "v1");
    for (Blob blob : image.blobsInPushOrder()) {
      store.push(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
      store.push(blob.descriptor(), blob.bytes());
    }

    assertThat(store.resolve("v1")).isEqualTo(image.manifest().descriptor());
    for (Blob blob : image.blobsInPushOrder()) {
      assertThat(store.fetch(blob.descriptor())).isEqualTo(blob.bytes());
    }
  }

  @Test
  void pushOfAManifestThatIsNotJsonIsRejected() throws Exception {
    byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
    Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, notJson);

    assertThatThrownBy(() -> store.push(manifest, notJson)).isInstanceOf(IOException.class);
    assertThat(store.exists(manifest)).isFalse();
  }

  // ---- tags

  @Test
  void tagMovesToAnotherManifestAndTheOldOneStaysResolvableByDigest() throws Exception {
    TestImage first = TestImage.of(20, 1, AMD64).pushTo(store, "latest");
    TestImage second = TestImage.of(21, 1, AMD64).pushTo(store, "latest");

    assertThat(store.resolve("latest")).isEqualTo(second.manifest().descriptor());
    assertThat(store.resolve(first.manifest().descriptor().digest().toString()))
        .isEqualTo(first.manifest().descriptor());
    store.tag(first.manifest().descriptor(), "latest");
    assertThat(store.resolve("latest")).isEqualTo(first.manifest().descriptor());
  }

  @Test
  void oneManifestCanHaveManyTags() throws Exception {
    TestImage image = TestImage.of(22, 1, AMD64).pushTo(store, "a");
    store.tag(image.manifest().descriptor(), "b");
    store.tag(image.manifest().descriptor(), "c.1-x_y");

    for (String tag : List.of("a", "b", "c.1-x_y")) {
      assertThat(store.resolve(tag)).isEqualTo(image.manifest().descriptor());
    }
  }

  @Test
  void tagOfAManifestThatIsNotStoredIsNotFound() {
    Blob manifest = TestImage.of(23, 1, AMD64).manifest();

    assertThatThrownBy(() -> store.tag(manifest.descriptor(), "v1")).isInstanceOf(ContentNotFoundException.class);
    assertThatThrownBy(() -> store.resolve("v1")).isInstanceOf(ContentNotFoundException.class);
  }

  @Test
  void tagRejectsInvalidTagsAndNonManifests() throws Exception {
    TestImage image = TestImage.of(24, 1, AMD64).pushTo(store, null);

    for (String bad : List.of("", ".hidden", "-x", "a/b", "a:b", "x".repeat(129), "sp ace")) {
      assertThatThrownBy(() -> store.tag(image.manifest().descriptor(), bad))
          .as("tag '%s'", bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.tag(image.config().descriptor(), "config"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- referrers

  @Test
  void referrersListsManifestsWhoseSubjectIsTheDigestWithArtifactTypeAndAnnotations() throws Exception {
    TestImage image = TestImage.of(25, 2, AMD64).pushTo(store, "v1");
    TestImage other = TestImage.of(26, 1, AMD64).pushTo(store, "other");
    Descriptor subject = image.manifest().descriptor();
    Blob ztoc = Blob.of(MediaTypes.ZTOC, TestImage.random(27, 3000));
    Blob sociIndex = TestImage.sociIndexV1(ztoc, subject, Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, "soci4j test"));
    Blob sig = Blob.of("application/vnd.example.signature", TestImage.random(28, 64));
    Blob signature = TestImage.artifact("application/vnd.example.sig.v1", sig, subject, Map.of("k", "v"));
    Blob unrelated = TestImage.artifact("application/vnd.example.sig.v1", sig, other.manifest().descriptor(),
        Map.of());
    for (Blob b : List.of(TestImage.EMPTY_CONFIG, ztoc, sig, sociIndex, signature, unrelated)) {
      store.push(b.descriptor(), b.bytes());
    }

    List<Descriptor> all = store.referrers(subject.digest(), "");

    assertThat(all).containsExactlyInAnyOrder(
        sociIndex.descriptor().withArtifactType(MediaTypes.SOCI_INDEX_V1)
            .withAnnotations(Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, "soci4j test")),
        signature.descriptor().withArtifactType("application/vnd.example.sig.v1").withAnnotations(Map.of("k", "v")));
    assertThat(store.referrers(subject.digest(), MediaTypes.SOCI_INDEX_V1))
        .containsExactly(all.stream().filter(d -> d.digest().equals(sociIndex.descriptor().digest())).findFirst()
            .orElseThrow());
    assertThat(store.referrers(subject.digest(), "application/vnd.example.none")).isEmpty();
    assertThat(store.referrers(other.manifest().descriptor().digest(), ""))
        .extracting(Descriptor::digest).containsExactly(unrelated.descriptor().digest());
  }

  @Test
  void referrersOfASubjectWithoutReferrersIsEmptyNotAnError() throws Exception {
    TestImage image = TestImage.of(29, 1, AMD64).pushTo(store, "v1");

    assertThat(store.referrers(image.manifest().descriptor().digest(), "")).isEmpty();
    assertThat(store.referrers(Digest.sha256(new byte[0]), "")).isEmpty();
  }

  @Test
  void referrersFindsAReferrerWhoseSubjectIsNotStored() throws Exception {
    Descriptor absent = TestImage.of(30, 1, AMD64).manifest().descriptor();
    Blob sig = Blob.of("application/vnd.example.signature", TestImage.random(31, 64));
    Blob signature = TestImage.artifact("application/vnd.example.sig.v1", sig, absent, Map.of());
    for (Blob b : List.of(TestImage.EMPTY_CONFIG, sig, signature)) {
      store.push(b.descriptor(), b.bytes());
    }

    assertThat(store.referrers(absent.digest(), "")).extracting(Descriptor::digest)
        .containsExactly(signature.descriptor().digest());
  }

  // ---- concurrency

  @Test
  void manyThreadsPushingTheSameAndDifferentBlobsAndTaggingLoseNothing() throws Exception {
    int threads = 16;
    TestImage shared = TestImage.of(40, 3, AMD64);
    List<TestImage> own = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      own.add(TestImage.of(100 + t, 1, AMD64));
    }
    store.push(TestImage.EMPTY_CONFIG.descriptor(), TestImage.EMPTY_CONFIG.bytes());
    Set<Descriptor> sharedTagCandidates = ConcurrentHashMap.newKeySet();
    List<Blob> referrers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Blob payload = Blob.of("application/vnd.example.payload", TestImage.random(200 + t, 32));
      referrers.add(TestImage.artifact("application/vnd.example.t" + (t % 2), payload,
          shared.manifest().descriptor(), Map.of("thread", Integer.toString(t))));
    }

    Concurrently.run(threads, t -> {
      shared.pushTo(store, "shared-" + t);
      own.get(t).pushTo(store, "own-" + t);
      Blob referrer = referrers.get(t);
      Blob payload = Blob.of("application/vnd.example.payload", TestImage.random(200 + t, 32));
      store.push(payload.descriptor(), new ByteArrayInputStream(payload.bytes()));
      store.push(referrer.descriptor(), new ByteArrayInputStream(referrer.bytes()));
      store.tag(own.get(t).manifest().descriptor(), "latest");
      sharedTagCandidates.add(own.get(t).manifest().descriptor());
    });

    for (int t = 0; t < threads; t++) {
      assertThat(store.resolve("shared-" + t)).isEqualTo(shared.manifest().descriptor());
      assertThat(store.resolve("own-" + t)).isEqualTo(own.get(t).manifest().descriptor());
      for (Blob blob : own.get(t).blobsInPushOrder()) {
        assertThat(store.fetch(blob.descriptor())).isEqualTo(blob.bytes());
      }
    }
    for (Blob blob : shared.blobsInPushOrder()) {
      assertThat(store.fetch(blob.descriptor())).isEqualTo(blob.bytes());
    }
    assertThat(sharedTagCandidates).contains(store.resolve("latest"));
    Set<Digest> expected = new HashSet<>();
    referrers.forEach(r -> expected.add(r.descriptor().digest()));
    assertThat(store.referrers(shared.manifest().descriptor().digest(), ""))
        .extracting(Descriptor::digest).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(store.referrers(shared.manifest().descriptor().digest(), "application/vnd.example.t1"))
        .hasSize(threads / 2);
  }
}
