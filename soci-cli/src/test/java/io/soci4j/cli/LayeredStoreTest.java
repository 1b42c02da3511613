package io.soci4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.memory.MemoryStore;
import io.soci4j.registry.layout.OciLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store standalone conversion runs on: reads both, writes only the output, lists both tags. */
class LayeredStoreTest {
  @Test
  void readsBothWritesTheOutputListsBothTags(@TempDir Path tmp) throws Exception {
    MemoryStore source = MemoryStore.create();
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Descriptor c = Descriptor.of(MediaTypes.OCI_CONFIG, config);
    source.push(c, config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + c.digest() + "\",\"size\":2},"
        + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    Descriptor m = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
    source.push(m, manifest);
    source.tag(m, "in-source");
    try (OciLayoutStore output = OciLayoutStore.open(tmp.resolve("out"));
        LayeredStore store = new LayeredStore(source, output)) {
      byte[] blob = "new".getBytes(StandardCharsets.UTF_8);
      Descriptor b = Descriptor.of(MediaTypes.ZTOC, blob);
      store.push(b, blob);
      assertThat(output.exists(b)).isTrue();
      assertThat(source.exists(b)).as("the source is never written").isFalse();
      assertThat(store.fetch(c)).isEqualTo(config);
      assertThat(store.resolve("in-source")).isEqualTo(m);
      store.push(m, manifest); // tags go to the output, so the manifest must be there
      store.tag(m, "in-output");
      assertThat(store.tags(10)).containsExactlyInAnyOrder("in-source", "in-output");
      assertThat(store.tags(1)).hasSize(1);
    }
    assertThatThrownBy(() -> source.resolve("in-output")).isInstanceOf(io.soci4j.api.ContentNotFoundException.class);
  }
}
