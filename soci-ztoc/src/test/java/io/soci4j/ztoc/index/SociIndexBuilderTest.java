package io.soci4j.ztoc.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.registry.memory.MemoryStore;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.LayerReport.Status;
import io.soci4j.ztoc.testing.TestImages;
import io.soci4j.ztoc.testing.TestImages.LayerBlob;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.ZstdLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building, publishing, finding and converting SOCI indexes through the ImageStore SPI. */
class SociIndexBuilderTest {
  static final Platform AMD64 = new Platform("linux", "amd64", "");
  static final Platform ARM64 = new Platform("linux", "arm64", "v8");
  static final TestLayers.Layer BIG = TestLayers.mixed(1, TestLayers.Size.STANDARD);
  static final TestLayers.Layer OTHER = TestLayers.mixed(2, TestLayers.Size.STANDARD);
  static final TestLayers.Layer SMALL = TestLayers.mixed(3, TestLayers.Size.SMALL);

  static final LayerBlob GZ = new LayerBlob(MediaTypes.OCI_LAYER_TAR_GZIP, TestLayers.gzip(BIG.tar(), 6));
  static final LayerBlob TAR = new LayerBlob(MediaTypes.OCI_LAYER_TAR, OTHER.tar());
  static final LayerBlob TINY = new LayerBlob(MediaTypes.DOCKER_LAYER_TAR_GZIP, TestLayers.gzip(SMALL.tar(), 6));
  /** One zstd frame: indexed (a soci4j extension), as one span. */
  static final LayerBlob ZSTD = new LayerBlob(MediaTypes.OCI_LAYER_TAR_ZSTD,
      ZstdLayers.frames(OTHER.tar(), 1, true).blob());
  /** A media type SOCI cannot index. */
  static final LayerBlob LZ4 = new LayerBlob("application/vnd.example.layer.v1.tar+lz4", TestLayers.gzip(BIG.tar(), 1));
  static final long MIN = 1 << 20;

  static SociIndexBuilder builder() {
    return SociIndexBuilder.create().withSpanSize(256 << 10).withMinLayerSize(MIN).withBuildToolIdentifier("test");
  }

  static Descriptor image(ImageStore store, List<LayerBlob> layers) throws IOException {
    Descriptor m = TestImages.pushManifest(store, AMD64, layers);
    store.tag(m, "img");
    return m;
  }

  @Test
  void buildsZtocsForEligibleLayersAndReportsTheSkippedOnes() throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor manifest = image(store, List.of(GZ, TINY, TAR, LZ4, ZSTD));
    MemoryStore plain = MemoryStore.create();
    image(plain, List.of(ZSTD));
    assertThatThrownBy(() -> builder().build(plain, "img"))
        .as("zstd layers are skipped unless asked for").isInstanceOf(IndexBuildException.class)
        .hasMessageContaining("upstream soci-snapshotter and AWS Fargate");
    PlatformIndex built = builder().withZstdLayers(true).build(store, "img").get(0);

    assertThat(built.layers()).extracting(LayerReport::status)
        .containsExactly(Status.BUILT, Status.SKIPPED, Status.BUILT, Status.SKIPPED, Status.BUILT);
    assertThat(built.layers().get(0).reason()).isEmpty();
    assertThat(built.layers().get(1).reason()).contains("below the minimum layer size");
    assertThat(built.layers().get(3).reason()).contains("tar+lz4 is not tar, tar+gzip or tar+zstd");
    assertThat(built.layers().get(4).reason()).contains("one span: the zstd layer is a single frame");
    assertThat(built.index().subject().digest()).isEqualTo(manifest.digest());
    assertThat(built.index().ztocs()).hasSize(3);
    Ztoc zstd = ZtocCodec.parse(store.fetch(built.index().ztocs().get(2)));
    assertThat(zstd.compression()).isEqualTo(Compression.ZSTD);
    assertThat(zstd.maxSpanId()).isZero();
    assertThat(LayerReader.of(zstd, store.openRange(ZSTD.descriptor())).readFile("./etc/os-release"))
        .isEqualTo(OTHER.member("./etc/os-release").data());

