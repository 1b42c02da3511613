package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.testing.BuildZtocMain;
import io.soci4j.ztoc.testing.CountingByteSource;
import io.soci4j.ztoc.testing.JdkTar;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real layer of more than 200 MB (a tar of the installed JDKs, built at test time) written as
 * one zstd frame by Debian's {@code zstd} CLI, then converted to seekable zstd:
 *
 * <ul>
 *   <li>the single-frame layer's zTOC builds in a child JVM with a 64 MiB heap (the builder
 *       streams frames, it never holds one whole) and has one span;
 *   <li>{@code zstd -d} decompresses the converted layer to the identical tar (the CLI must be
 *       installed: the test fails, never skips, without it);
 *   <li>reading one small file through the converted layer's zTOC fetches less than 2% of it.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZstdLargeLayerTest {
  private Path tar;
  private Digest tarDigest;
  private Path single;
  private Path converted;
  private ZstdRecompressor.Result result;

  @BeforeAll
  void buildLayers(@TempDir Path dir) throws Exception {
    tar = dir.resolve("jdk.tar");
    tarDigest = JdkTar.write(tar);
    assertThat(Files.size(tar)).as("JDK tar size").isGreaterThan(200L << 20);
    single = dir.resolve("single.tar.zst");
    run("zstd", "-q", "-1", "-f", tar.toString(), "-o", single.toString());
    converted = dir.resolve("converted.tar.zst");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(single), 1 << 16);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(converted), 1 << 16)) {
      result = ZstdRecompressor.create().recompress(in, out);
    }
  }

  @Test
  void theSingleFrameLayerBuildsInASmallHeapAsOneSpan() throws Exception {
    Ztoc ztoc;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(single), 1 << 16)) {
      ztoc = ZtocBuilder.create().build(in);
    }
    assertThat(ztoc.compression()).isEqualTo(Compression.ZSTD);
    assertThat(ztoc.maxSpanId()).isZero();
    assertThat(ztoc.uncompressedArchiveSize()).isGreaterThan(200L << 20);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
        BuildZtocMain.class.getName(), single.toString(), Long.toString(ZtocBuilder.DEFAULT_SPAN_SIZE))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output).isEqualTo(Digest.sha256(ZtocCodec.serialize(ztoc)).toString());
  }

  @Test
  void debiansZstdDecompressesTheConvertedLayerToTheIdenticalTar() throws Exception {
    assertThat(result.diffId()).isEqualTo(tarDigest);
    Process p = new ProcessBuilder("zstd", "-d", "-c", "-q", converted.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    MessageDigest md = Digest.newSha256();
    long n = 0;
    try (InputStream out = p.getInputStream()) {
      byte[] buf = new byte[1 << 16];
      for (int k; (k = out.read(buf)) >= 0; ) {
        md.update(buf, 0, k);
        n += k;
      }
    }
    assertThat(p.waitFor()).isZero();
    assertThat(n).isEqualTo(Files.size(tar));
    assertThat(Digest.of(md)).isEqualTo(tarDigest);
    assertThat(Files.size(converted)).isEqualTo(result.size());
  }

  @Test
  void readingOneSmallFileFetchesLessThanTwoPercent() throws IOException {
    Ztoc ztoc = result.ztoc();
    assertThat(ztoc.spans()).hasSizeGreaterThan(50);
    TocEntry small = ztoc.toc().stream()
        .filter(e -> e.type() == EntryType.REGULAR && e.uncompressedSize() > 100 && e.uncompressedSize() < 4096)
        .filter(e -> e.name().endsWith("/release"))
        .max(Comparator.comparingLong(TocEntry::uncompressedOffset)).orElseThrow();
    try (CountingByteSource layer = new CountingByteSource(ByteSource.open(converted))) {
      byte[] bytes = LayerReader.of(ztoc, layer).readFile(small.name());
      assertThat(bytes).isEqualTo(Files.readAllBytes(Path.of("/" + small.name())));
      assertThat(layer.bytesRead()).as("bytes fetched for %s", small.name())
          .isLessThan(Files.size(converted) / 50);
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
