package io.soci4j.ztoc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.index.SociIndex;
import io.soci4j.ztoc.internal.json.ManifestJson;

/**
 * Fuzzes the readers of registry JSON in this module: image manifests and indexes ({@link
 * ManifestJson}) and SOCI indexes ({@link SociIndex#parse}). Any input parses or fails with
 * {@link SociException}.
 */
class ManifestJsonFuzzTest {
  private static final Descriptor WHERE = Descriptor.of(MediaTypes.OCI_MANIFEST,
      new byte[0]);

  @FuzzTest(maxDuration = "10s")
  void manifest(byte[] data) {
    try {
      ManifestJson m = ManifestJson.parse(WHERE, data);
      assertThat(m.layers()).doesNotContainNull();
      assertThat(m.manifests()).doesNotContainNull();
    } catch (SociException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      SociIndex index = SociIndex.parse(data);
      assertThat(index.layers()).doesNotContainNull();
    } catch (SociException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
