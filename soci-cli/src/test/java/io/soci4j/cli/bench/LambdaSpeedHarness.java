package io.soci4j.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.cli.DemoImage;
import io.soci4j.cli.SociCli;
import io.soci4j.lambda.IndexOnPush;
import io.soci4j.lambda.Settings;
import io.soci4j.lambda.testing.GeneratedImage;
import io.soci4j.lambda.testing.GunzipLayers;
import io.soci4j.lambda.testing.MeasuredInvocation;
import io.soci4j.lambda.testing.TestImages;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The index-on-push handler's speed (issue 11, "Speed"). Not a test: run by hand,
 *
 * <pre>
 * ./mvnw -q -pl soci-cli -am process-test-classes -Plambda-speed [-Drounds=5] [-Dlarge=true] [-Dheap=512m]
 * </pre>
 *
 * <ol>
 *   <li>the 3-layer {@link DemoImage} in Debian's docker-registry (a new repository per run, so no
 *       zTOC is reused), in this JVM, rounds in rotating order: the handler on its push event, {@code
 *       soci convert} (in process), and {@link GZIPInputStream} over its layers one after the other
 *       from the registry; medians and ratios;
 *   <li>with {@code -Dlarge=true}, the 4-layer generated image of more than 8 GiB ({@link
 *       GeneratedImage}, pushed once as streams): the handler at {@code -Xmx512m} (or {@code
 *       -Dheap=SIZE}) ({@link
 *       MeasuredInvocation}) and {@link GunzipLayers} in JVMs of their own pinned with {@code
 *       taskset} to 1 and to 2 CPUs; compressed MB/s, peak heap, and the largest image one
 *       15-minute invocation indexes at that rate (after the 30 s deadline margin). The registry
 *       runs unpinned on the same machine.
 * </ol>
 */
public final class LambdaSpeedHarness {
  private static final Path DIR = Path.of("target", "lambda-speed").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private LambdaSpeedHarness() {}

