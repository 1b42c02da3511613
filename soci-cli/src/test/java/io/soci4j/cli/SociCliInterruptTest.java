package io.soci4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TokenBucket;
import io.soci4j.ztoc.testing.TestImages;
import io.soci4j.ztoc.testing.TestLayers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT and SIGTERM during {@code soci pull} and {@code pull --tar} of an image served through
 * a 2 MB/s proxy (a real process, killed while it writes): no staging directory or temporary file
 * is left, and no truncated file sits under a final name.
 */
class SociCliInterruptTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir static Path dir;
  static FaultProxy proxy;
  static String ref;
  static byte[] layerTar;
  static final List<byte[]> FILES = new ArrayList<>();
  static io.soci4j.api.Digest layerDigest;

  @BeforeAll
  static void image() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
      Random r = new Random(11);
      for (int i = 0; i < 4; i++) {
        byte[] data = TestLayers.random(r, 3 << 20);
        FILES.add(data);
        TarArchiveEntry e = new TarArchiveEntry("data/file-" + i + ".bin");
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
    }
    layerTar = tar.toByteArray();
    byte[] gz = TestLayers.gzip(layerTar, 1);
    layerDigest = io.soci4j.api.Digest.sha256(gz);
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = client.store(ImageReference.parse(REGISTRY.registry() + "/interrupt/app:1"));
      store.tag(TestImages.pushManifest(store, Platform.parse("linux/amd64"), List.of(new TestImages.LayerBlob(
          MediaTypes.OCI_LAYER_TAR_GZIP, gz))), "1");
    }
    StringWriter err = new StringWriter();
    int exit = SociCli.run(new String[] {"convert", "--plain-http", "--min-layer-size", "0", "--span-size",
        "1048576", REGISTRY.registry() + "/interrupt/app:1", "soci"}, ByteArrayOutputStream.nullOutputStream(),
        new PrintWriter(err, true));
    assertThat(exit).as(err.toString()).isZero();
    proxy = FaultProxy.start(REGISTRY.url());
    proxy.throttle(TokenBucket.of(2_000_000));
    ref = proxy.registry() + "/interrupt/app:soci";
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @ParameterizedTest(name = "{0} during pull {1}")
  @CsvSource({"TERM, dir", "INT, dir", "TERM, tar", "INT, tar"})
  void aSignalLeavesNothingBehind(String signal, String mode) throws Exception {
    Path parent = Files.createDirectories(dir.resolve(signal + "-" + mode));
    Path target = parent.resolve("out");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SociCli.class.getName(), "pull", "--plain-http"));
    if (mode.equals("tar")) {
      cmd.add("--tar");
    }
    cmd.addAll(List.of(ref, target.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(parent.resolve("log").toFile())
        .start();
    // wait until it writes: the staging directory (pull) or the layer's temporary file (pull --tar)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!writing(parent, target) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as("still pulling when signalled: %s", Files.readString(parent.resolve("log"))).isTrue();
    Thread.sleep(300);
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    try (Stream<Path> all = Files.walk(parent)) {
      List<String> left = all.map(x -> parent.relativize(x).toString()).filter(x -> !x.isEmpty() && !x.equals("log"))
          .toList();
      if (mode.equals("tar")) {
        assertThat(left).as("only the (empty) target directory").containsOnly("out");
      } else {
        assertThat(left).as("nothing: no staging directory, no half-extracted target").isEmpty();
      }
    }
  }

  /**
   * SIGINT and SIGTERM while {@code soci convert --zstd} recompresses a layer into a temporary
   * file: the file is removed and no tag is pushed.
   */
  @ParameterizedTest(name = "{0} during convert --zstd")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"TERM", "INT"})
  void aSignalDuringConvertLeavesNoTemporaryFileAndNoTag(String signal) throws Exception {
    Path parent = Files.createDirectories(dir.resolve(signal + "-convert"));
    Path tmp = Files.createDirectories(parent.resolve("tmp"));
    String tag = "zstd-" + signal.toLowerCase(java.util.Locale.ROOT);
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), SociCli.class.getName(), "convert",
        "--plain-http", "--zstd", "--min-layer-size", "0", proxy.registry() + "/interrupt/app:1", tag);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(parent.resolve("log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!hasFileStartingWith(tmp, "soci4j-zstd-") && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as("still converting when signalled: %s", Files.readString(parent.resolve("log")))
        .isTrue();
    Thread.sleep(300);
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(Path::toString).toList()).as("temporary files left").isEmpty();
    }
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      assertThat(client.store(ImageReference.parse(REGISTRY.registry() + "/interrupt/app:1")).tags(1000))
          .as("no tag pushed").doesNotContain(tag);
    }
  }

  private static boolean hasFileStartingWith(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(x -> x.getFileName().toString().startsWith(prefix));
    }
  }

  /** A stalled answer is abandoned after --timeout and retried on a fresh connection. */
  @org.junit.jupiter.api.Test
  void aStalledRequestIsAbandonedAfterTheTimeoutAndRetried() throws Exception {
    try (FaultProxy stalling = FaultProxy.start(REGISTRY.url())) {
      FaultProxy.Rule stall = stalling.inject("GET", "/v2/interrupt/app/manifests/.*", 1, FaultProxy.Kind.STALL);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StringWriter err = new StringWriter();
      long t0 = System.nanoTime();
      int exit = SociCli.run(new String[] {"ls", "--plain-http", "--timeout", "1", stalling.registry()
          + "/interrupt/app:soci", "/data"}, out, new PrintWriter(err, true));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("file-3.bin");
      assertThat(stall.remaining()).as("the stalled answer was abandoned").isZero();
      System.out.printf(java.util.Locale.ROOT, "ls with one stalled answer and --timeout 1: %.1f s%n", seconds);
    }
    StringWriter err = new StringWriter();
    assertThat(SociCli.run(new String[] {"ls", "--timeout", "0", ref}, ByteArrayOutputStream.nullOutputStream(),
        new PrintWriter(err, true))).isEqualTo(2);
  }

  /**
   * One span request held by the registry (a stalled connection, --timeout far away): the other
   * requests of the pull are answered meanwhile; once it is answered the pull completes with the
   * right bytes.
   */
  @ParameterizedTest(name = "pull {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"dir", "tar"})
  void pullKeepsItsOtherTransfersGoingWhileOneIsStalled(String mode) throws Exception {
    try (FaultProxy stalling = FaultProxy.start(REGISTRY.url())) {
      FaultProxy.Rule stall = stalling.inject("GET", "/v2/interrupt/app/blobs/" + layerDigest, 1,
          FaultProxy.Kind.STALL);
      RunningPull pull = RunningPull.start(stalling, mode, "stalled-" + mode);
      assertThat(stall.awaitArrival(60)).as("a span request arrived: %s", pull.err()).isTrue();
      int before = stalling.answered();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (stalling.answered() < before + 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(pull.exit()).as("the pull waits for the stalled request").isNotDone();
      assertThat(stalling.answered() - before).as("span requests answered while one was stalled")
          .isGreaterThanOrEqualTo(2);
      stall.release();
      pull.assertPulled();
    }
  }

  /**
   * A span request the registry never answers (the read timeout far away): a copy is sent once it
   * is late for its size, the copy answers, and the pull completes with the right bytes while the
   * first request is still held; the copy counts as a retry.
   */
  @ParameterizedTest(name = "pull {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"dir", "tar"})
  void aSpanRequestThatNeverAnswersIsCopiedAndThePullCompletes(String mode) throws Exception {
    try (FaultProxy stalling = FaultProxy.start(REGISTRY.url())) {
      // the third request: the first two give the time a request takes
      FaultProxy.Rule stall = stalling.injectNth("GET", "/v2/interrupt/app/blobs/" + layerDigest, 3,
          FaultProxy.Kind.STALL);
      RunningPull pull = RunningPull.start(stalling, mode, "hedged-" + mode, "--stats");
      pull.assertPulled();
      assertThat(stall.applied()).as("the third span request was held").isEqualTo(1);
      String err = pull.err().toString();
      assertThat(err.lines()).as(err)
          .anyMatch(l -> l.matches("\\s+sha256:[0-9a-f]{64} \\(zTOC\\):.* [1-9][0-9]* retries"));
    }
  }

  /** A {@code soci pull} (to a directory or {@code --tar}) running in this JVM through a proxy. */
  private record RunningPull(java.util.concurrent.CompletableFuture<Integer> exit, StringWriter err, String mode,
      Path target) {
    static RunningPull start(FaultProxy via, String mode, String name, String... options) {
      Path target = dir.resolve(name);
      List<String> args = new ArrayList<>(List.of("pull", "--plain-http", "--timeout", "120"));
      args.addAll(List.of(options));
      if (mode.equals("tar")) {
        args.add("--tar");
      }
      args.addAll(List.of(via.registry() + "/interrupt/app:soci", target.toString()));
      StringWriter err = new StringWriter();
      return new RunningPull(java.util.concurrent.CompletableFuture.supplyAsync(() -> SociCli.run(
          args.toArray(String[]::new), ByteArrayOutputStream.nullOutputStream(), new PrintWriter(err, true))),
          err, mode, target);
    }

    /** Waits for it: exit 0 and the image's bytes in the target. */
    void assertPulled() throws Exception {
      assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
      if (mode.equals("tar")) {
        assertThat(Files.readAllBytes(target.resolve("layer-0.tar"))).isEqualTo(layerTar);
      } else {
        for (int i = 0; i < FILES.size(); i++) {
          assertThat(Files.readAllBytes(target.resolve("data/file-" + i + ".bin"))).as("file %d", i)
              .isEqualTo(FILES.get(i));
        }
      }
    }
  }

  private static boolean writing(Path parent, Path target) throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      if (s.anyMatch(x -> x.getFileName().toString().contains(".soci-"))) {
        return true;
      }
    }
    if (Files.isDirectory(target)) {
      try (Stream<Path> s = Files.list(target)) {
        return s.anyMatch(x -> x.getFileName().toString().contains(".soci-tmp"));
      }
    }
    return false;
  }
}
