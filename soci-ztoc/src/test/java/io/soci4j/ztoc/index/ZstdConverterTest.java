package io.soci4j.ztoc.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.registry.memory.MemoryStore;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.LayerReport.Status;
import io.soci4j.ztoc.internal.json.ManifestJson;
import io.soci4j.ztoc.testing.ReferenceTar;
import io.soci4j.ztoc.testing.TestImages;
import io.soci4j.ztoc.testing.TestImages.LayerBlob;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.ZstdLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converting an image to a SOCI-enabled image with seekable zstd layers: the original stays, the
 * new image keeps the config (diff IDs still match), its layers are tar+zstd that decompress to the
 * original tars, and their zTOCs (built during recompression) read every file.
 */
class ZstdConverterTest {
  static final Platform AMD64 = new Platform("linux", "amd64", "");
  static final Platform ARM64 = new Platform("linux", "arm64", "v8");
  static final TestLayers.Layer BIG = TestLayers.mixed(1, TestLayers.Size.STANDARD);
  static final TestLayers.Layer OTHER = TestLayers.mixed(2, TestLayers.Size.STANDARD);
  static final TestLayers.Layer SMALL = TestLayers.mixed(3, TestLayers.Size.SMALL);
  static final LayerBlob GZ = new LayerBlob(MediaTypes.DOCKER_LAYER_TAR_GZIP, TestLayers.gzip(BIG.tar(), 6));
  static final LayerBlob ZST = new LayerBlob(MediaTypes.OCI_LAYER_TAR_ZSTD, ZstdLayers.frames(OTHER.tar(), 19, false)
      .blob());
  static final LayerBlob TINY = new LayerBlob(MediaTypes.OCI_LAYER_TAR, SMALL.tar());
  static final long SPAN = 256 << 10;

  static SociIndexBuilder builder() {
    return SociIndexBuilder.create().withSpanSize(SPAN).withMinLayerSize(1 << 20).withBuildToolIdentifier("test");
  }

