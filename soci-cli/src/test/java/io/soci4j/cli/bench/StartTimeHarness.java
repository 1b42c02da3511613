package io.soci4j.cli.bench;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.cli.testing.DebianRootfs;
import io.soci4j.fuse.SociMount;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.registry.testing.TokenBucket;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The seed's start-time experiment (issue 12, "Speed"). Not a test: run by hand, as root with FUSE,
 *
 * <pre>
 * ./mvnw -q -pl soci-cli -am process-test-classes -Pstart-time [-Dbandwidths=50000000,200000000]
 * </pre>
 *
 * <ol>
 *   <li>builds (once, cached under {@code soci-cli/target/start-time/}) a two-layer image: a Debian
 *       bookworm rootfs (debootstrap minbase) with {@code python3-numpy python3-pandas} installed
 *       from Debian's mirror, and a 1 GiB data layer of random files under {@code /opt/data} that
 *       the workload never reads (as model weights or assets in real images); gzip -6 and -1;
 *   <li>pushes it with skopeo to Debian's docker-registry, makes it SOCI-enabled ({@code soci
 *       convert}, default 4 MiB spans), and puts a {@link FaultProxy} whose bodies share one {@link
 *       TokenBucket} of each bandwidth in front of it;
 *   <li>times, from nothing to the workload's first line of output ({@code chroot ROOT python3 -c
 *       'import numpy, pandas; print(...)'}): (a) a full pull, then the run: {@code SociImage.extractTo}
 *       (what {@code soci pull} does), and {@code skopeo copy} + {@code umoci unpack}; (b) {@link
 *       SociMount} cold (no cache), then the run in a chroot of the mount; (c) the same on the image
 *       converted again with the files (b) opened as prefetch artifacts ({@code --prefetch-files-json}),
 *       fetched in the background from the mount on;
 *   <li>prints seconds and bytes the proxy sent for each, and (b) and (c) as the time saved against
 *       each (a).
 * </ol>
 */
public final class StartTimeHarness {
  private static final Path CACHE = Path.of("target", "start-time").toAbsolutePath();
  private static final String WORKLOAD = "import numpy, pandas; print('numpy', numpy.__version__, 'pandas', "
      + "pandas.__version__, numpy.arange(10).sum())";

  private StartTimeHarness() {}

  /** One measured run: seconds to the first line and bytes sent by the proxy. */
  private record Step(String what, double seconds, long bytes, String output) {}

