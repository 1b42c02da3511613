package io.soci4j.registry.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.registry.ImageIndex;
import io.soci4j.registry.ImageManifest;
import io.soci4j.registry.InvalidManifestException;
import io.soci4j.registry.internal.model.ManifestCodec;

/**
 * Fuzzes the registry client's readers of manifests, indexes and image configs, with a
 * fuzzer-chosen Content-Type. Any input parses, and what parses writes and parses back to an
 * equal value, or fails with {@link InvalidManifestException}.
 */
class ManifestCodecFuzzTest {
  private static final String[] TYPES = {null, "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json", "application/json; charset=utf-8", "text/plain"};

  @FuzzTest(maxDuration = "10s")
  void parse(FuzzedDataProvider data) {
    String contentType = data.pickValue(TYPES);
    byte[] json = data.consumeRemainingAsBytes();
    try {
      ImageManifest m = ManifestCodec.parseManifest(json, contentType, "fuzz input");
      assertThat(ManifestCodec.parseManifest(ManifestCodec.write(m), m.mediaType(), "written")).isEqualTo(m);
    } catch (InvalidManifestException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      ImageIndex i = ManifestCodec.parseIndex(json, contentType, "fuzz input");
      assertThat(ManifestCodec.parseIndex(ManifestCodec.write(i), i.mediaType(), "written")).isEqualTo(i);
    } catch (InvalidManifestException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      ManifestCodec.parseConfig(json);
    } catch (InvalidManifestException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
