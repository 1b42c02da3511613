package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.soci4j.ztoc.ZstdRecompressor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soci ztoc build|info|list|get-file} end to end, in process, on a generated layer. */
class SociCliZtocTest {
  @TempDir static Path dir;
  static Path layer;
  static final Map<String, byte[]> FILES = new LinkedHashMap<>();

  @BeforeAll
  static void makeLayer() throws IOException {
    Random random = new Random(42);
    FILES.put("etc/hostname", "soci4j\n".getBytes(StandardCharsets.UTF_8));
    byte[] big = new byte[3_000_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ("abcdefgh \n".charAt(random.nextInt(10)) ^ (random.nextInt(50) == 0 ? random.nextInt(256) : 0));
    }
    FILES.put("usr/share/big.txt", big);
    FILES.put("empty", new byte[0]);
    layer = dir.resolve("layer.tar.gz");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(layer)))) {
      for (var f : FILES.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
  }

  Path buildZtoc(String name, String... extra) {
    Path ztoc = dir.resolve(name);
    String[] args = new String[6 + extra.length];
    args[0] = "ztoc";
    args[1] = "build";
    System.arraycopy(extra, 0, args, 2, extra.length);
    args[2 + extra.length] = layer.toString();
    args[3 + extra.length] = "-o";
    args[4 + extra.length] = ztoc.toString();
    args[5 + extra.length] = "--build-tool=test tool";
    Cli.Result r = soci(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return ztoc;
  }

  @Test
  void buildPrintsTheDigestAndSizeOfTheZtocItWrites() throws IOException {
    Path ztoc = dir.resolve("a.ztoc");
    Cli.Result r = soci("ztoc", "build", "--span-size", "65536", layer.toString(), "-o", ztoc.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    byte[] bytes = Files.readAllBytes(ztoc);
    assertThat(r.out().trim()).isEqualTo(Digest.sha256(bytes) + " " + bytes.length);
  }

  @Test
  void infoJsonListsEveryCheckpoint() throws IOException {
    Path ztoc = buildZtoc("b.ztoc", "--span-size", "65536", "--compression", "gzip");
    Cli.Result r = soci("ztoc", "info", ztoc.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("compression").asText()).isEqualTo("gzip");
    assertThat(json.get("build_tool_identifier").asText()).isEqualTo("test tool");
    assertThat(json.get("entries").asInt()).isEqualTo(FILES.size());
    JsonNode cps = json.get("checkpoints");
    assertThat(cps.size()).isEqualTo(json.get("max_span_id").asInt() + 1).isGreaterThan(10);
    assertThat(cps.get(0).get("in").asLong()).isEqualTo(10);
    for (JsonNode cp : cps) {
      assertThat(cp.has("out") && cp.has("bits")).isTrue();
    }
    Cli.Result text = soci("ztoc", "info", ztoc.toString());
    assertThat(text.out()).contains("compression:         gzip", "entries:             3");
  }

  @Test
  void listPrintsOneLinePerEntry() {
    Path ztoc = buildZtoc("c.ztoc");
    Cli.Result r = soci("ztoc", "list", ztoc.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines()).hasSize(FILES.size())
        .anySatisfy(l -> assertThat(l).startsWith("reg").endsWith(" usr/share/big.txt"));
  }

  @Test
  void getFileWritesTheFileBytesToStdoutOrAFile() throws IOException {
    Path ztoc = buildZtoc("d.ztoc", "--span-size", "100000");
    for (var f : FILES.entrySet()) {
      Cli.Result r = soci("ztoc", "get-file", layer.toString(), ztoc.toString(), f.getKey());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.bytes()).as(f.getKey()).isEqualTo(f.getValue());
    }
    Path out = dir.resolve("big.out");
    Cli.Result r = soci("ztoc", "get-file", layer.toString(), ztoc.toString(), "usr/share/big.txt", "-o", out.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(Files.readAllBytes(out)).isEqualTo(FILES.get("usr/share/big.txt"));
  }

  @Test
  void errorsGoToStderrWithAnExitCodeAndNoStackTrace() throws IOException {
    Cli.Result missing = soci("ztoc", "build", dir.resolve("nope.tar.gz").toString(), "-o", dir.resolve("x").toString());
    assertThat(missing.exit()).isEqualTo(SociCli.EXIT_NOT_FOUND);
    assertThat(missing.err()).startsWith("soci: no such file").doesNotContain("\tat ");
    assertThat(dir.resolve("x")).doesNotExist();

    Path corrupt = dir.resolve("corrupt.tar.gz");
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= (byte) 0xFF;
    Files.write(corrupt, bytes);
    Path out = dir.resolve("corrupt.ztoc");
    Cli.Result bad = soci("ztoc", "build", corrupt.toString(), "-o", out.toString());
    assertThat(bad.exit()).isEqualTo(SociCli.EXIT_INVALID_INPUT);
    assertThat(bad.err()).startsWith("soci: ").contains("offset").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }

    Cli.Result debug = soci("ztoc", "build", "--debug", corrupt.toString(), "-o", out.toString());
    assertThat(debug.exit()).isEqualTo(SociCli.EXIT_INVALID_INPUT);
    assertThat(debug.err()).contains("\tat ");

    Path ztoc = buildZtoc("e.ztoc");
    Cli.Result notFound = soci("ztoc", "get-file", layer.toString(), ztoc.toString(), "etc/passwd");
    assertThat(notFound.exit()).isEqualTo(SociCli.EXIT_NOT_FOUND);
    assertThat(notFound.err()).contains("etc/passwd");
    assertThat(notFound.out()).isEmpty();

    Cli.Result notZtoc = soci("ztoc", "info", layer.toString());
    assertThat(notZtoc.exit()).isEqualTo(SociCli.EXIT_INVALID_INPUT);
    assertThat(notZtoc.err()).contains("invalid zTOC");

    Cli.Result usage = soci("ztoc", "build", layer.toString());
    assertThat(usage.exit()).isEqualTo(2);
  }

  @Test
  void zstdLayersBuildAndReadWithANoteWhenTheLayerIsOneFrame() throws IOException {
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
      tar = in.readAllBytes();
    }
    Path single = dir.resolve("single.tar.zst");
    try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(single), 3)) {
      out.write(tar);
    }
    Path seekable = dir.resolve("seekable.tar.zst");
    try (InputStream in = Files.newInputStream(layer); OutputStream out = Files.newOutputStream(seekable)) {
      ZstdRecompressor.create().withSpanSize(1 << 20).recompress(in, out);
    }
    for (String compression : new String[] {"zstd", "auto"}) {
      Path ztoc = dir.resolve("single-" + compression + ".ztoc");
      Cli.Result r = soci("ztoc", "build", "--span-size", "1048576", "--compression", compression, single.toString(),
          "-o", ztoc.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).contains("note: this zstd layer is a single frame, so its zTOC has one span")
          .contains("not lazy").contains("soci convert --zstd");
      assertThat(soci("ztoc", "info", ztoc.toString()).out()).contains("compression:         zstd",
          "spans:               1");
      Cli.Result get = soci("ztoc", "get-file", single.toString(), ztoc.toString(), "usr/share/big.txt");
      assertThat(get.bytes()).isEqualTo(FILES.get("usr/share/big.txt"));
    }
    Path ztoc = dir.resolve("seekable.ztoc");
    Cli.Result r = soci("ztoc", "build", "--span-size", "1048576", seekable.toString(), "-o", ztoc.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode info = new ObjectMapper().readTree(soci("ztoc", "info", "--json", ztoc.toString()).out());
    assertThat(info.get("compression").asText()).isEqualTo("zstd");
    assertThat(info.get("max_span_id").asInt()).isEqualTo(2);
    for (var f : FILES.entrySet()) {
      Cli.Result get = soci("ztoc", "get-file", seekable.toString(), ztoc.toString(), f.getKey());
      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(get.bytes()).as(f.getKey()).isEqualTo(f.getValue());
    }
  }

  @Test
  void unsupportedLayersExitWithTheirOwnCode() throws IOException {
    Path global = dir.resolve("global.tar");
    try (OutputStream os = Files.newOutputStream(global);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      TarArchiveEntry g = new TarArchiveEntry("pax_global_header", TarArchiveEntry.LF_PAX_GLOBAL_EXTENDED_HEADER);
      g.addPaxHeader("comment", "hello");
      tar.putArchiveEntry(g); // commons-compress writes and closes a global header at once
    }
    Cli.Result r = soci("ztoc", "build", global.toString(), "-o", dir.resolve("g.ztoc").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(SociCli.EXIT_UNSUPPORTED);
    assertThat(r.err()).contains("pax_global_header");
  }
}