  /**
   * @param args none; system property {@code bandwidths}: bytes/s, comma-separated
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String[] bandwidths = System.getProperty("bandwidths", "50000000,200000000").split(",");
    Path layout = image();
    Path work = Files.createTempDirectory("soci-start-time-");
    RegistryExtension registry = RegistryExtension.plain();
    try {
      registry.start(work.resolve("registry"));
      String direct = registry.registry() + "/workload";
      Skopeo.copyToRegistry(layout, "1", direct + ":1", null);
      try (RegistryClient client = RegistryClient.builder().plainHttp(registry.registry()).build()) {
        SociConverter.of(SociIndexBuilder.create()).convert(client.store(ImageReference.parse(direct + ":1")), "1",
            "soci");
      }
      long imageBytes = imageBytes(layout);
      System.out.printf(Locale.ROOT, "image: %,d compressed bytes in 2 layers; workload: python3 -c \"%s\"%n",
          imageBytes, WORKLOAD);
      List<String> recorded = null;
      for (String b : bandwidths) {
        long bandwidth = Long.parseLong(b.trim());
        try (FaultProxy proxy = FaultProxy.start(registry.url())) {
          TokenBucket link = TokenBucket.of(bandwidth);
          proxy.throttle(link);
          String via = proxy.registry() + "/workload";
          List<Step> steps = new ArrayList<>();
          steps.add(sociPull(link, via, work));
          steps.add(skopeoUmoci(link, via, work));
          MountRun cold = mountRun(link, via, "soci", work, "(b) soci mount, cold, then the run");
          steps.add(cold.step());
          if (recorded == null) {
            recorded = cold.opened();
            try (RegistryClient client = RegistryClient.builder().plainHttp(registry.registry()).build()) {
              SociConverter.of(SociIndexBuilder.create().withPrefetchPaths(recorded))
                  .convert(client.store(ImageReference.parse(direct + ":1")), "1", "soci-prefetch");
            }
          }
          steps.add(mountRun(link, via, "soci-prefetch", work, "(c) soci mount with the recorded prefetch list")
              .step());
          print(bandwidth, steps, recorded.size());
        }
      }
    } finally {
      registry.stop();
      run(List.of("rm", "-rf", work.toString()), 600);
    }
  }

  private static void print(long bandwidth, List<Step> steps, int recorded) {
    System.out.printf(Locale.ROOT, "%nlink %,d bytes/s (%d MB/s); %d files in the prefetch list%n", bandwidth,
        bandwidth / 1_000_000, recorded);
    System.out.printf(Locale.ROOT, "%-52s %9s %15s %14s %14s%n", "from nothing to the first line", "seconds",
        "bytes sent", "vs soci pull", "vs skopeo+umoci");
    for (Step s : steps) {
      System.out.printf(Locale.ROOT, "%-52s %9.2f %,15d %13.1f%% %13.1f%%%n", s.what(), s.seconds(), s.bytes(),
          100 * (1 - s.seconds() / steps.get(0).seconds()), 100 * (1 - s.seconds() / steps.get(1).seconds()));
    }
    System.out.println("output: " + steps.get(steps.size() - 1).output());
  }

  private static Step sociPull(TokenBucket link, String via, Path work) throws Exception {
    Path root = work.resolve("pulled");
    long bytes = link.bytes();
    long start = System.nanoTime();
    try (RegistryClient client = RegistryClient.builder().plainHttp(ImageReference.parse(via + ":soci").registry())
        .build(); SociImage img = SociImage.open(client.store(ImageReference.parse(via + ":soci")), "soci")) {
      img.extractTo(root);
    }
    String out = firstLine(List.of("chroot", root.toString(), "/usr/bin/python3", "-c", WORKLOAD));
    Step s = new Step("(a) soci pull (extractTo), then the run", seconds(start), link.bytes() - bytes, out);
    run(List.of("rm", "-rf", root.toString()), 600);
    return s;
  }

  private static Step skopeoUmoci(TokenBucket link, String via, Path work) throws Exception {
    Path oci = work.resolve("skopeo-oci");
    Path bundle = work.resolve("bundle");
    long bytes = link.bytes();
    long start = System.nanoTime();
    run(List.of("skopeo", "copy", "--src-tls-verify=false", "docker://" + via + ":1", "oci:" + oci + ":1"), 1800);
    run(List.of("umoci", "unpack", "--image", oci + ":1", bundle.toString()), 1800);
    String out = firstLine(List.of("chroot", bundle.resolve("rootfs").toString(), "/usr/bin/python3", "-c", WORKLOAD));
    Step s = new Step("(a) skopeo copy + umoci unpack, then the run", seconds(start), link.bytes() - bytes, out);
    run(List.of("rm", "-rf", oci.toString(), bundle.toString()), 600);
    return s;
  }

  private record MountRun(Step step, List<String> opened) {}

  private static MountRun mountRun(TokenBucket link, String via, String tag, Path work, String what)
      throws Exception {
    Path mnt = Files.createDirectories(work.resolve("mnt-" + tag));
    long bytes = link.bytes();
    long start = System.nanoTime();
    try (RegistryClient client = RegistryClient.builder().plainHttp(ImageReference.parse(via + ":" + tag).registry())
        .build();
        SociImage img = SociImage.open(client.store(ImageReference.parse(via + ":" + tag)), tag,
            SociImageOptions.builder().prefetchInBackground(true).build());
        SociMount m = SociMount.mount(img, mnt)) {
      String out = firstLine(List.of("chroot", mnt.toString(), "/usr/bin/python3", "-c", WORKLOAD));
      double seconds = seconds(start);
      long sent = link.bytes() - bytes;
      return new MountRun(new Step(what, seconds, sent, out), m.openedPaths());
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Runs a command and returns its first line of output, when it is printed; the command must then succeed. */
  private static String firstLine(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String line;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = r.readLine();
      r.transferTo(java.io.Writer.nullWriter());
    }
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || line == null || !line.startsWith("numpy")) {
      throw new IOException(cmd + " failed: " + line);
    }
    return line;
  }

  // --- the image, built once --------------------------------------------------------------------------

  private static Path image() throws Exception {
    Path layout = CACHE.resolve("image");
    if (Files.isRegularFile(layout.resolve("index.json"))) {
      return layout;
    }
    Files.createDirectories(CACHE);
    Path py = CACHE.resolve("python-rootfs");
    if (!Files.isRegularFile(py.resolve("usr/lib/python3/dist-packages/pandas/__init__.py"))) {
      Path tmp = CACHE.resolve("python-rootfs.tmp");
      run(List.of("rm", "-rf", tmp.toString()), 600);
      run(List.of("cp", "-a", DebianRootfs.directory().toString(), tmp.toString()), 600);
      Files.copy(Path.of("/etc/resolv.conf"), tmp.resolve("etc/resolv.conf"), StandardCopyOption.REPLACE_EXISTING);
      run(List.of("chroot", tmp.toString(), "apt-get", "update"), 600);
      run(List.of("chroot", tmp.toString(), "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
          "--no-install-recommends", "python3-numpy", "python3-pandas"), 1800);
      run(List.of("chroot", tmp.toString(), "apt-get", "clean"), 600);
      Files.move(tmp, py);
    }
    Path pyLayer = CACHE.resolve("python.tar.gz");
    if (!Files.isRegularFile(pyLayer)) {
      run(List.of("sh", "-c", "tar --numeric-owner --sort=name -C " + py + " -cf - . | gzip -6 > " + pyLayer + ".tmp && mv "
          + pyLayer + ".tmp " + pyLayer), 1800);
    }
    Path dataLayer = CACHE.resolve("data.tar.gz");
    if (!Files.isRegularFile(dataLayer)) {
      Path data = CACHE.resolve("data");
      Files.createDirectories(data.resolve("opt/data"));
      Random r = new Random(12);
      byte[] chunk = new byte[1 << 20];
      for (int f = 0; f < 16; f++) {
        try (OutputStream out = Files.newOutputStream(data.resolve("opt/data/part-" + f + ".bin"))) {
          for (int i = 0; i < 64; i++) {
            r.nextBytes(chunk);
            out.write(chunk);
          }
        }
      }
      run(List.of("sh", "-c", "tar --numeric-owner --sort=name -C " + data + " -cf - opt | gzip -1 > " + dataLayer
          + ".tmp && mv " + dataLayer + ".tmp " + dataLayer), 1800);
      run(List.of("rm", "-rf", data.toString()), 600);
    }
    Path tmp = CACHE.resolve("image.tmp");
    run(List.of("rm", "-rf", tmp.toString()), 600);
    try (OciLayoutStore store = OciLayoutStore.open(tmp)) {
      List<Descriptor> layers = new ArrayList<>();
      List<String> diffIds = new ArrayList<>(); // umoci checks each layer against them
      for (Path l : List.of(pyLayer, dataLayer)) {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(l), 1 << 16)) {
          diffIds.add("\"" + Digest.sha256(in) + "\"");
        }
        Digest d;
        try (InputStream in = Files.newInputStream(l)) {
          d = Digest.sha256(in);
        }
        Descriptor desc = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, d, Files.size(l));
        try (InputStream in = Files.newInputStream(l)) {
          store.push(desc, in);
        }
        layers.add(desc);
      }
      byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
          + "\"diff_ids\":[" + String.join(",", diffIds) + "]}}").getBytes(StandardCharsets.UTF_8);
      Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, config);
      store.push(configDesc, config);
      StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
          + "\",\"config\":" + json(configDesc) + ",\"layers\":[");
      for (int i = 0; i < layers.size(); i++) {
        m.append(i == 0 ? "" : ",").append(json(layers.get(i)));
      }
      byte[] manifest = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      Descriptor manifestDesc = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
      store.push(manifestDesc, manifest);
      store.tag(manifestDesc, "1");
    }
    Files.move(tmp, layout);
    return layout;
  }

  private static long imageBytes(Path layout) throws IOException {
    return Files.size(CACHE.resolve("python.tar.gz")) + Files.size(CACHE.resolve("data.tar.gz"));
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static void run(List<String> cmd, long seconds) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(cmd + " failed");
    }
  }
}
