package io.soci4j.ztoc.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.api.SociException;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.ztoc.testing.V2Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every v2 golden vector (upstream's {@code soci convert} on small OCI layouts) converted by
 * {@link SociConverter} into the input layout itself: the top image index has upstream's digest
 * and size, so every rewritten manifest, SOCI index, zTOC and prefetch artifact it names is
 * byte-identical; every new blob upstream's index reaches is in the layout with upstream's bytes;
 * error cases fail with upstream's message and write no index.
 */
class SociConverterGoldenTest {
  @TempDir Path tmp;

  static Stream<V2Vectors.Case> cases() {
    return V2Vectors.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void convertsAsUpstream(V2Vectors.Case c) throws IOException {
    Path layout = c.writeInput(tmp.resolve("layout"));
    List<Path> before;
    try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
      before = s.sorted().toList();
    }
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      SociConverter converter = SociConverter.of(c.builder());
      if (c.expectedError() != null) {
        assertThatThrownBy(() -> converter.convert(store, c.root().toString()))
            .isInstanceOf(SociException.class)
            .hasMessageStartingWith(c.expectedError());
        return;
      }
      SociConverter.ConvertedImage converted = converter.convert(store, c.root().toString());
      SoftAssertions soft = new SoftAssertions();
      for (Digest d : c.reachableNewBlobs()) { // first, so that a mismatch names the first blob that differs
        soft.assertThat(layout.resolve("blobs/sha256/" + d.hex())).as("new blob %s", d).exists();
      }
      soft.assertThat(converted.index().digest()).as("top image index").isEqualTo(c.expectedIndex());
      soft.assertThat(converted.index().size()).isEqualTo(c.expectedIndexSize());
      soft.assertAll();
      for (Digest d : c.reachableNewBlobs()) {
        assertThat(Files.readAllBytes(layout.resolve("blobs/sha256/" + d.hex()))).as("blob %s", d)
            .isEqualTo(V2Vectors.blob(d));
      }
    }
    try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
      assertThat(s.map(Path::toString).toList()).containsAll(before.stream().map(Path::toString).toList());
    }
  }
}
