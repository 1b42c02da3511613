package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OCI and Docker manifest model: parsing by content, unknown fields, platform selection, writing. */
class ManifestModelTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  private static byte[] json(String s) {
    return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesAnOciManifestWithSubjectArtifactTypeAndUnknownFields() throws Exception {
    ImageManifest m = ImageManifest.parse(json("{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_MANIFEST
        + "','artifactType':'application/x.test','config':{'mediaType':'application/vnd.oci.empty.v1+json','digest':'"
        + A + "','size':2,'data':'e30='},'layers':[{'mediaType':'application/octet-stream','digest':'" + B
        + "','size':10,'urls':['https://example.com/b'],'annotations':{'k':'v'},'future':{'x':1}}],"
        + "'subject':{'mediaType':'" + MediaTypes.OCI_MANIFEST + "','digest':'" + C + "','size':99},"
        + "'annotations':{'org.opencontainers.image.created':'2026-01-01'},'somethingNew':[1,2,3]}"));
    assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(m.artifactType()).isEqualTo("application/x.test");
    assertThat(m.effectiveArtifactType()).isEqualTo("application/x.test");
    assertThat(m.config().size()).isEqualTo(2);
    assertThat(m.layers()).singleElement().satisfies(l -> {
      assertThat(l.urls()).containsExactly("https://example.com/b");
      assertThat(l.annotations()).containsEntry("k", "v");
    });
    assertThat(m.subject().digest()).isEqualTo(Digest.parse(C));
    assertThat(m.annotations()).containsKey("org.opencontainers.image.created");
  }

  @Test
  void effectiveArtifactTypeFallsBackToTheConfigMediaType() throws Exception {
    ImageManifest m = ImageManifest.parse(json("{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_MANIFEST
        + "','config':{'mediaType':'" + MediaTypes.SOCI_INDEX_V1 + "','digest':'" + A + "','size':2},'layers':[]}"));
    assertThat(m.artifactType()).isEmpty();
    assertThat(m.effectiveArtifactType()).isEqualTo(MediaTypes.SOCI_INDEX_V1);
  }

  @Test
  void classifiesBodiesWithoutMediaTypeByTheirFields() throws Exception {
    byte[] index = json("{'schemaVersion':2,'manifests':[]}");
    byte[] manifest = json("{'schemaVersion':2,'config':{'mediaType':'x/y','digest':'" + A + "','size':1},'layers':[]}");
    assertThat(ManifestCodec.detectMediaType(index, null, "t")).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(ManifestCodec.detectMediaType(index, MediaTypes.DOCKER_MANIFEST_LIST, "t"))
        .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(ManifestCodec.detectMediaType(manifest, "application/json; charset=utf-8", "t"))
        .isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(ManifestCodec.detectMediaType(manifest, MediaTypes.DOCKER_MANIFEST + "; charset=utf-8", "t"))
        .isEqualTo(MediaTypes.DOCKER_MANIFEST);
  }

