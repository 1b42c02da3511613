package io.soci4j.lambda.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.registry.ImageManifest;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * The baseline of the speed harnesses, in a JVM of its own: {@link GZIPInputStream} over every
 * layer of an image, read from a plain-HTTP registry, one layer per available processor at a time
 * (as the handler indexes them). Prints one JSON line: seconds, compressed bytes, MB/s, CPUs.
 *
 * <p>Arguments: {@code REGISTRY REPOSITORY DIGEST}.
 */
public final class GunzipLayers {
  private GunzipLayers() {}

  /**
   * @param args registry, repository, digest
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    try (RegistryClient c = RegistryClient.builder().plainHttp(args[0]).build()) {
      RegistryStore store = c.store(ImageReference.parse(args[0] + "/" + args[1]));
      ImageManifest m = store.imageManifest(args[2]);
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(cpus);
      List<Future<Long>> done = new ArrayList<>();
      for (Descriptor layer : m.layers()) {
        done.add(pool.submit(() -> {
          try (InputStream in = new GZIPInputStream(store.open(layer), 64 << 10)) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          return layer.size();
        }));
      }
      long bytes = 0;
      for (Future<Long> f : done) {
        bytes += f.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "{\"seconds\":%.1f,\"compressedBytes\":%d,\"MBps\":%.1f,\"cpus\":%d}%n", seconds,
          bytes, bytes / seconds / 1e6, cpus);
    }
  }
}