    // Each zTOC is the one the zTOC builder makes for the layer, annotated as spec §4 says.
    Descriptor z = built.index().ztocs().get(0);
    Ztoc expected = ZtocBuilder.create().withSpanSize(256 << 10).withBuildToolIdentifier("test")
        .build(new ByteArrayInputStream(GZ.blob()));
    assertThat(store.fetch(z)).isEqualTo(ZtocCodec.serialize(expected));
    assertThat(z.annotations()).containsEntry(MediaTypes.ANNOTATION_LAYER_DIGEST, GZ.descriptor().digest().toString())
        .containsEntry(MediaTypes.ANNOTATION_LAYER_MEDIA_TYPE, MediaTypes.OCI_LAYER_TAR_GZIP)
        .containsEntry(MediaTypes.ANNOTATION_SPAN_SIZE, "262144");
    assertThat(built.index().annotations()).containsEntry(MediaTypes.ANNOTATION_BUILD_TOOL, "test");
    assertThat(store.fetch(built.index().config())).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void discoveryFindsThePublishedIndexAndItsZtocsReadTheLayers() throws IOException {
    MemoryStore store = MemoryStore.create();
    image(store, List.of(GZ, TAR));
    PlatformIndex built = builder().build(store, "img").get(0);

    FoundIndex found = SociIndexFinder.forPlatform(AMD64).find(store, "img").orElseThrow();
    assertThat(found.indexDescriptor().digest()).isEqualTo(built.indexDescriptor().digest());
    Descriptor layer = found.layers().get(0);
    Ztoc ztoc = ZtocCodec.parse(store.fetch(found.ztocFor(layer).orElseThrow()));
    LayerReader reader = LayerReader.of(ztoc, store.openRange(layer));
    TestLayers.Member file = BIG.members().stream().filter(m -> m.kind() == TestLayers.Kind.FILE
        && m.data().length > 100_000).findFirst().orElseThrow();
    assertThat(reader.readFile(file.name())).isEqualTo(file.data());
  }

  @Test
  void creatingTwiceIsIdempotentAndReusesZtocs() throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor manifest = image(store, List.of(GZ, TAR));
    PlatformIndex first = builder().build(store, "img").get(0);
    PlatformIndex second = builder().build(store, "img").get(0);

    assertThat(second.indexDescriptor()).isEqualTo(first.indexDescriptor());
    assertThat(second.layers()).extracting(LayerReport::status).containsOnly(Status.REUSED);
    assertThat(store.referrers(manifest.digest(), MediaTypes.SOCI_INDEX_V1)).hasSize(1);

