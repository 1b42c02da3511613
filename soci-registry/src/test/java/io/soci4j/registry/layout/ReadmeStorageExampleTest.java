package io.soci4j.registry.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.memory.MemoryStore;
import io.soci4j.registry.testing.TestImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Storage" example, so that it keeps compiling and working. */
class ReadmeStorageExampleTest {
  @TempDir
  Path build;

  @Test
  void readmeStorageExampleRuns() throws Exception {
    TestImage image = TestImage.of(1, 1, Platform.parse("linux/amd64"));
    Descriptor layer = image.layers().get(0).descriptor();
    Descriptor config = image.config().descriptor();
    Descriptor manifest = image.manifest().descriptor();
    byte[] configJson = image.config().bytes();
    byte[] manifestJson = image.manifest().bytes();
    InputStream layerStream = new ByteArrayInputStream(image.layers().get(0).bytes());
    byte[] json;
    byte[] head;
    List<Descriptor> socis;

    // --- README begins
    try (ImageStore layout = OciLayoutStore.open(build.resolve("build/image"))) {
      layout.push(layer, layerStream);                   // verified, written atomically
      layout.push(config, configJson);
      layout.push(manifest, manifestJson);
      layout.tag(manifest, "v1");                        // index.json, ref name annotation
      Descriptor resolved = layout.resolve("v1");        // or a digest
      json = layout.fetch(resolved);                     // digest-verified
      try (ByteSource blob = layout.openRange(layer)) {  // positional reads
        head = blob.read(0, 512);
      }
      socis = layout.referrers(resolved.digest(), MediaTypes.SOCI_INDEX_V1);
    }
    ImageStore memory = MemoryStore.create();            // same contract, in memory
    // --- README ends

    assertThat(json).isEqualTo(manifestJson);
    assertThat(head).isEqualTo(Arrays.copyOf(image.layers().get(0).bytes(), 512));
    assertThat(socis).isEmpty();
    assertThat(memory.exists(layer)).isFalse();
  }
}