  @Test
  void convertsEveryLayerToSeekableZstdAndIndexesIt(@TempDir Path tmp) throws IOException {
    MemoryStore store = MemoryStore.create();
    List<Digest> ids = List.of(Digest.sha256(BIG.tar()), Digest.sha256(OTHER.tar()), Digest.sha256(SMALL.tar()));
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ, ZST, TINY), ids);
    Descriptor arm = TestImages.pushManifest(store, ARM64, List.of(GZ), ids.subList(0, 1));
    Descriptor original = TestImages.pushIndex(store, List.of(amd, arm));
    store.tag(original, "multi");
    byte[] originalAmd = store.fetch(amd);

    SociConverter.ConvertedImage converted = ZstdConverter.of(builder().withAllPlatforms()).withTempDirectory(tmp)
        .convert(store, "multi", "multi-zstd");

    assertThat(store.resolve("multi").digest()).isEqualTo(original.digest());
    assertThat(store.fetch(amd)).isEqualTo(originalAmd);
    assertThat(store.resolve("multi-zstd").digest()).isEqualTo(converted.index().digest());
    assertThat(converted.platforms()).hasSize(2);
    try (var staged = Files.list(tmp)) {
      assertThat(staged).as("staged layers are deleted").isEmpty();
    }

    FoundIndex found = SociIndexFinder.forPlatform(AMD64).find(store, "multi-zstd").orElseThrow();
    assertThat(found.index().version()).isEqualTo(IndexVersion.V2);
    ManifestJson manifest = ManifestJson.parse(found.manifest(), store.fetch(found.manifest()));
    ManifestJson before = ManifestJson.parse(amd, originalAmd);
    assertThat(manifest.config()).isEqualTo(before.config());
    assertThat(manifest.layers()).extracting(Descriptor::mediaType).containsOnly(MediaTypes.OCI_LAYER_TAR_ZSTD);
    assertThat(manifest.annotations()).containsEntry(MediaTypes.ANNOTATION_INDEX_DIGEST,
        found.indexDescriptor().digest().toString());

    List<TestLayers.Layer> tars = List.of(BIG, OTHER, SMALL);
    for (int i = 0; i < 3; i++) {
      Descriptor layer = manifest.layers().get(i);
      byte[] blob = store.fetch(layer);
      assertThat(Digest.sha256(ZstdLayers.decompress(blob))).as("diff id of layer %d", i).isEqualTo(ids.get(i));
      // every recompressed layer gets the zTOC made with it, even below the minimum size (readers
      // cannot fetch a zstd layer whole without one)
      Descriptor ztocDescriptor = found.ztocFor(layer).orElseThrow();
      byte[] ztocBytes = store.fetch(ztocDescriptor);
      Ztoc ztoc = ZtocCodec.parse(ztocBytes);
      assertThat(ztoc.compression()).isEqualTo(Compression.ZSTD);
      assertThat(ztocBytes).isEqualTo(ZtocCodec.serialize(ZtocBuilder.create().withSpanSize(SPAN)
          .withBuildToolIdentifier("test").build(new ByteArrayInputStream(blob))));
      assertThat(ztoc.spans().size()).isGreaterThan(i == 2 ? 0 : 10);
      LayerReader reader = LayerReader.of(ztoc, store.openRange(layer));
      for (Map.Entry<String, byte[]> f : ReferenceTar.of(tars.get(i).tar()).files().entrySet()) {
        assertThat(reader.readFile(f.getKey())).as(f.getKey()).isEqualTo(f.getValue());
      }
    }
    PlatformIndex amdIndex = converted.platforms().stream().filter(p -> p.platform().equals(AMD64)).findFirst()
        .orElseThrow();
    assertThat(amdIndex.layers()).extracting(LayerReport::status)
        .containsExactly(Status.BUILT, Status.BUILT, Status.BUILT);
    assertThat(amdIndex.layers()).allSatisfy(r -> assertThat(r.reason()).doesNotContain("one span"));

    FoundIndex armFound = SociIndexFinder.forPlatform(ARM64).find(store, "multi-zstd").orElseThrow();
    Descriptor armLayer = ManifestJson.parse(armFound.manifest(), store.fetch(armFound.manifest())).layers().get(0);
    assertThat(armLayer).as("a layer shared by two platforms is converted once").isEqualTo(manifest.layers().get(0));
    JsonNode config = new ObjectMapper().readTree(store.fetch(manifest.config()));
    assertThat(config.path("rootfs").path("diff_ids")).hasSize(3);
  }

  @Test
  void aConfigWhoseDiffIdsDoNotMatchTheLayersIsRefused(@TempDir Path tmp) throws IOException {
    MemoryStore store = MemoryStore.create();
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ), List.of(Digest.sha256(OTHER.tar())));
    store.tag(amd, "img");
    assertThatThrownBy(() -> ZstdConverter.of(builder()).withTempDirectory(tmp).convert(store, "img", "img-zstd"))
        .isInstanceOf(SociException.class)
        .hasMessageContaining("decompresses to " + Digest.sha256(BIG.tar()))
        .hasMessageContaining("but the config's diff_id is " + Digest.sha256(OTHER.tar()));
    assertThatThrownBy(() -> store.resolve("img-zstd")).isInstanceOf(IOException.class);
  }

  @Test
  void layersOfOtherMediaTypesAreKept(@TempDir Path tmp) throws IOException {
    MemoryStore store = MemoryStore.create();
    LayerBlob other = new LayerBlob("application/vnd.example.layer.v1.tar+lz4", new byte[] {1, 2, 3});
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(other, GZ));
    store.tag(amd, "img");
    SociConverter.ConvertedImage c = ZstdConverter.of(builder()).withTempDirectory(tmp).withSeekTable(false)
        .withLevel(1).convert(store, "img", "img-zstd");
    List<LayerReport> reports = c.platforms().get(0).layers();
    assertThat(reports.get(0).layer()).isEqualTo(other.descriptor());
    assertThat(reports.get(0).status()).isEqualTo(Status.SKIPPED);
    assertThat(reports.get(1).layer().mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_ZSTD);
    byte[] blob = store.fetch(reports.get(1).layer());
    assertThat(ZstdLayers.list(blob)).noneMatch(ZstdLayers.Frame::skippable);
  }
}
