package io.soci4j.ztoc.index;

import static io.soci4j.ztoc.index.SociIndexBuilderTest.AMD64;
import static io.soci4j.ztoc.index.SociIndexBuilderTest.ARM64;
import static io.soci4j.ztoc.index.SociIndexBuilderTest.GZ;
import static io.soci4j.ztoc.index.SociIndexBuilderTest.TAR;
import static io.soci4j.ztoc.index.SociIndexBuilderTest.builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.memory.MemoryStore;
import io.soci4j.ztoc.index.LayerReport.Status;
import io.soci4j.ztoc.internal.json.GoJsonWriter;
import io.soci4j.ztoc.internal.json.ManifestJson;
import io.soci4j.ztoc.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SociConverter} beyond the golden vectors: converting a SOCI-enabled image again (all
 * platforms, or some: where upstream breaks the other platforms' SOCI entries), zTOC reuse within
 * a run and from an earlier conversion, and index entries the conversion must carry through.
 */
class SociConverterTest {
  private final MemoryStore store = MemoryStore.create();

  private Descriptor multi() throws IOException {
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ, TAR));
    Descriptor arm = TestImages.pushManifest(store, ARM64, List.of(GZ));
    Descriptor index = TestImages.pushIndex(store, List.of(amd, arm));
    store.tag(index, "multi");
    return index;
  }

  private List<Descriptor> entries(Descriptor index) throws IOException {
    return ManifestJson.parse(index, store.fetch(index)).manifests();
  }

  @Test
  void aSharedLayerIsIndexedOnceAndConvertingAgainReusesEveryZtoc() throws IOException {
    multi();
    SociConverter.ConvertedImage first = SociConverter.of(builder().withAllPlatforms()).convert(store, "multi", "s");
    assertThat(first.platforms().get(0).layers()).extracting(LayerReport::status).containsExactly(Status.BUILT,
        Status.BUILT);
    assertThat(first.platforms().get(1).layers()).extracting(LayerReport::status)
        .as("the base layer's zTOC, built for amd64, is reused for arm64").containsExactly(Status.REUSED);

    SociConverter.ConvertedImage again = SociConverter.of(builder().withAllPlatforms()).convert(store, "s", "s2");
    assertThat(again.index()).isEqualTo(first.index());
    assertThat(again.platforms()).flatExtracting(PlatformIndex::layers).extracting(LayerReport::status)
        .containsOnly(Status.REUSED);
    assertThat(SociConverter.of(builder().withAllPlatforms().withForceRecreate(true)).convert(store, "s", "s3")
        .platforms().get(0).layers()).extracting(LayerReport::status).containsOnly(Status.BUILT);
  }

  @Test
  void aZtocOfAnotherSociEnabledImageInTheRepositoryIsReused() throws IOException {
    multi();
    SociConverter.of(builder().withAllPlatforms()).convert(store, "multi", "multi-soci");
    Descriptor other = TestImages.pushManifest(store, AMD64, List.of(TAR, GZ));
    store.tag(other, "other");
    PlatformIndex built = SociConverter.of(builder()).convert(store, "other", "other-soci").platforms().get(0);
    assertThat(built.layers()).extracting(LayerReport::status)
        .as("both layers were indexed for the tagged multi-soci image").containsExactly(Status.REUSED, Status.REUSED);
  }

  @Test
  void convertingSomePlatformsAgainKeepsTheOtherPlatformsSociEntriesIntact() throws IOException {
    multi();
    Descriptor first = SociConverter.of(builder().withAllPlatforms()).convert(store, "multi", "s").index();
    List<Descriptor> before = entries(first);
    Descriptor armSoci = before.get(3);
    assertThat(armSoci.artifactType()).isEqualTo(MediaTypes.SOCI_INDEX_V2);
    assertThat(armSoci.platform()).isEqualTo(ARM64);

    // amd64 again with another span size: its SOCI entry is replaced in place, arm64's is kept.
    Descriptor second = SociConverter.of(builder().withSpanSize(128 << 10).withPlatforms(List.of(AMD64)))
        .convert(store, "s", "s-amd").index();
    List<Descriptor> after = entries(second);
    assertThat(after).hasSize(4);
    assertThat(after.get(3)).as("upstream would rewrite this entry as an image").isEqualTo(armSoci);
    assertThat(after.get(2).digest()).isNotEqualTo(before.get(2).digest());
    assertThat(after.get(2).platform()).isEqualTo(AMD64);
    assertThat(after.get(2).annotations().get(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST))
        .isEqualTo(after.get(0).digest().toString());
    for (Platform p : List.of(AMD64, ARM64)) {
      FoundIndex found = SociIndexFinder.forPlatform(p).find(store, "s-amd").orElseThrow();
      assertThat(found.index().version()).isEqualTo(IndexVersion.V2);
    }
  }

  @Test
  void entriesKeepDataUrlsAndOsFieldsAndGoEncodesThem() throws IOException {
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ));
    Descriptor entry = amd.withPlatform(new Platform("linux", "amd64", "", "10.0", List.of("b", "a")))
        .withUrls(List.of("https://example.com/m")).withData("e30=");
    byte[] json = new GoJsonWriter().beginObject().name("schemaVersion").value(2)
        .name("mediaType").value(MediaTypes.OCI_INDEX).name("manifests").value(List.of(entry)).endObject().toBytes();
    assertThat(new String(json, StandardCharsets.UTF_8)).contains(
        "\"urls\":[\"https://example.com/m\"],\"data\":\"e30=\",\"platform\":{\"architecture\":\"amd64\","
            + "\"os\":\"linux\",\"os.version\":\"10.0\",\"os.features\":[\"b\",\"a\"]}");
    Descriptor index = Descriptor.of(MediaTypes.OCI_INDEX, json);
    store.push(index, json);

    Descriptor converted = SociConverter.of(builder().withAllPlatforms()).convert(store, index.digest().toString())
        .index();
    Descriptor image = entries(converted).get(0);
    assertThat(image.urls()).containsExactly("https://example.com/m");
    assertThat(image.data()).isEqualTo("e30=");
    assertThat(image.platform().osFeatures()).containsExactly("b", "a");
    assertThat(entries(converted).get(1).platform()).as("the SOCI entry names the platform as written")
        .isEqualTo(entry.platform());
    assertThatThrownBy(() -> SociConverter.of(builder()).convert(store, index.digest().toString()))
        .as("linux/amd64 without features does not strictly match an entry listing os.features")
        .isInstanceOf(ContentNotFoundException.class).hasMessage("image manifest for linux/amd64: not found");
  }

  @Test
  void prefetchPathsMatchEntriesStoredWithALeadingDotSlash() throws IOException {
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ));
    store.tag(amd, "img");
    PlatformIndex built = SociConverter.of(builder().withPrefetchPaths(List.of("/etc/os-release", "/nowhere")))
        .convert(store, "img").platforms().get(0);
    // the layer stores ./etc/os-release; upstream compares names as stored and would find nothing
    assertThat(built.index().layers()).extracting(Descriptor::mediaType)
        .containsExactly(MediaTypes.ZTOC, MediaTypes.SOCI_PREFETCH);
    assertThat(new String(store.fetch(built.index().layers().get(1)), StandardCharsets.UTF_8))
        .startsWith("{\"version\":\"1.0\",\"prefetch_spans\":[{\"start_span\":");
  }

  @Test
  void entriesWhoseManifestIsMissingAndNestedIndexesStayAsTheyAre() throws IOException {
    Descriptor amd = TestImages.pushManifest(store, AMD64, List.of(GZ));
    Descriptor missing = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[] {7}), 1)
        .withPlatform(ARM64).withAnnotation("kept", "yes");
    Descriptor nested = TestImages.pushIndex(store, List.of(amd)).withPlatform(new Platform("linux", "s390x", ""));
    Descriptor index = TestImages.pushIndex(store, List.of(amd, missing, nested));
    Descriptor converted = SociConverter.of(builder()).convert(store, index.digest().toString()).index();
    List<Descriptor> out = entries(converted);
    assertThat(out.get(1)).isEqualTo(missing);
    assertThat(out.get(2).digest()).isEqualTo(nested.digest());
    assertThat(out.get(3).annotations()).containsEntry(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST,
        out.get(0).digest().toString());
    assertThat(out.get(0).annotations()).isEqualTo(Map.of(MediaTypes.ANNOTATION_INDEX_DIGEST,
        out.get(3).digest().toString()));
  }
}
