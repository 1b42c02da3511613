package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.V2Vectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code soci convert --standalone} on every v2 golden vector, with upstream's own flags: the
 * output layout's {@code index.json} is byte-identical to the one upstream wrote, every blob
 * upstream's top index reaches is there with upstream's bytes, the source layout is not changed
 * by a single byte, and the error cases print upstream's message and write nothing.
 */
class SociCliConvertTest {
  @TempDir Path tmp;

  static Stream<V2Vectors.Case> cases() {
    return V2Vectors.all().stream();
  }

  /** The case's flags, with linux/amd64 (the vectors' host) when an index is converted for "this machine". */
  static List<String> args(V2Vectors.Case c, String format, Path in, Path out) {
    List<String> args = new ArrayList<>(List.of("convert", "--standalone", "--format", format,
        "--build-tool", GoldenVectors.TOOL));
    args.addAll(c.flags());
    String root = c.json().path("input").path("root").path("mediaType").asText();
    if (!c.flags().contains("--platform") && !c.flags().contains("--all-platforms")
        && (root.contains("index") || root.contains("list"))) {
      args.addAll(List.of("--platform", "linux/amd64"));
    }
    args.addAll(List.of(in.toString(), out.toString()));
    return args;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void convertsEveryVectorAsUpstreamAndNeverWritesTheSource(V2Vectors.Case c) throws IOException {
    Path in = c.writeInput(tmp.resolve("in"));
    Map<String, Digest> before = snapshot(in);
    Path out = tmp.resolve("out");
    Cli.Result r = soci(args(c, "oci-dir", in, out));
    assertThat(snapshot(in)).as("the source layout is only read").isEqualTo(before);
    if (c.expectedError() != null) {
      assertThat(r.exit()).as(r.err()).isNotZero();
      assertThat(r.err().lines().reduce((a, b) -> b).orElseThrow()).as("the last line of stderr")
          .startsWith("soci: " + c.expectedError());
      assertThat(out).as("no output is left behind").doesNotExist();
      try (Stream<Path> s = Files.list(tmp)) {
        assertThat(s.map(p -> p.getFileName().toString())).containsExactly("in");
      }
      return;
    }
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(c.expectedIndex().toString());
    assertThat(Files.readAllBytes(out.resolve("index.json"))).as("index.json")
        .isEqualTo(Files.readAllBytes(c.expectedLayoutIndex()));
    assertThat(out.resolve("oci-layout")).hasSameTextualContentAs(in.resolve("oci-layout"));
    for (Digest d : c.reachableNewBlobs()) {
      assertThat(Files.readAllBytes(out.resolve("blobs/sha256/" + d.hex()))).as("blob %s", d)
          .isEqualTo(V2Vectors.blob(d));
    }
    for (String blob : before.keySet()) {
      assertThat(out.resolve(blob)).as("input blob carried over").exists();
    }
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("oci-layout", "index.json",
          "blobs");
    }
  }

  @Test
  void archivesInAndOutGiveTheSameImageAndAnOccupiedDestinationIsRefused() throws IOException {
    V2Vectors.Case c = V2Vectors.named("multi-platform-all-platforms");
    Path in = c.writeInput(tmp.resolve("in"));
    Path tar = tmp.resolve("in.tar");
    OciArchive.write(in, tar);
    Path outTar = tmp.resolve("out.tar");
    Cli.Result r = soci(args(c, "oci-archive", tar, outTar));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(c.expectedIndex().toString());
    Path unpacked = tmp.resolve("unpacked");
    Files.createDirectory(unpacked);
    OciArchive.extract(outTar, unpacked);
    assertThat(Files.readAllBytes(unpacked.resolve("index.json")))
        .isEqualTo(Files.readAllBytes(c.expectedLayoutIndex()));

    // converting the converted layout again, in place through oci:, is idempotent
    Cli.Result again = soci(List.of("convert", "--build-tool", GoldenVectors.TOOL, "--all-platforms",
        "--min-layer-size", "0", "oci:" + unpacked + ":" + c.expectedIndex(), "again"));
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out().trim()).isEqualTo(c.expectedIndex().toString());
    assertThat(again.err()).contains("(reused: already in the store)");

    Cli.Result occupied = soci(args(c, "oci-archive", tar, outTar));
    assertThat(occupied.exit()).isNotZero();
    assertThat(occupied.err()).contains("remove it or choose another");
    Cli.Result badFormat = soci(args(c, "zip", tar, tmp.resolve("x")));
    assertThat(badFormat.exit()).isNotZero();
    assertThat(badFormat.err()).contains("unsupported output format \"zip\"");
  }

  @Test
  void ociReferencesSplitAtTheFirstColonAndReadOnlyCommandsCreateNothing() throws IOException {
    V2Vectors.Case c = V2Vectors.named("oci-manifest-min-size-skips-tiny-layer");
    Path in = c.writeInput(tmp.resolve("lay"));
    Cli.Result r = soci(List.of("inspect", "oci:" + in + ":app:1.0"));
    assertThat(r.exit()).as(r.err()).isZero();
    Path missing = tmp.resolve("nosuch");
    Cli.Result m = soci(List.of("inspect", "oci:" + missing + ":app:1.0"));
    assertThat(m.exit()).isNotZero();
    assertThat(missing).doesNotExist();
    assertThat(in.resolve("index.json.lock")).doesNotExist();
  }

  @Test
  void prefetchPathsComeFromRepeatedFlagsAndAJsonFile() throws IOException {
    V2Vectors.Case c = V2Vectors.named("prefetch-files");
    Path in = c.writeInput(tmp.resolve("in"));
    Path list = tmp.resolve("prefetch.json");
    Files.writeString(list, "[\"usr/share/doc/tar/README.Debian\", \"  \", \"/etc/not-there.conf\"]");
    Cli.Result r = soci(List.of("convert", "--standalone", "--format", "oci-dir", "--build-tool", GoldenVectors.TOOL,
        "--span-size", "65536", "--min-layer-size", "0", "--prefetch", "/usr/share/doc/bash/changelog.gz",
        "--prefetch-files-json", list.toString(), in.toString(), tmp.resolve("out").toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(c.expectedIndex().toString());
    Files.writeString(list, "{\"not\": \"a list\"}");
    Cli.Result bad = soci(List.of("convert", "--standalone", "--prefetch-files-json", list.toString(), in.toString(),
        tmp.resolve("out2").toString()));
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("must hold a JSON array of paths");
  }

  private static Map<String, Digest> snapshot(Path dir) throws IOException {
    Map<String, Digest> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          out.put(dir.relativize(p).toString(), Digest.sha256(Files.readAllBytes(p)));
        }
      }
    }
    return out;
  }
}
