package io.soci4j.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.lambda.testing.TestImages;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap a conversion needs does not grow with the number of layers: each layer's zTOC (its
 * checkpoints, 32 KiB a span) is let go once pushed. 16 layers whose zTOCs hold 16 MiB of
 * checkpoints each (4 KiB spans), 256 MiB in all, converted one layer at a time in a JVM of
 * {@code -Xmx96m}; holding them until the index is written runs out of memory.
 */
class ManyLayersHeapTest {
  private static final int LAYERS = 16;
  private static final long SPAN = 4096;
  @TempDir Path dir;

  @Test
  void sixteenLayersOf16MiBOfCheckpointsEachConvertIn96MiBOfHeap() throws Exception {
    Path layout = dir.resolve("layout");
    Random r = new Random(9);
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      List<Descriptor> layers = new ArrayList<>();
      for (int i = 0; i < LAYERS; i++) {
        byte[] data = new byte[2 << 20]; // incompressible: 512 spans of 4 KiB, a 32 KiB window each
        r.nextBytes(data);
        byte[] layer = TestImages.gzip(new TarBuilder().file("./layer-" + i + ".bin", data, 0644).tar());
        Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, layer);
        store.push(d, layer);
        layers.add(d);
      }
      store.tag(TestImages.manifest(store, layers), "1");
    }
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
        "-cp", System.getProperty("java.class.path"), ManyLayersHeapTest.class.getName(), layout.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(dir.resolve("out.log"));
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("converted " + LAYERS + " layers");
  }

  /**
   * Converts the layout's image {@code 1}, one layer at a time.
   *
   * @param args the layout
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try (OciLayoutStore store = OciLayoutStore.open(Path.of(args[0]))) {
      SociConverter.ConvertedImage c = SociConverter.of(SociIndexBuilder.create().withSpanSize(SPAN)
          .withMinLayerSize(0).withConcurrency(1)).convert(store, "1");
      int layers = c.platforms().get(0).index().ztocs().size();
      System.out.println("converted " + layers + " layers");
    }
  }
}
