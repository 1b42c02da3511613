package io.soci4j.ztoc.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SOCI index manifest bytes are exactly what upstream writes for the same inputs.
 *
 * <p>The expectation is written by hand from the SOCI format spec §4 and upstream's {@code
 * MarshalIndex} (an {@code ocispec.Manifest} through Go's {@code json.Marshal}): no whitespace;
 * manifest fields schemaVersion, mediaType, config, layers, subject, annotations (the manifest's
 * own artifactType is not set by upstream, so it is omitted); descriptor fields mediaType, digest,
 * size, urls, annotations, data, platform, artifactType with empty ones omitted; annotation keys
 * sorted; {@code <}, {@code >} and {@code &} escaped as {@code \}{@code u003c} etc.
 */
class SociIndexJsonTest {
  static final Digest LAYER1 = Digest.sha256("layer one".getBytes(StandardCharsets.UTF_8));
  static final Digest LAYER2 = Digest.sha256("layer two".getBytes(StandardCharsets.UTF_8));
  static final Digest ZTOC1 = Digest.sha256("ztoc one".getBytes(StandardCharsets.UTF_8));
  static final Digest ZTOC2 = Digest.sha256("ztoc two".getBytes(StandardCharsets.UTF_8));
  static final Digest IMAGE = Digest.sha256("image manifest".getBytes(StandardCharsets.UTF_8));

  static Descriptor ztoc(Digest ztoc, long size, Digest layer, String layerType) {
    return Descriptor.of(MediaTypes.ZTOC, ztoc, size)
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_DIGEST, layer.toString())
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_MEDIA_TYPE, layerType)
        .withAnnotation(MediaTypes.ANNOTATION_SPAN_SIZE, "4194304");
  }

  static SociIndex v1(String tool) {
    return new SociIndex(IndexVersion.V1,
        List.of(ztoc(ZTOC1, 1230480, LAYER1, MediaTypes.OCI_LAYER_TAR_GZIP),
            ztoc(ZTOC2, 883816, LAYER2, MediaTypes.DOCKER_LAYER_TAR_GZIP)
                .withAnnotation(MediaTypes.ANNOTATION_DISABLE_XATTRS, "true")),
        Descriptor.of(MediaTypes.OCI_MANIFEST, IMAGE, 1234).withAnnotation("ignored", "subject keeps 3 fields"),
        Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, tool));
  }

  @Test
  void v1IndexBytesAreUpstreamBytes() {
    String expected = "{\"schemaVersion\":2,"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.amazon.soci.index.v1+json\","
        + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
        + "\"layers\":["
        + "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + ZTOC1 + "\",\"size\":1230480,"
        + "\"annotations\":{\"com.amazon.soci.image-layer-digest\":\"" + LAYER1 + "\","
        + "\"com.amazon.soci.image-layer-mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"com.amazon.soci.span-size\":\"4194304\"}},"
        + "{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + ZTOC2 + "\",\"size\":883816,"
        + "\"annotations\":{\"com.amazon.soci.disable-xattrs\":\"true\","
        + "\"com.amazon.soci.image-layer-digest\":\"" + LAYER2 + "\","
        + "\"com.amazon.soci.image-layer-mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
        + "\"com.amazon.soci.span-size\":\"4194304\"}}],"
        + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + IMAGE
        + "\",\"size\":1234},"
        + "\"annotations\":{\"com.amazon.soci.build-tool-identifier\":\"AWS SOCI CLI v0.2\"}}";
    SociIndex index = v1("AWS SOCI CLI v0.2");
    assertThat(new String(index.toJson(), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(index.descriptor().digest()).isEqualTo(Digest.sha256(expected.getBytes(StandardCharsets.UTF_8)));
    assertThat(index.descriptor().artifactType()).isEqualTo(MediaTypes.SOCI_INDEX_V1);
  }

  @Test
  void v2IndexHasNoSubjectAndTheV2ConfigType() {
    SociIndex v2 = new SociIndex(IndexVersion.V2, v1("t").layers(), null, Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, "t"));
    String json = new String(v2.toJson(), StandardCharsets.UTF_8);
    assertThat(json).contains("\"config\":{\"mediaType\":\"application/vnd.amazon.soci.index.v2+json\"")
        .doesNotContain("subject").endsWith("\"annotations\":{\"com.amazon.soci.build-tool-identifier\":\"t\"}}");
  }

  @Test
  void stringsAreEscapedLikeGo() {
    String json = new String(v1("a<b>&c\"d\\e\n\t\b\f\u0001\u2028\u2029é\uD83D\uDE00\uD800x").toJson(),
        StandardCharsets.UTF_8);
    assertThat(json).endsWith("{\"com.amazon.soci.build-tool-identifier\":"
        + "\"a\\u003cb\\u003e\\u0026c\\\"d\\\\e\\n\\t\\b\\f\\u0001\\u2028\\u2029é\uD83D\uDE00\\ufffdx\"}}");
  }

  @Test
  void parseReadsBackWhatToJsonWrites() throws SociException {
    SociIndex index = v1("tool");
    assertThat(SociIndex.parse(index.toJson())).isEqualTo(
        new SociIndex(IndexVersion.V1, index.layers(), index.subject(), index.annotations()));
    assertThat(SociIndex.parse(index.toJson()).toJson()).isEqualTo(index.toJson());
  }

  @Test
  void parseRejectsWhatIsNotASociIndex() {
    String notSoci = "{\"schemaVersion\":2,\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + IMAGE + "\",\"size\":3},\"layers\":[]}";
    assertThatThrownBy(() -> SociIndex.parse(notSoci.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SociException.class).hasMessageContaining("not a SOCI index");
    assertThatThrownBy(() -> SociIndex.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SociException.class).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> SociIndex.parse("{\"schemaVersion\":2".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SociException.class).hasMessageContaining("not valid JSON");
    byte[] badDigest = new String(v1("t").toJson(), StandardCharsets.UTF_8)
        .replace(ZTOC1.toString(), "sha256:1234").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SociIndex.parse(badDigest))
        .isInstanceOf(SociException.class).hasMessageContaining("layers[0].digest");
  }
}
