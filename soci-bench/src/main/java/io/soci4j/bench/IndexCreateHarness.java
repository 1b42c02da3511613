package io.soci4j.bench;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.ImageManifest;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.ztoc.index.BuildProgress;
import io.soci4j.ztoc.index.LayerReport;
import io.soci4j.ztoc.index.PlatformIndex;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Issue 4's speed target: {@code soci create} on a realistic 3-layer image in an OCI layout on
 * disk, against the least any tool must do, decompressing each layer once.
 *
 * <pre>
 * java -cp soci-bench/target/benchmarks.jar io.soci4j.bench.IndexCreateHarness [--reps N] [--dir DIR]
 * </pre>
 *
 * <p>The image (built once, cached in {@code DIR}, default {@code target/bench-data/index-image},
 * tag {@code bench}): {@code base}, a tar of {@code /usr/share/doc}; {@code jdk}, a tar of the
 * running JDK ({@code java.home}); {@code app}, a few small files and a whiteout; each gzip -6,
 * written with {@link OciLayoutStore}. In one JVM, after a warm-up round, each repetition
 * measures
 *
 * <ol>
 *   <li>(a) the sum of the times {@link GZIPInputStream} takes to decompress each layer blob,
 *       read from the layout's files one after the other;
 *   <li>(b) the wall time of {@code SociIndexBuilder.create().withForceRecreate(true).build(store,
 *       "bench")}: default concurrency (one layer per processor), layers streamed from the store
 *       with digest verification, zTOCs, config and index written to the layout (each blob forced
 *       to disk). {@code withForceRecreate} only stops later repetitions from reusing the zTOCs
 *       of the first; the app layer is below the default 10 MiB minimum and is skipped, as {@code
 *       soci create} would;
 *   <li>when each layer was done during (b) (its zTOC built and stored; the critical path);
 *   <li>the peak heap during (b): the sum of the peaks of the heap memory pools (an upper bound,
 *       as in {@link HeapHarness}), after a {@code System.gc()}.
 * </ol>
 *
 * <p>It prints medians and the ratio (a)/(b): above 1, creating the index took less wall time
 * than decompressing the layers once, one after the other.
 */
public final class IndexCreateHarness {
  private static final String TAG = "bench";
  private static final FileTime MTIME = FileTime.fromMillis(1_700_000_000_000L);

  private IndexCreateHarness() {}

