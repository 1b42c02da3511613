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
    assertThatThrownBy(() -> Platform.parse("linux/amd64/v1/x")).hasMessageContaining("os/arch");
    assertThatThrownBy(() -> Platform.parse("bogus")).hasMessageContaining("unknown operating system");
    assertThatThrownBy(() -> Platform.parse("linux/*")).hasMessageContaining("wildcards");
    assertThatThrownBy(() -> Platform.parse("linux/am d64")).hasMessageContaining("component 'am d64'");
    assertThatThrownBy(() -> new Platform("", "amd64", "")).hasMessageContaining("needs an os");
  }

  @Test
  void platformsParseAndNormalizeAsContainerd() {
    assertThat(Platform.parse("linux/arm64").variant()).as("2 parts: no variant").isEmpty();
    assertThat(Platform.parse("linux/arm64/v8").variant()).as("3 parts keep v8").isEqualTo("v8");
    assertThat(Platform.parse("linux/aarch64/8").variant()).isEqualTo("v8");
    assertThat(Platform.parse("Linux/x86_64")).isEqualTo(new Platform("linux", "amd64", ""));
    assertThat(Platform.parse("linux/armhf")).as("2 parts drop the default v7").isEqualTo(new Platform("linux", "arm", ""));
    assertThat(Platform.parse("linux/arm")).as("arm/v7 is the default arm").isEqualTo(new Platform("linux", "arm", ""));
    assertThat(Platform.parse("linux/amd64/v1").variant()).isEmpty();
    assertThat(Platform.parse("linux").architecture()).isEqualTo(Platform.current().architecture());
    assertThat(Platform.parse("s390x").os()).isEqualTo(Platform.current().os());
    Platform win = Platform.parse("windows(10.0.17763+win32k+a%2Bb)/amd64");
    assertThat(win.osVersion()).isEqualTo("10.0.17763");
    assertThat(win.osFeatures()).containsExactly("win32k", "a+b");

    assertThat(new Platform("Linux", "aarch64", "v8").normalize()).isEqualTo(new Platform("linux", "arm64", ""));
    assertThat(new Platform("linux", "arm64", "9").normalize().variant()).isEqualTo("v9");
    assertThat(new Platform("macos", "i386", "x").normalize()).isEqualTo(new Platform("darwin", "386", ""));
    assertThat(new Platform("linux", "amd64", "", "", List.of("b", "a", "b")).normalize().osFeatures())
        .containsExactly("a", "b");
  }

  @Test
  void strictMatchingIsContainerdsOnlyStrict() {
    Platform arm64 = Platform.parse("linux/arm64");
    assertThat(arm64.matchesStrictly(Platform.parse("linux/arm64/v8"))).as("v8 normalizes away").isTrue();
    assertThat(arm64.matchesStrictly(new Platform("linux", "arm64", "v9"))).isFalse();
    assertThat(Platform.parse("linux/arm/v7").matchesStrictly(Platform.parse("linux/arm/v6")))
        .as("no fallback to older variants").isFalse();
    Platform withFeatures = new Platform("linux", "amd64", "", "", List.of("sse4", "avx2"));
    assertThat(Platform.parse("linux/amd64").matchesStrictly(withFeatures))
        .as("an image listing features needs them wanted").isFalse();
    assertThat(withFeatures.matchesStrictly(Platform.parse("linux/amd64"))).isTrue();
    assertThat(withFeatures.matchesStrictly(new Platform("linux", "amd64", "", "", List.of("avx2")))).isTrue();
    assertThat(Platform.parse("windows/amd64").matchesStrictly(
        new Platform("windows", "amd64", "", "10.0.17763.1", List.of("win32k")))).as("win32k ignored").isTrue();
    assertThat(Platform.parse("windows(10.0.17763)/amd64").matchesStrictly(
        new Platform("windows", "amd64", "", "10.0.20348.1", List.of()))).isFalse();
  }
}
