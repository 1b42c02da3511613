package io.soci4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Digest;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.V2Registry;
import io.soci4j.ztoc.testing.V2Vectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the example programs, as a user would, against Debian's docker-registry (started for this
 * class) and a golden layer: their output is the file's bytes.
 */
class ExamplesTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();

  /** Runs a main method with stdout and stderr captured. */
  static String[] run(ThrowingMain main) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      main.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {o.toString(StandardCharsets.ISO_8859_1), e.toString(StandardCharsets.UTF_8)};
  }

  interface ThrowingMain {
    void run() throws Exception;
  }

  @Test
  void convertAndReadReadsAFileOfTheConvertedImage() throws Exception {
    V2Vectors.Case c = V2Vectors.named("default-min-size-skips-small-layers"); // a layer above 10 MiB
    String image = REGISTRY.registry() + "/examples/app";
    java.util.Map.Entry<String, byte[]> expected;
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = client.store(ImageReference.parse(image + ":1.0"));
      V2Registry.pushAll(store, c.inputBlobs());
      store.tag(store.resolve(c.root().toString()), "1.0");
      expected = V2Registry.topmostFile(store, store.imageManifest("1.0").layers());
    }
    String[] r = run(() -> ConvertAndRead.main(new String[] {"--plain-http", image + ":1.0", "1.0-soci",
        "/" + expected.getKey()}));
    assertThat(r[0].getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(expected.getValue());
    assertThat(r[1]).contains("(zTOC)");

    String dir = "/" + (expected.getKey().contains("/") ? expected.getKey().substring(0,
        expected.getKey().lastIndexOf('/')) : "");
    String name = expected.getKey().substring(expected.getKey().lastIndexOf('/') + 1);
    String[] listed = run(() -> ReadFiles.main(new String[] {"--plain-http", image + ":1.0-soci", dir}));
    assertThat(listed[0]).contains(name + " " + expected.getValue().length).containsPattern("walk: \\d+ paths");
  }

  @Test
  void buildZtocReadsAFileOfALocalLayer() throws Exception {
    Path layer = GoldenVectors.dir().resolve("layers/small.tar.gz");
    byte[] expected = null;
    String name = null;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
        new ByteArrayInputStream(java.nio.file.Files.readAllBytes(layer))))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null && expected == null; e = tar.getNextEntry()) {
        if (e.isFile() && e.getSize() > 0) {
          name = e.getName();
          expected = tar.readAllBytes();
        }
      }
    }
    String file = name;
    String[] r = run(() -> BuildZtoc.main(new String[] {layer.toString(), file}));
    assertThat(Digest.sha256(r[0].getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(Digest.sha256(expected));
    assertThat(r[1]).startsWith("zTOC: ");
  }
}
