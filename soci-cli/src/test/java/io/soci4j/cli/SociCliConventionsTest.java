package io.soci4j.cli;

import static io.soci4j.cli.Cli.soci;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.ztoc.testing.TestImages;
import io.soci4j.ztoc.testing.TestLayers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The CLI's habits, as git, docker and skopeo users expect them, on a SOCI-enabled OCI layout
 * built here (a 24 MiB file in 1 MiB spans, a dangling symbolic link): help everywhere, exit
 * codes, read-only commands that create nothing, pull's target rule, and standard output errors
 * through a real process ({@code > /dev/full}, a reader that goes away).
 */
class SociCliConventionsTest {
  @TempDir static Path dir;
  static String ref;
  static final int BIG = 24 << 20;
  /** A name a hostile layer could hold: a terminal escape sequence, a bell and a newline. */
  static final String EVIL = "evil\u001b[31mred\u0007\nname";

  @BeforeAll
  static void image() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
      t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      Random r = new Random(7);
      file(t, "etc/os-release", "ID=test\n".getBytes(StandardCharsets.UTF_8));
      file(t, "big.txt", TestLayers.text(r, TestLayers.words(r), BIG));
      file(t, EVIL, "hostile name\n".getBytes(StandardCharsets.UTF_8));
      TarArchiveEntry link = new TarArchiveEntry("dangling", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/nowhere/at/all");
      t.putArchiveEntry(link);
      t.closeArchiveEntry();
    }
    Path layout = dir.resolve("layout");
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      store.tag(TestImages.pushManifest(store, Platform.parse("linux/amd64"), List.of(new TestImages.LayerBlob(
          MediaTypes.OCI_LAYER_TAR_GZIP, TestLayers.gzip(tar.toByteArray(), 1)))), "1");
    }
    Cli.Result r = soci("convert", "--min-layer-size", "0", "--span-size", "1048576", "oci:" + layout + ":1", "soci");
    assertThat(r.exit()).as(r.err()).isZero();
    ref = "oci:" + layout + ":soci";
  }

  private static void file(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    t.putArchiveEntry(e);
    t.write(data);
    t.closeArchiveEntry();
  }

  /** Every command path: soci, soci convert, soci ztoc build, ... */
  static List<List<String>> commands(CommandLine cl, List<String> prefix) {
    List<List<String>> out = new ArrayList<>();
    out.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> p = new ArrayList<>(prefix);
        p.add(name);
        out.addAll(commands(sub, p));
      }
    });
    return out;
  }

  @Test
  void everyCommandTakesHelpAndHelpCmdAndDescribesEveryParameter() {
    CommandLine root = SociCli.commandLine(System.out);
    List<List<String>> all = commands(root, List.of());
    assertThat(all).hasSizeGreaterThan(12);
    for (List<String> cmd : all) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(cmd);
        args.add(flag);
        Cli.Result r = soci(args.toArray(String[]::new));
        assertThat(r.exit()).as("%s: %s", args, r.err()).isZero();
        assertThat(r.out()).as("%s", args).contains("Usage: soci");
        assertThat(r.err()).as("%s", args).isEmpty();
      }
      if (!cmd.isEmpty()) {
        List<String> args = new ArrayList<>(List.of("help"));
        args.addAll(cmd.subList(0, 1));
        Cli.Result r = soci(args.toArray(String[]::new));
        assertThat(r.exit()).as("%s", args).isZero();
        assertThat(r.out()).contains("Usage: soci " + cmd.get(0));
      }
    }
    describeEverything(root.getCommandSpec());
    Cli.Result unknown = soci("nosuch", "--help");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("'nosuch' is not a soci command");
    assertThat(soci("ztoc", "nosuch", "-h").exit()).isEqualTo(2);
    Cli.Result bare = soci("index");
    assertThat(bare.exit()).isEqualTo(2);
    assertThat(bare.err()).contains("needs a command: list, info");
  }

  private static void describeEverything(CommandSpec spec) {
    for (OptionSpec o : spec.options()) {
      assertThat(String.join(" ", o.description())).as("%s %s", spec.qualifiedName(), o.longestName()).isNotBlank();
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      assertThat(String.join(" ", p.description())).as("%s %s", spec.qualifiedName(), p.paramLabel()).isNotBlank();
    }
    spec.subcommands().values().forEach(s -> describeEverything(s.getCommandSpec()));
  }

  @Test
  void exitCodesFollowTheReadme() {
    assertThat(soci("cat", ref, "/nope").exit()).as("a path missing in the image").isEqualTo(5);
    assertThat(soci("cat", "UPPER/case", "/x").exit()).isEqualTo(2);
    assertThat(soci("cat", "x@sha256:1234", "/x").exit()).isEqualTo(2);
    Cli.Result creds = soci("--debug", "ls", "user:hunter2@registry.example.com/app:1");
    assertThat(creds.exit()).isEqualTo(2);
    assertThat(creds.err()).contains("credentials").doesNotContain("hunter2");
    assertThat(soci("cat", "--platform", "bogus", ref, "/x").exit()).isEqualTo(2);
    Cli.Result two = soci("ls", "--platform", "linux/amd64", "--platform", "linux/arm64", ref);
    assertThat(two.exit()).isEqualTo(2);
    assertThat(two.err()).contains("reads one platform").contains("Usage: soci ls");
    Cli.Result arm = soci("cat", "--platform", "linux/arm64", ref, "/etc/os-release");
    assertThat(arm.exit()).isEqualTo(5);
    assertThat(soci("ztoc", "info", "--image", ref, "0123456789ab").exit()).isEqualTo(5);
    assertThat(soci("ztoc", "info", "--image", ref, "01234").exit()).isEqualTo(2);
  }

  @Test
  void readOnlyCommandsOnAMistypedLayoutCreateNothing() throws IOException {
    List<String> before = listing(dir.resolve("layout"));
    Path missing = dir.resolve("typo");
    String typo = "oci:" + missing + ":soci";
    for (String[] args : List.of(new String[] {"ls", typo}, new String[] {"cat", typo, "/x"},
        new String[] {"stat", typo, "/x"}, new String[] {"inspect", typo}, new String[] {"index", "list", typo},
        new String[] {"index", "info", typo}, new String[] {"ztoc", "info", "--image", typo, "0123456789ab"},
        new String[] {"pull", typo, dir.resolve("p").toString()})) {
      Cli.Result r = soci(args);
      assertThat(r.exit()).as("%s", List.of(args)).isEqualTo(5);
      assertThat(r.err()).contains("not found");
    }
    assertThat(missing).doesNotExist();
    assertThat(dir.resolve("p")).doesNotExist();
    for (String[] args : List.of(new String[] {"ls", ref}, new String[] {"index", "info", ref},
        new String[] {"inspect", ref})) {
      assertThat(soci(args).exit()).isZero();
    }
    assertThat(listing(dir.resolve("layout"))).as("reading a layout changes nothing in it").isEqualTo(before);
  }

  private static List<String> listing(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      return s.map(p -> root.relativize(p) + " " + p.toFile().length() + " " + p.toFile().lastModified()).sorted()
          .toList();
    }
  }

  @Test
  void namesAreEscapedInListingsAndFilesAreWrittenWithOrdinaryPermissions() throws IOException {
    Cli.Result ls = soci("ls", ref, "/");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out()).doesNotContain("\u001b").doesNotContain("\u0007")
        .contains("evil\\x1b[31mred\\x07\\nname");
    String layer = io.soci4j.api.Digest.sha256(Files.readAllBytes(dir.resolve("layout/blobs/sha256").resolve(
        largestBlob()))).hex().substring(0, 12);
    Cli.Result list = soci("ztoc", "list", "--image", ref, layer);
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).doesNotContain("\u001b").contains("evil\\x1b[31mred\\x07\\nname");
    Path out = dir.resolve("os-release.out");
    assertThat(soci("ztoc", "get-file", "--image", ref, layer, "etc/os-release", "-o", out.toString()).exit())
        .isZero();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void namesThatAreNotUtf8AreShownAsBytesAndReadByHex() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    // ISO-8859-1: each char of a name is one byte, so a name can hold bytes that are not UTF-8
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar, "ISO-8859-1")) {
      file(t, "bad-\u00ff\u00fe.txt", "not utf-8\n".getBytes(StandardCharsets.UTF_8));
    }
    String ref = convertedLayout("bad-names", tar.toByteArray());
    Cli.Result ls = soci("ls", ref, "/");
    assertThat(ls.out()).contains("bad-\\xff\\xfe.txt");
    String hex = java.util.HexFormat.of().formatHex("/bad-".getBytes(StandardCharsets.US_ASCII)) + "fffe"
        + java.util.HexFormat.of().formatHex(".txt".getBytes(StandardCharsets.US_ASCII));
    Cli.Result cat = soci("cat", "--name-hex", ref, hex);
    assertThat(cat.exit()).as(cat.err()).isZero();
    assertThat(cat.out()).isEqualTo("not utf-8\n");
    String layer = io.soci4j.api.Digest.sha256(TestLayers.gzip(tar.toByteArray(), 1)).hex().substring(0, 12);
    Cli.Result get = soci("ztoc", "get-file", "--name-hex", "--image", ref, layer, hex.substring(2));
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("not utf-8\n");
    assertThat(soci("cat", "--name-hex", ref, "zz").exit()).isEqualTo(2);
    // this JVM cannot create such a name: pull refuses before writing anything and says what to do
    Path target = dir.resolve("bad-pull");
    Cli.Result pull = soci("pull", ref, target.toString());
    assertThat(pull.exit()).isNotZero();
    assertThat(pull.exit()).isEqualTo(3);
    assertThat(pull.err()).contains("/bad-\\xff\\xfe.txt").contains("not valid in this system's file name encoding")
        .contains("nothing was written").contains("pull --tar");
    assertThat(target).doesNotExist();
    assertThat(soci("pull", "--tar", ref, target.toString()).exit()).isZero();
  }

  @Test
  void pullListsEveryUnsafeEntryBeforeWritingAndSkipsThemWhenAsked() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar, "UTF-8")) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      file(t, "ok.txt", "fine\n".getBytes(StandardCharsets.UTF_8));
      file(t, "../escape.txt", "out\n".getBytes(StandardCharsets.UTF_8));
      file(t, "x/./y/../kept.txt", "cleaned\n".getBytes(StandardCharsets.UTF_8));
      file(t, "n".repeat(300), "long\n".getBytes(StandardCharsets.UTF_8));
    }
    String ref = convertedLayout("unsafe-names", tar.toByteArray());
    Path target = dir.resolve("unsafe-pull");
    Cli.Result refused = soci("pull", ref, target.toString());
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err()).contains("2 entries cannot be extracted safely, nothing was written")
        .contains("'../escape.txt' in layer sha256:").contains("'..' leads out of the image root")
        .contains("'/" + "n".repeat(190)).contains("n...' in layer") // long names are cut.contains("300 bytes is longer than the 255")
        .contains("--skip-unsafe").contains("soci: refusing to extract: 2 entries listed above cannot be extracted safely");
    assertThat(refused.err().split("escape.txt", -1)).as("each entry listed once").hasSize(2);
    assertThat(target).doesNotExist();
    Cli.Result skipped = soci("pull", "--skip-unsafe", ref, target.toString());
    assertThat(skipped.exit()).as(skipped.err()).isZero();
    assertThat(skipped.err()).contains("2 entries left out (--skip-unsafe):").contains("'../escape.txt'");
    assertThat(Files.readString(target.resolve("ok.txt"))).isEqualTo("fine\n");
    assertThat(Files.readString(target.resolve("x/kept.txt"))).isEqualTo("cleaned\n");
    assertThat(Files.exists(dir.resolve("escape.txt"))).isFalse();
  }

  /** A one-layer image of {@code tar} in a new layout, converted; {@return its reference} */
  private static String convertedLayout(String name, byte[] tar) throws IOException {
    Path layout = dir.resolve(name);
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      store.tag(TestImages.pushManifest(store, Platform.parse("linux/amd64"), List.of(new TestImages.LayerBlob(
          MediaTypes.OCI_LAYER_TAR_GZIP, TestLayers.gzip(tar, 1)))), "1");
    }
    assertThat(soci("convert", "--min-layer-size", "0", "oci:" + layout + ":1", "soci").exit()).isZero();
    String ref = "oci:" + layout + ":soci";
    return ref;
  }

  private static String largestBlob() throws IOException {
    try (var s = Files.list(dir.resolve("layout/blobs/sha256"))) {
      return s.max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow().getFileName()
          .toString();
    }
  }

  @Test
  void pullAndCatShowPerLayerProgressWhenAsked() throws IOException {
    Cli.Result cat = soci("cat", "--progress=plain", ref, "/big.txt");
    assertThat(cat.exit()).as(cat.err()).isZero();
    assertThat(cat.out()).hasSize(BIG);
    assertThat(cat.err().lines()).anyMatch(l -> l.matches("layer [0-9a-f]{12} fetched [0-9.]+ MB .*"))
        .noneMatch(l -> l.contains("\r"));
    Cli.Result pull = soci("pull", "--progress=plain", ref, dir.resolve("progress").toString());
    assertThat(pull.exit()).as(pull.err()).isZero();
    assertThat(pull.err()).containsPattern("layer [0-9a-f]{12} fetched");
    Cli.Result quiet = soci("pull", "-q", "--progress=plain", ref, dir.resolve("quiet").toString());
    assertThat(quiet.err()).isEmpty();
    Cli.Result bad = soci("pull", "--progress=fancy", ref, dir.resolve("bad").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("not a progress mode");
    Cli.Result ls = soci("ls", "--progress=plain", ref, "/");
    assertThat(ls.exit()).as("ls shows no progress, so it takes no --progress").isEqualTo(2);
  }

  @Test
  void statShowsADanglingLinkItself() {
    Cli.Result r = soci("stat", ref, "/dangling");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("type:").contains("linkTarget: /nowhere/at/all").contains("(dangling");
    Cli.Result json = soci("stat", "--json", ref, "/dangling");
    assertThat(json.out()).containsPattern("\"resolved\"\\s*:\\s*null");
  }

  @Test
  void pullAcceptsAnEmptyTargetAndRefusesAFullOneUnlessForced() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(soci("pull", ref, empty.toString()).exit()).isZero();
    assertThat(empty.resolve("etc/os-release")).hasContent("ID=test");
    Path full = Files.createDirectory(dir.resolve("full"));
    Files.writeString(full.resolve("mine"), "keep");
    Cli.Result refused = soci("pull", ref, full.toString());
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("not empty").contains("--force");
    assertThat(soci("pull", "--force", ref, full.toString()).exit()).isZero();
    assertThat(full.resolve("mine")).hasContent("keep");
    assertThat(full.resolve("etc/os-release")).exists();
    Path tars = Files.createDirectory(dir.resolve("tars"));
    Files.writeString(tars.resolve("mine"), "keep");
    assertThat(soci("pull", "--tar", ref, tars.toString()).exit()).isNotZero();
    assertThat(soci("pull", "--tar", "--force", ref, tars.toString()).exit()).isZero();
    try (var s = Files.list(tars)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("mine", "layer-0.tar");
    }
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".soci-"));
    }
  }

  private static Process process(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SociCli.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  @Test
  void aWriteErrorOnStdoutFailsWithAMessage() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SociCli.class.getName(), "cat", ref, "/big.txt"));
    Process p = new ProcessBuilder(cmd).redirectOutput(new java.io.File("/dev/full")).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isEqualTo(1);
    assertThat(err.lines()).containsExactly("soci: cannot write to standard output: No space left on device");
  }

  @Test
  void aClosedPipeStopsTheWorkAtOnceAndQuietly() throws Exception {
    Process p = process("cat", "--stats", ref, "/big.txt");
    try (InputStream out = p.getInputStream()) {
      assertThat(out.readNBytes(16)).hasSize(16);
    } // the reader goes away, as head -c 16 does
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isEqualTo(SociCli.EXIT_BROKEN_PIPE);
    assertThat(err).doesNotContain("soci:");
    Matcher m = Pattern.compile("spans: (\\d+) fetched").matcher(err);
    assertThat(m.find()).as(err).isTrue();
    int spans = Integer.parseInt(m.group(1));
    System.out.println("closed pipe after 16 bytes of a " + BIG + "-byte file: " + spans + " span(s) fetched");
    assertThat(spans).as("the file has more than 20 spans; the work stops near the first").isLessThan(8);
  }
}