    PlatformIndex forced = builder().withForceRecreate(true).build(store, "img").get(0);
    assertThat(forced.layers()).extracting(LayerReport::status).containsOnly(Status.BUILT);
    assertThat(forced.indexDescriptor()).isEqualTo(first.indexDescriptor());
  }

  @Test
  void anImageWithNothingIndexableIsAnErrorNotAnEmptyIndex() throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor manifest = image(store, List.of(TINY, LZ4));
    assertThatThrownBy(() -> builder().build(store, "img"))
        .isInstanceOf(IndexBuildException.class)
        .hasMessageContaining("no layer of " + manifest.digest() + " can be indexed")
        .satisfies(e -> assertThat(((IndexBuildException) e).reports()).extracting(LayerReport::status)
            .containsExactly(Status.SKIPPED, Status.SKIPPED));
    assertThat(store.referrers(manifest.digest(), "")).isEmpty();
  }

  @Test
  void aLayerThatIsNotValidGzipFailsWithAClearErrorAndTheOthersStillReport() throws IOException {
    MemoryStore store = MemoryStore.create();
    byte[] corrupt = GZ.blob().clone();
    corrupt[corrupt.length / 2] ^= (byte) 0xFF;
    LayerBlob bad = new LayerBlob(MediaTypes.OCI_LAYER_TAR_GZIP, corrupt);
    image(store, List.of(TAR, bad, TINY));
    assertThatThrownBy(() -> builder().build(store, "img"))
        .isInstanceOf(IndexBuildException.class)
        .satisfies(e -> {
          List<LayerReport> reports = ((IndexBuildException) e).reports();
          assertThat(reports).extracting(LayerReport::status).containsExactly(Status.BUILT, Status.FAILED,
              Status.SKIPPED);
          assertThat(reports.get(1).reason()).containsAnyOf("CRC32", "invalid deflate", "tar");
          assertThat(e.getMessage()).contains(bad.descriptor().digest().toString());
        });
  }

  @Test
  void multiPlatformImagesIndexTheChosenPlatforms() throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ));
    Descriptor arm = TestImages.pushManifest(store, ARM64, List.of(TAR));
    store.tag(TestImages.pushIndex(store, List.of(amd, arm)), "multi");

    assertThat(builder().withPlatforms(List.of(ARM64)).build(store, "multi"))
        .extracting(p -> p.manifest().digest()).containsExactly(arm.digest());
    assertThat(builder().withAllPlatforms().build(store, "multi"))
        .extracting(p -> p.manifest().digest()).containsExactly(amd.digest(), arm.digest());
    assertThat(SociIndexFinder.forPlatform(ARM64).find(store, "multi").orElseThrow().manifest().digest())
        .isEqualTo(arm.digest());
  }

  @Test
  void prefetchPathsBecomePrefetchArtifactsAfterTheZtocs() throws IOException {
    MemoryStore store = MemoryStore.create();
    image(store, List.of(GZ));
    TestLayers.Member file = BIG.members().stream().filter(m -> m.kind() == TestLayers.Kind.FILE
        && m.data().length > 300_000).findFirst().orElseThrow();
    PlatformIndex built = builder().withPrefetchPaths(List.of("/" + file.name())).build(store, "img").get(0);

    assertThat(built.index().layers()).extracting(Descriptor::mediaType)
        .containsExactly(MediaTypes.ZTOC, MediaTypes.SOCI_PREFETCH);
    Descriptor prefetch = built.index().layers().get(1);
    String json = new String(store.fetch(prefetch), StandardCharsets.UTF_8);
    Ztoc ztoc = ZtocCodec.parse(store.fetch(built.index().ztocs().get(0)));
    int first = -1;
    int last = -1;
    for (var s : ztoc.spans()) {
      if (s.uncompressedEnd() > file.dataOffset() && s.uncompressedStart() < file.dataOffset() + file.data().length) {
        first = first < 0 ? s.id() : first;
        last = s.id();
      }
    }
    assertThat(json).isEqualTo("{\"version\":\"1.0\",\"prefetch_spans\":[{\"start_span\":" + first
        + ",\"end_span\":" + last + "}]}");
    assertThat(last).isGreaterThan(first);
    assertThat(prefetch.annotations()).containsEntry(MediaTypes.ANNOTATION_LAYER_DIGEST,
        GZ.descriptor().digest().toString());
  }

  @Test
  void xattrOptimizationMarksLayersWithoutXattrs() throws IOException {
    MemoryStore store = MemoryStore.create();
    image(store, List.of(GZ));
    Descriptor z = builder().withXattrOptimization(true).build(store, "img").get(0).index().ztocs().get(0);
    assertThat(z.annotations()).containsEntry(MediaTypes.ANNOTATION_DISABLE_XATTRS, "true");
  }

  @Test
  void theSameBuildOnALayoutAndInMemoryGivesTheSameDigests(@TempDir Path dir) throws IOException {
    MemoryStore memory = MemoryStore.create();
    image(memory, List.of(GZ, TAR));
    try (OciLayoutStore layout = OciLayoutStore.open(dir)) {
      image(layout, List.of(GZ, TAR));
      PlatformIndex a = builder().build(memory, "img").get(0);
      PlatformIndex b = builder().build(layout, "img").get(0);
      assertThat(b.indexDescriptor().digest()).isEqualTo(a.indexDescriptor().digest());
      assertThat(b.index().ztocs()).isEqualTo(a.index().ztocs());
    }
  }

  @Test
  void convertMakesASociEnabledImageAndLeavesTheOriginalAlone() throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ));
    Descriptor arm = TestImages.pushManifest(store, ARM64, List.of(TAR));
    Descriptor original = TestImages.pushIndex(store, List.of(amd, arm));
    store.tag(original, "multi");
    byte[] originalAmd = store.fetch(amd);

    SociConverter.ConvertedImage converted = SociConverter.of(builder().withAllPlatforms())
        .convert(store, "multi", "multi-soci");

    assertThat(store.resolve("multi").digest()).isEqualTo(original.digest());
    assertThat(store.fetch(amd)).isEqualTo(originalAmd);
    assertThat(store.resolve("multi-soci").digest()).isEqualTo(converted.index().digest());
    assertThat(converted.platforms()).hasSize(2);
    assertThat(converted.platforms()).allSatisfy(p -> assertThat(p.index().subject()).isNull());

    FoundIndex found = SociIndexFinder.forPlatform(AMD64).find(store, "multi-soci").orElseThrow();
    assertThat(found.index().version()).isEqualTo(IndexVersion.V2);
    // The converted manifest differs from the original only by the index-digest annotation.
    String convertedJson = new String(store.fetch(found.manifest()), StandardCharsets.UTF_8);
    String originalJson = new String(originalAmd, StandardCharsets.UTF_8);
    assertThat(convertedJson).isEqualTo(originalJson.substring(0, originalJson.length() - 1)
        + ",\"annotations\":{\"" + MediaTypes.ANNOTATION_INDEX_DIGEST + "\":\"" + found.indexDescriptor().digest()
        + "\"}}");
    assertThat(SociConverter.of(builder().withAllPlatforms()).convert(store, "multi-soci", "again").index())
        .as("converting again is idempotent").isEqualTo(converted.index());
  }

  @Test
  void discoveryRejectsAnIndexWhoseZtocsAreNotLayersOfTheImage() throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor manifest = image(store, List.of(GZ));
    Descriptor foreign = Descriptor.of(MediaTypes.ZTOC, Digest.sha256(new byte[] {1}), 1)
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_DIGEST, TAR.descriptor().digest().toString());
    SociIndex bogus = new SociIndex(IndexVersion.V1, List.of(foreign), manifest,
        java.util.Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, "x"));
    store.push(bogus.config(), SociIndex.CONFIG_BYTES);
    store.push(bogus.descriptor(), bogus.toJson());
    assertThatThrownBy(() -> SociIndexFinder.forPlatform(AMD64).find(store, "img"))
        .hasMessageContaining("not a layer of manifest " + manifest.digest());
  }
}