  /**
   * @param args {@code --reps N} (default 5), {@code --dir DIR}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int reps = 5;
    Path dir = BenchData.dir().resolve("index-image");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: IndexCreateHarness [--reps N] [--dir DIR]");
      }
    }
    if (reps < 1) {
      throw new IllegalArgumentException("--reps must be at least 1");
    }
    try (OciLayoutStore store = OciLayoutStore.open(dir)) {
      List<Descriptor> layers = image(store);
      List<Path> blobs = new ArrayList<>();
      for (Descriptor l : layers) {
        blobs.add(store.directory().resolve("blobs").resolve(l.digest().algorithm()).resolve(l.digest().hex()));
      }
      DoneTimes doneTimes = new DoneTimes();
      SociIndexBuilder builder = SociIndexBuilder.create().withForceRecreate(true).withProgress(doneTimes);
      System.out.printf(Locale.ROOT, "image oci:%s:%s, layers (gzip -6):%n", store.directory(), TAG);
      String[] names = {"base (/usr/share/doc)", "jdk (" + System.getProperty("java.home") + ")", "app"};
      for (int i = 0; i < layers.size(); i++) {
        System.out.printf(Locale.ROOT, "  %-45s %,14d bytes  %s%n", names[i], layers.get(i).size(),
            layers.get(i).digest());
      }
      System.out.printf(Locale.ROOT, "JVM %s, %d processors, max heap %.0f MiB; concurrency %d; %d repetitions"
              + " after a warm-up round%n", System.getProperty("java.vm.version"),
          Runtime.getRuntime().availableProcessors(), HeapPools.mib(Runtime.getRuntime().maxMemory()),
          builder.options().concurrency(), reps);

      gunzip(blobs); // warm-up
      List<PlatformIndex> built = builder.build(store, TAG);
      for (LayerReport r : built.get(0).layers()) {
        System.out.printf(Locale.ROOT, "  layer %s: %s %s%n", r.layer().digest().hex().substring(0, 12), r.status(),
            r.reason());
      }

      long[] gunzip = new long[reps];
      long[][] perLayer = new long[layers.size()][reps];
      long[] create = new long[reps];
      long[][] layerDone = new long[layers.size()][reps];
      long peak = 0;
      long before = 0;
      for (int rep = 0; rep < reps; rep++) {
        System.gc();
        long[] t = gunzip(blobs);
        for (int i = 0; i < t.length; i++) {
          perLayer[i][rep] = t[i];
          gunzip[rep] += t[i];
        }
        System.gc();
        long heapBefore = HeapPools.used();
        HeapPools.resetPeaks();
        long start = System.nanoTime();
        doneTimes.start(start);
        builder.build(store, TAG);
        create[rep] = System.nanoTime() - start;
        for (int i = 0; i < layers.size(); i++) {
          layerDone[i][rep] = doneTimes.of(layers.get(i));
        }
        long p = HeapPools.peakSum();
        if (p > peak) {
          peak = p;
          before = heapBefore;
        }
        System.out.printf(Locale.ROOT, "  rep %d: (a) %.2f s, (b) %.2f s, peak heap %.1f MiB%n", rep + 1,
            gunzip[rep] / 1e9, create[rep] / 1e9, HeapPools.mib(p));
      }
      double a = median(gunzip);
      double b = median(create);
      System.out.printf(Locale.ROOT, "%n%-62s %10s %10s %10s%n", "what", "median", "min", "max");
      row("(a) GZIPInputStream over each layer, sequential, sum", gunzip);
      for (int i = 0; i < layers.size(); i++) {
        row("    " + names[i].replaceAll(" \\(.*", ""), perLayer[i]);
      }
      row("(b) SociIndexBuilder.build(layout, tag), layers in parallel", create);
      for (int i = 0; i < layers.size(); i++) {
        row("    " + names[i].replaceAll(" \\(.*", "") + " layer done after", layerDone[i]);
      }
      System.out.printf(Locale.ROOT, "%-62s %9.2fx%n", "ratio (a)/(b) (> 1: index creation faster than the sum)",
          a / b);
      System.out.printf(Locale.ROOT, "peak heap during (b): %.1f MiB (sum of heap pool peaks, highest of the"
          + " repetitions; %.1f MiB in use before it)%n", HeapPools.mib(peak), HeapPools.mib(before));
    }
  }

  private static void row(String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "%-62s %9.2fs %9.2fs %9.2fs%n", what, median(nanos) / 1e9, s[0] / 1e9,
        s[s.length - 1] / 1e9);
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  /** Decompresses each blob with GZIPInputStream, one after the other; returns each one's time. */
  private static long[] gunzip(List<Path> blobs) throws IOException {
    byte[] buf = new byte[256 * 1024];
    long[] nanos = new long[blobs.size()];
    for (int i = 0; i < blobs.size(); i++) {
      long start = System.nanoTime();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(blobs.get(i)), 64 * 1024)) {
        while (in.read(buf) >= 0) {
          // count nothing: the time is the point
        }
      }
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  /** The image's layers, building the image into the layout first when it has no {@code bench} tag. */
  private static List<Descriptor> image(OciLayoutStore store) throws IOException {
    try {
      return ImageManifest.parse(store.fetch(store.resolve(TAG))).layers();
    } catch (io.soci4j.api.ContentNotFoundException e) {
      System.out.println("building the image in " + store.directory() + " (once)");
    }
    List<Descriptor> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    layers.add(pushLayer(store, out -> BenchData.writeTar(Path.of("/usr/share/doc"), out), diffIds));
    layers.add(pushLayer(store, out -> BenchData.writeTar(Path.of(System.getProperty("java.home")), out), diffIds));
    layers.add(pushLayer(store, IndexCreateHarness::writeAppTar, diffIds));
    Platform p = Platform.current();
    String config = "{\"architecture\":\"" + p.architecture() + "\",\"os\":\"" + p.os()
        + "\",\"config\":{\"Entrypoint\":[\"/app/bin/start.sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + String.join("\",\"", diffIds) + "\"]}}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, configBytes);
    store.push(configDescriptor, configBytes);
    byte[] manifest = ImageManifest.of(configDescriptor, layers).toBytes();
    Descriptor manifestDescriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
    store.push(manifestDescriptor, manifest);
    store.tag(manifestDescriptor, TAG);
    return layers;
  }

  /** Writes a tar through gzip -6 to a temporary file, pushes it, records its diff ID. */
  private static Descriptor pushLayer(OciLayoutStore store, BenchData.Writer tar, List<String> diffIds)
      throws IOException {
    Path tmp = Files.createTempFile(store.directory().getParent(), "layer", ".tar.gz");
    try {
      MessageDigest compressed = Digest.newSha256();
      MessageDigest uncompressed = Digest.newSha256();
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
          DigestOutputStream blob = new DigestOutputStream(file, compressed);
          GZIPOutputStream gz = new GZIPOutputStream(blob, 1 << 16) {
            {
              def.setLevel(6);
            }
          };
          DigestOutputStream raw = new DigestOutputStream(gz, uncompressed)) {
        tar.write(raw);
      }
      diffIds.add(Digest.of(uncompressed).toString());
      Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.of(compressed), Files.size(tmp));
      try (InputStream in = Files.newInputStream(tmp)) {
        store.push(d, in);
      }
      return d;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A small application layer: a script, a config, a jar-sized random file and a whiteout. */
  private static void writeAppTar(OutputStream out) throws IOException {
    Random rnd = new Random(4);
    byte[] jar = new byte[300_000];
    rnd.nextBytes(jar);
    Object[][] files = {
        {"app/bin/start.sh", "#!/bin/sh\nexec java -jar /app/lib/app.jar \"$@\"\n".getBytes(StandardCharsets.UTF_8)},
        {"app/config/application.yaml", "server:\n  port: 8080\n".getBytes(StandardCharsets.UTF_8)},
        {"app/lib/app.jar", jar},
        {"usr/share/doc/.wh.README", new byte[0]},
    };
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(new BenchData.NonClosing(out))) {
      for (String d : List.of("app/", "app/bin/", "app/config/", "app/lib/")) {
        TarArchiveEntry e = new TarArchiveEntry(d, TarArchiveEntry.LF_DIR);
        e.setModTime(MTIME);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
      }
      for (Object[] f : files) {
        byte[] data = (byte[]) f[1];
        TarArchiveEntry e = new TarArchiveEntry((String) f[0]);
        e.setSize(data.length);
        e.setModTime(MTIME);
        e.setMode(((String) f[0]).endsWith(".sh") ? 0100755 : 0100644);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
      }
    }
  }

  /** Records when each layer is done, from the builder's threads. */
  private static final class DoneTimes implements BuildProgress {
    private final Map<Digest, Long> done = new ConcurrentHashMap<>();
    private volatile long start;

    void start(long nanos) {
      done.clear();
      start = nanos;
    }

    long of(Descriptor layer) {
      return done.getOrDefault(layer.digest(), 0L);
    }

    @Override
    public void done(LayerReport report) {
      done.put(report.layer().digest(), System.nanoTime() - start);
    }
  }

}