  @Test
  void rejectsAMediaTypeThatContradictsContentType() {
    byte[] manifest = json("{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_MANIFEST
        + "','config':{'mediaType':'x/y','digest':'" + A + "','size':1},'layers':[]}");
    assertThatThrownBy(() -> ManifestCodec.detectMediaType(manifest, MediaTypes.OCI_INDEX, "manifest x"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("contradicts Content-Type");
  }

  @Test
  void rejectsSchema1MalformedJsonDuplicateKeysAndMissingFields() {
    assertThatThrownBy(() -> ImageManifest.parse(json("{'schemaVersion':1,'fsLayers':[]}")))
        .hasMessageContaining("schema 1");
    assertThatThrownBy(() -> ImageManifest.parse(json("{'schemaVersion':2,")))
        .isInstanceOf(InvalidManifestException.class).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> ImageManifest.parse(json("{'mediaType':'" + MediaTypes.OCI_MANIFEST + "','mediaType':'"
        + MediaTypes.OCI_INDEX + "','manifests':[]}"))).isInstanceOf(InvalidManifestException.class);
    assertThatThrownBy(() -> ImageManifest.parse(json("{'config':{'mediaType':'x/y','size':1},'layers':[]}")))
        .hasMessageContaining("config.digest");
    assertThatThrownBy(() -> ImageManifest.parse(json("{'config':{'mediaType':'x/y','digest':'" + A
        + "','size':1},'layers':[{'mediaType':'x/y','digest':'" + A + "'}]}")))
        .hasMessageContaining("layers[0].size");
    assertThatThrownBy(() -> ImageIndex.parse(json("{'config':{'mediaType':'x/y','digest':'" + A
        + "','size':1},'layers':[]}"))).hasMessageContaining("not an index");
  }

  @Test
  void parsesADockerManifestListAndSelectsPlatforms() throws Exception {
    ImageIndex list = ImageIndex.parse(json("{'schemaVersion':2,'mediaType':'" + MediaTypes.DOCKER_MANIFEST_LIST
        + "','manifests':["
        + "{'mediaType':'" + MediaTypes.DOCKER_MANIFEST + "','digest':'" + A + "','size':1,'platform':{'architecture':'arm','os':'linux','variant':'v7'}},"
        + "{'mediaType':'" + MediaTypes.DOCKER_MANIFEST + "','digest':'" + B + "','size':1,'platform':{'architecture':'arm64','os':'linux'}},"
        + "{'mediaType':'" + MediaTypes.DOCKER_MANIFEST + "','digest':'" + C + "','size':1,'platform':{'architecture':'arm64','os':'linux','variant':'v8','os.features':['x']}}"
        + "]}"));
    assertThat(list.platforms()).as("os.features kept").containsExactly(Platform.parse("linux/arm/v7"),
        Platform.parse("linux/arm64"), new Platform("linux", "arm64", "v8", "", java.util.List.of("x")));
    assertThat(list.select(Platform.parse("linux/arm64/v8")).map(d -> d.digest().toString())).contains(C);
    assertThat(list.select(Platform.parse("linux/arm64")).map(d -> d.digest().toString())).contains(B);
    assertThat(list.select(Platform.parse("linux/arm/v7")).map(d -> d.digest().toString())).contains(A);
    assertThat(list.select(Platform.parse("linux/amd64"))).isEmpty();
  }

  @Test
  void writesAnArtifactManifestThatParsesBackEqual() throws Exception {
    Descriptor config = Descriptor.of("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8));
    Descriptor blob = Descriptor.of("application/octet-stream", new byte[] {1, 2, 3})
        .withAnnotation("org.opencontainers.image.title", "x");
    Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(A), 123);
    ImageManifest m = ImageManifest.of(config, List.of(blob)).withArtifactType("application/x.sig")
        .withSubject(subject).withAnnotations(Map.of("a", "b"));
    byte[] bytes = m.toBytes();
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"artifactType\":\"application/x.sig\",\"config\":");
    assertThat(text).doesNotContain("urls").doesNotContain("platform");
    assertThat(ImageManifest.parse(bytes)).isEqualTo(m);
    ManifestContent content = ManifestContent.of(m);
    assertThat(content.descriptor().digest()).isEqualTo(Digest.sha256(bytes));
    assertThat(content.asImageManifest()).isEqualTo(m);
  }

  @Test
  void writesAnIndexWithPlatformsThatParsesBackEqual() throws Exception {
    ImageIndex index = ImageIndex.of(List.of(
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(A), 5).withPlatform(Platform.parse("linux/arm64/v8")),
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(B), 6).withPlatform(Platform.parse("linux/amd64"))));
    assertThat(ImageIndex.parse(index.toBytes())).isEqualTo(index);
  }

  @Test
  void parsesConfigPlatformAndDiffIds() throws Exception {
    ImageConfig c = ImageConfig.parse(json("{'architecture':'arm64','os':'linux','variant':'v8','rootfs':{'type':"
        + "'layers','diff_ids':['" + A + "']},'config':{'Env':['X=1']}}"));
    assertThat(c.platform()).isEqualTo(Platform.parse("linux/arm64/v8"));
    assertThat(c.diffIds()).containsExactly(Digest.parse(A));
    assertThatThrownBy(() -> ImageConfig.parse(json("{'os':'linux'}"))).hasMessageContaining("architecture");
  }
}