  /**
   * @param args none
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("rounds", 5);
    RegistryExtension registry = RegistryExtension.plain();
    registry.start(DIR.resolve("registry-" + ProcessHandle.current().pid()));
    try {
      demoImage(registry.registry(), rounds);
      if (Boolean.getBoolean("large")) {
        largeImage(registry.registry());
      }
    } finally {
      registry.stop(); // deletes its storage
    }
  }

  private static void demoImage(String registry, int rounds) throws Exception {
    DemoImage image = DemoImage.build(DIR.resolve("demo"));
    long compressed = image.layers().stream().mapToLong(Descriptor::size).sum();
    double[][] ms = new double[3][rounds];
    String[] names = {"handler (IndexOnPush)", "soci convert", "GZIPInputStream over the layers"};
    for (int round = -1; round < rounds; round++) { // round -1 warms the JIT up
      for (int k = 0; k < 3; k++) {
        int which = (k + Math.max(0, round)) % 3;
        String repo = "demo-" + which + "-" + (round + 1);
        Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, registry + "/" + repo + ":" + DemoImage.TAG, null);
        long t = System.nanoTime();
        switch (which) {
          case 0 -> handler(registry, repo);
          case 1 -> convert(registry, repo);
          default -> gunzip(registry, repo, image.layers());
        }
        if (round >= 0) {
          ms[which][round] = (System.nanoTime() - t) / 1e6;
        }
      }
    }
    System.out.printf(Locale.ROOT, "3-layer demo image, %,d compressed bytes, %d CPUs, medians of %d:%n", compressed,
        Runtime.getRuntime().availableProcessors(), rounds);
    for (int i = 0; i < 3; i++) {
      System.out.printf(Locale.ROOT, "  %-34s %7.0f ms  %6.1f MB/s  all: %s%n", names[i], median(ms[i]),
          compressed / median(ms[i]) / 1e3, Arrays.toString(Arrays.stream(ms[i]).map(Math::round).toArray()));
    }
    System.out.printf(Locale.ROOT, "  handler / soci convert: %.2fx the time; handler / GZIPInputStream: %.2fx%n",
        median(ms[0]) / median(ms[1]), median(ms[0]) / median(ms[2]));
  }

  private static void handler(String registry, String repo) throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    Map<String, Object> s = new IndexOnPush(Settings.fromEnvironment(Map.of()).withRegistry(registry, true), quiet)
        .handle(TestImages.event("eu-west-1", repo, digest(registry, repo, DemoImage.TAG), DemoImage.TAG),
            () -> 900_000);
    if (!"indexed".equals(s.get("status"))) {
      throw new IllegalStateException("the handler did not index " + repo + ": " + s);
    }
  }

  private static void convert(String registry, String repo) {
    StringWriter err = new StringWriter();
    int exit = SociCli.run(new String[] {"convert", "--plain-http", registry + "/" + repo + ":" + DemoImage.TAG,
        DemoImage.TAG + "-soci"}, new ByteArrayOutputStream(), new PrintWriter(err, true));
    if (exit != 0) {
      throw new IllegalStateException("soci convert failed: " + err);
    }
  }

  private static void gunzip(String registry, String repo, List<Descriptor> layers) throws Exception {
    try (RegistryClient c = RegistryClient.builder().plainHttp(registry).build()) {
      RegistryStore store = c.store(ImageReference.parse(registry + "/" + repo));
      for (Descriptor layer : layers) {
        try (InputStream in = new GZIPInputStream(store.open(layer), 64 << 10)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
    }
  }

  private static void largeImage(String registry) throws Exception {
    GeneratedImage image;
    try (RegistryClient c = RegistryClient.builder().plainHttp(registry).build()) {
      image = GeneratedImage.push(c.store(ImageReference.parse(registry + "/big")), "8g",
          GeneratedImage.LARGE_LAYERS, GeneratedImage.LARGE_LAYER_BYTES);
    }
    System.out.printf(Locale.ROOT, "generated image: 4 layers, %,d compressed bytes, %,d uncompressed%n",
        image.compressedBytes(), image.layers().stream().mapToLong(GeneratedImage.Layer::uncompressedSize).sum());
    for (String cpus : List.of("0", "0,1")) {
      String repo = "big-" + cpus.length();
      copy(registry, image, repo);
      JsonNode h = run(cpus, MeasuredInvocation.class.getName(), registry, repo, image.manifest().digest().toString(),
          "8g", Long.toString(image.compressedBytes())).path("measured");
      JsonNode g = run(cpus, GunzipLayers.class.getName(), registry, repo, image.manifest().digest().toString());
      double mbps = h.path("MBps").asDouble();
      System.out.printf(Locale.ROOT, "  %d CPU(s): handler %.1f s, %.1f MB/s, peak heap %d MiB (most live after a"
              + " collection %d MiB) of %d; GZIPInputStream %.1f s, %.1f MB/s; handler %.2fx its time%n",
          h.path("cpus").asInt(), h.path("seconds").asDouble(), mbps, h.path("peakHeapUsedMiB").asInt(),
          h.path("peakLiveAfterGcMiB").asInt(), h.path("maxHeapMiB").asInt(), g.path("seconds").asDouble(),
          g.path("MBps").asDouble(), h.path("seconds").asDouble() / g.path("seconds").asDouble());
      System.out.printf(Locale.ROOT, "    largest image one 15-minute invocation indexes at this rate: %.0f GB"
          + " (870 s x %.1f MB/s)%n", mbps * 870 / 1e3, mbps);
    }
  }

  /** The image in another repository (blobs mounted, nothing uploaded), so no zTOC is reused. */
  private static void copy(String registry, GeneratedImage image, String repo) throws Exception {
    try (RegistryClient c = RegistryClient.builder().plainHttp(registry).build()) {
      RegistryStore from = c.store(ImageReference.parse(registry + "/big"));
      RegistryStore to = c.store(ImageReference.parse(registry + "/" + repo));
      byte[] manifest = from.fetch(image.manifest());
      JsonNode m = JSON.readTree(manifest);
      List<Descriptor> blobs = new ArrayList<>(image.layers().stream().map(GeneratedImage.Layer::descriptor).toList());
      blobs.add(Descriptor.of(m.path("config").path("mediaType").asText(),
          io.soci4j.api.Digest.parse(m.path("config").path("digest").asText()), m.path("config").path("size").asLong()));
      for (Descriptor b : blobs) {
        if (!to.mount(b, "big")) {
          throw new IllegalStateException("the registry did not mount " + b.digest() + " into " + repo);
        }
      }
      to.push(image.manifest(), manifest);
      to.tag(image.manifest(), "8g");
    }
  }

  private static JsonNode run(String cpus, String main, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + System.getProperty("heap", "512m"),
        "-cp",
        System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    Path out = DIR.resolve("run.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(main + " failed: " + Files.readString(out));
    }
    List<String> lines = Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static String digest(String registry, String repo, String tag) throws Exception {
    try (RegistryClient c = RegistryClient.builder().plainHttp(registry).build()) {
      return TestImages.digestOf(c, registry, repo, tag);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
