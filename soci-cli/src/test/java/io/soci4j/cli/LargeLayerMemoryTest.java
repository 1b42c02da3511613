package io.soci4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.ztoc.testing.TestImages;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A layer of 400,000 entries (an 84 MB zTOC) in a 256 MiB heap, each command a real {@code java}
 * process with {@code -Xmx256m}: {@code ztoc build}, {@code ztoc list}, {@code create} of an
 * image holding it and {@code ls} of that image work; in a heap too small, the command fails with
 * one line naming the limit and how to raise it, no stack trace. The layer is generated (seeded
 * names, sizes and times) once and cached under {@code target/large-layer/}.
 */
class LargeLayerMemoryTest {
  static final int ENTRIES = 400_000;
  static final Path WORK = Path.of("target", "large-layer");
  static Path layer;

  @BeforeAll
  static void generate() throws IOException {
    Files.createDirectories(WORK);
    layer = WORK.resolve("layer-" + ENTRIES + ".tar.gz");
    if (Files.exists(layer)) {
      return;
    }
    Path tmp = WORK.resolve("layer.tmp");
    GzipParameters fast = new GzipParameters();
    fast.setCompressionLevel(Deflater.BEST_SPEED);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file, fast))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      byte[] data = new byte[64];
      java.util.Arrays.fill(data, (byte) 'x');
      for (int i = 0; i < ENTRIES; i++) {
        TarArchiveEntry e = new TarArchiveEntry(String.format(java.util.Locale.ROOT,
            "usr/share/doc/package-%05d/some-longer-file-name-%06d.txt", i / 100, i));
        e.setSize(i % 50);
        e.setModTime(1_700_000_000_000L + 1000L * (i % 997));
        e.setUserName("root");
        e.setGroupName("root");
        tar.putArchiveEntry(e);
        tar.write(data, 0, i % 50);
        tar.closeArchiveEntry();
      }
    }
    Files.move(tmp, layer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void zTocBuildAndListWorkIn256MiB() throws Exception {
    Path ztoc = WORK.resolve("layer.ztoc");
    Files.deleteIfExists(ztoc);
    Run build = soci("256m", "ztoc", "build", layer.toString(), "-o", ztoc.toString());
    assertThat(build.exit()).as(build.err()).isZero();
    assertThat(Files.size(ztoc)).as("the zTOC").isGreaterThan(50_000_000L);
    Run list = soci("256m", "ztoc", "list", ztoc.toString());
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.outLines()).isEqualTo(ENTRIES);
  }

  @Test
  void createAndLsOfAnImageHoldingItWorkIn256MiB() throws Exception {
    Path layout = WORK.resolve("layout");
    FileTrees.deleteQuietly(layout);
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      store.tag(TestImages.pushManifest(store, Platform.parse("linux/amd64"), List.of(new TestImages.LayerBlob(
          MediaTypes.OCI_LAYER_TAR_GZIP, Files.readAllBytes(layer)))), "1");
    }
    Run create = soci("256m", "create", "--min-layer-size", "0", "oci:" + layout + ":1");
    assertThat(create.exit()).as(create.err()).isZero();
    Run ls = soci("256m", "ls", "oci:" + layout + ":1", "/usr/share/doc/package-03999");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.outLines()).isEqualTo(100);
  }

  @Test
  void tooSmallAHeapFailsWithOneLineNamingTheLimit() throws Exception {
    Run build = soci("48m", "ztoc", "build", layer.toString(), "-o", WORK.resolve("small.ztoc").toString());
    assertThat(build.exit()).isEqualTo(1);
    assertThat(build.err().strip()).as("one line, no stack trace")
        .startsWith("soci: out of memory: the Java heap (").contains("MiB at most", "-Xmx").doesNotContain("\n");
    assertThat(WORK.resolve("small.ztoc")).as("no half-written output").doesNotExist();
  }

  /** A finished process: exit code, stdout line count, stderr. */
  record Run(int exit, long outLines, String err) {}

  private static Run soci(String heap, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), SociCli.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(WORK, "out", ".txt");
    Path err = Files.createTempFile(WORK, "err", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished: %s", cmd).isTrue();
      long lines;
      try (var s = Files.lines(out, StandardCharsets.ISO_8859_1)) {
        lines = s.count();
      }
      return new Run(p.exitValue(), lines, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
