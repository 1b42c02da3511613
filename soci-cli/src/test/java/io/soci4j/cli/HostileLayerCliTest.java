package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.ztoc.testing.TestImages;
import io.soci4j.ztoc.testing.TestLayers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 1 KiB layer whose one member declares a size near 2^63 (base-256 size field), through every
 * command: {@code ztoc build} and {@code create} refuse it at once with a typed error (exit 3);
 * in an image whose other layer is indexed, {@code ls}, {@code cat}, {@code stat} and {@code pull}
 * fail cleanly (exit 3, one line naming the layer's entry) instead of spinning. Each command runs
 * under a 60 s guard.
 */
class HostileLayerCliTest {
  @TempDir static Path dir;
  static Path hostile;
  static String image;

  /** One ustar member "huge" of {@code size} bytes (base-256 size field), 100 bytes of data, end. */
  static byte[] hugeMember(long size) {
    byte[] h = new byte[512];
    put(h, 0, "huge");
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    h[124] = (byte) 0x80; // base-256: the 11 bytes after hold the size, big-endian
    for (int i = 0; i < 8; i++) {
      h[135 - i] = (byte) (size >>> (8 * i));
    }
    put(h, 136, "00000000000\0");
    h[156] = '0';
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format(java.util.Locale.ROOT, "%06o\0 ", sum));
    byte[] tar = new byte[512 + 512 + 1024];
    System.arraycopy(h, 0, tar, 0, 512);
    java.util.Arrays.fill(tar, 512, 612, (byte) 'x');
    return tar;
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  @BeforeAll
  static void image() throws IOException {
    byte[] bad = TestLayers.gzip(hugeMember(Long.MAX_VALUE - 511), 1);
    hostile = Files.write(dir.resolve("hostile.tar.gz"), bad);
    ByteArrayOutputStream good = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(good)) {
      byte[] data = TestLayers.random(new Random(3), 1 << 20);
      TarArchiveEntry e = new TarArchiveEntry("good/file.bin");
      e.setSize(data.length);
      t.putArchiveEntry(e);
      t.write(data);
      t.closeArchiveEntry();
    }
    Path layout = dir.resolve("layout");
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      store.tag(TestImages.pushManifest(store, Platform.parse("linux/amd64"), List.of(
          new TestImages.LayerBlob(MediaTypes.OCI_LAYER_TAR_GZIP, TestLayers.gzip(good.toByteArray(), 1)),
          new TestImages.LayerBlob(MediaTypes.OCI_LAYER_TAR_GZIP, bad))), "1");
    }
    image = "oci:" + layout + ":1";
    // the hostile layer is below the minimum size: the good one is indexed, the hostile one is read whole
    Cli.Result create = run("create", "--min-layer-size", "4096", image);
    assertThat(create.exit()).as(create.err()).isZero();
  }

  private static Cli.Result run(String... args) {
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> soci(args), () -> "soci " + String.join(" ", args)
        + " spins");
  }

  @org.junit.jupiter.api.Test
  void ztocBuildAndCreateRefuseTheLayerAtOnce() {
    Cli.Result build = run("ztoc", "build", hostile.toString(), "-o", dir.resolve("z").toString());
    assertThat(build.exit()).isEqualTo(SociCli.EXIT_INVALID_INPUT);
    assertThat(build.err()).contains("huge").doesNotContain("\tat ");
    assertThat(dir.resolve("z")).doesNotExist();
    Cli.Result create = run("create", "--min-layer-size", "0", image);
    assertThat(create.exit()).as(create.err()).isEqualTo(SociCli.EXIT_INVALID_INPUT);
    assertThat(create.err()).contains("huge").doesNotContain("\tat ");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ls", "cat", "stat", "pull"})
  void readerCommandsFailCleanlyForAFileInTheOtherLayer(String command) {
    List<String> args = switch (command) {
      case "ls" -> List.of("ls", image, "/good");
      case "cat" -> List.of("cat", image, "/good/file.bin");
      case "stat" -> List.of("stat", image, "/good/file.bin");
      default -> List.of("pull", image, dir.resolve("pulled-" + command).toString());
    };
    Cli.Result r = run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isEqualTo(SociCli.EXIT_INVALID_INPUT);
    assertThat(r.err().strip()).as("one line naming the entry").contains("huge").doesNotContain("\n");
    assertThat(dir.resolve("pulled-" + command)).doesNotExist();
  }
}
