package io.soci4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptorAndPlatformTest {
  static final Digest D = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));

  @Test
  void descriptorsAreImmutableCopiesWithSortedAnnotations() {
    Descriptor d = Descriptor.of(MediaTypes.ZTOC, D, 10).withAnnotation("b", "2").withAnnotation("a", "1");
    assertThat(d.annotations().keySet()).containsExactly("a", "b");
    assertThatThrownBy(() -> d.annotations().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    Descriptor typed = d.withArtifactType(MediaTypes.SOCI_INDEX_V1).withPlatform(Platform.parse("linux/arm64/v8"));
    assertThat(typed.artifactType()).isEqualTo(MediaTypes.SOCI_INDEX_V1);
    assertThat(d.artifactType()).isEmpty();
    assertThat(d.platform()).isNull();
    assertThat(typed.withAnnotations(Map.of()).annotations()).isEmpty();
    assertThat(Descriptor.of(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8)).size()).isEqualTo(2);
    assertThat(new Descriptor(MediaTypes.ZTOC, D, 1, Map.of(), null, null, List.of()).artifactType()).isEmpty();
  }

  @Test
  void descriptorsRejectWhatCannotBe() {
    assertThatThrownBy(() -> Descriptor.of("", D, 1)).hasMessageContaining("media type");
    assertThatThrownBy(() -> Descriptor.of(MediaTypes.ZTOC, D, -1)).hasMessageContaining("negative");
    assertThatThrownBy(() -> Descriptor.of(MediaTypes.ZTOC, null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void mediaTypesKnowManifestsAndIndexes() {
    assertThat(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST_LIST)).isTrue();
    assertThat(MediaTypes.isManifest(MediaTypes.OCI_LAYER_TAR_GZIP)).isFalse();
    assertThat(MediaTypes.isIndex(MediaTypes.OCI_INDEX)).isTrue();
    assertThat(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST)).isFalse();
    assertThat(Descriptor.of(MediaTypes.OCI_MANIFEST, D, 1).isManifest()).isTrue();
  }

  @Test
  void platformsParseMatchAndPrint() {
    Platform arm = Platform.parse("linux/arm64/v8");
    assertThat(arm.toString()).isEqualTo("linux/arm64/v8");
    assertThat(Platform.parse("linux/amd64").variant()).isEmpty();
    assertThat(Platform.parse("linux/arm64").matches(arm)).as("no variant wanted").isTrue();
    assertThat(arm.matches(Platform.parse("linux/arm64/v7"))).isFalse();
    assertThat(arm.matches(Platform.parse("linux/amd64"))).isFalse();
    assertThat(Platform.current().os()).isNotEmpty();
    assertThatThrownBy(() -> Platform.parse("linux")).hasMessageContaining("os/arch");
    assertThatThrownBy(() -> Platform.parse("linux/amd64/v1/x")).hasMessageContaining("os/arch");
    assertThatThrownBy(() -> new Platform("", "amd64", "")).hasMessageContaining("needs an os");
  }
}
