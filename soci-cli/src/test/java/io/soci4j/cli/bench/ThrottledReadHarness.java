package io.soci4j.cli.bench;

import io.soci4j.api.Descriptor;
import io.soci4j.cli.DemoImage;
import io.soci4j.reader.ReaderStats;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.Skopeo;
import io.soci4j.registry.testing.TokenBucket;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time to the first byte of one small file against a full pull of the image, both through the
 * same client and the same bandwidth-limited link (issue 5, "Speed"). Not a test: run by hand,
 *
 * <pre>
 * ./mvnw -q -pl soci-cli -am process-test-classes -Pthrottled-read [-Dbandwidth=50000000] [-Drounds=3]
 * </pre>
 *
 * <ol>
 *   <li>starts Debian's docker-registry as the tests do ({@link RegistryExtension}), pushes the
 *       3-layer {@link DemoImage} with skopeo and makes it SOCI-enabled (index v2, default options,
 *       4 MiB spans) directly against the registry, as {@code soci convert};
 *   <li>puts a {@link FaultProxy} in front of it whose response bodies share one {@link
 *       TokenBucket} of {@code bandwidth} bytes/s (default 50 MB/s);
 *   <li>per round, each with a fresh {@link RegistryClient} through the proxy: (a) {@code
 *       SociImage.open} plus {@code readAllBytes("/etc/os-release")} until the last byte (index,
 *       zTOCs and whole small layers included), also (a0) with every zTOC fetched whole (the reader
 *       before lazy checkpoints) and (a2) a second process with the metadata cache the first one
 *       filled, each with its open and first-byte times; (b) {@code SociImage.open} plus {@code extractTo} a
 *       new directory (what {@code soci pull} does); (c) {@code pullLayer} of every layer to a null
 *       stream; (d) a plain download of every layer blob, the least any full pull must move;
 *   <li>prints each time (best of the rounds), the bytes sent by the proxy, and (a) as a percentage
 *       of each full pull;
 *   <li>with {@code -DstallEvery=N}: (b) and (c) again, per round, with one blob GET in N held by
 *       the proxy forever (a stalled connection), the client abandoning each after {@code
 *       -Dtimeout} seconds (default 5) of silence and retrying; printed with the number of stalls
 *       and what they would cost one after another (stalls × timeout).
 * </ol>
 */
public final class ThrottledReadHarness {
  private static final String SMALL_FILE = "/etc/os-release";
  /** The SOCI-enabled image's tag (index v2, as {@code soci convert} makes it). */
  private static final String SOCI_TAG = "soci";

  private ThrottledReadHarness() {}

  /** One measured step: seconds and bytes the proxy sent. */
  private record Step(double seconds, long bytes) {}

  /**
   * @param args none; system properties {@code bandwidth} (bytes/s, default 50000000) and {@code
   *     rounds} (default 3)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    // without TCP_NODELAY the JDK's HttpServer (the proxy) stalls each small response ~40 ms
    // (Nagle's algorithm against delayed ACKs): a latency artifact of the proxy, not of the link
    System.setProperty("sun.net.httpserver.nodelay", "true");
    long bandwidth = Long.getLong("bandwidth", 50_000_000L);
    int rounds = Integer.getInteger("rounds", 3);
    int stallEvery = Integer.getInteger("stallEvery", 0);
    java.time.Duration timeout = java.time.Duration.ofSeconds(Long.getLong("timeout", 5));
    Path work = Files.createTempDirectory("soci-throttled-");
    RegistryExtension registry = RegistryExtension.plain();
    try {
      registry.start(work.resolve("registry"));
      run(registry, work, bandwidth, rounds, stallEvery, timeout);
    } finally {
      registry.stop();
      deleteTree(work);
    }
  }

  private static void run(RegistryExtension registry, Path work, long bandwidth, int rounds, int stallEvery,
      java.time.Duration timeout) throws Exception {
    DemoImage image = DemoImage.build(work.resolve("layout"));
    String direct = registry.registry() + "/demo:" + DemoImage.TAG;
    Skopeo.copyToRegistry(image.layout(), DemoImage.TAG, direct, null);
    try (RegistryClient client = RegistryClient.builder().plainHttp(registry.registry()).build()) {
      io.soci4j.ztoc.index.SociConverter.of(SociIndexBuilder.create())
          .convert(client.store(ImageReference.parse(direct)), DemoImage.TAG, SOCI_TAG);
    }
    long imageBytes = image.layers().stream().mapToLong(Descriptor::size).sum();
    byte[] expected = Files.readAllBytes(Path.of(SMALL_FILE));
    System.out.printf(Locale.ROOT, "image: %d layers, %,d compressed bytes (%s); link: %,d bytes/s; %d rounds%n",
        image.layers().size(), imageBytes, Arrays.toString(image.layers().stream().mapToLong(Descriptor::size)
        .toArray()), bandwidth, rounds);

    try (FaultProxy proxy = FaultProxy.start(registry.url())) {
      TokenBucket link = TokenBucket.of(bandwidth);
      proxy.throttle(link);
      ImageReference ref = ImageReference.parse(proxy.registry() + "/demo:" + SOCI_TAG);
      Path metadataCache = work.resolve("metadata-cache");
      List<Step> small = new ArrayList<>();
      List<Step> wholeZtocs = new ArrayList<>();
      List<Step> cached = new ArrayList<>();
      List<Step> extract = new ArrayList<>();
      List<Step> pull = new ArrayList<>();
      List<Step> blobs = new ArrayList<>();
      List<String> details = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        Path target = work.resolve("pulled-" + round);
        wholeZtocs.add(timed(link, store -> readSmallFile(store, SociImageOptions.builder().lazyCheckpoints(false)
            .build(), expected, "whole zTOCs", details), ref));
        small.add(timed(link, store -> readSmallFile(store, SociImageOptions.defaults(), expected, "lazy", details),
            ref));
        deleteTree(metadataCache);
        SociImageOptions withCache = SociImageOptions.builder().metadataCache(metadataCache).build();
        timed(link, store -> readSmallFile(store, withCache, expected, "filling the metadata cache", details), ref);
        cached.add(timed(link, store -> readSmallFile(store, withCache, expected, "metadata cached", details), ref));
        extract.add(timed(link, store -> {
          try (SociImage img = SociImage.open(store, SOCI_TAG)) {
            img.extractTo(target);
          }
        }, ref));
        deleteTree(target);
        pull.add(timed(link, store -> {
          try (SociImage img = SociImage.open(store, SOCI_TAG)) {
            for (int i = 0; i < img.layers().size(); i++) {
              img.pullLayer(i, OutputStream.nullOutputStream());
            }
          }
        }, ref));
        blobs.add(timed(link, store -> {
          for (Descriptor layer : image.layers()) {
            try (InputStream in = store.open(layer)) {
              in.transferTo(OutputStream.nullOutputStream());
            }
          }
        }, ref));
      }
      Step a = best(small);
      System.out.printf(Locale.ROOT, "%-58s %8s %14s %9s%n", "through the throttled proxy (best of " + rounds + ")",
          "seconds", "bytes sent", "(a) is");
      print("(a0) as (a) with every zTOC fetched whole (before)", best(wholeZtocs), a);
      print("(a) open + first file " + SMALL_FILE + ", last byte", a, a);
      print("(a2) as (a), a second process: metadata cached", best(cached), a);
      print("(b) full pull: open + extractTo (soci pull)", best(extract), a);
      print("(c) full pull: open + pullLayer of every layer", best(pull), a);
      print("(d) plain download of every layer blob", best(blobs), a);
      details.forEach(d -> System.out.println("(a*) " + d));
      if (stallEvery > 0) {
        stalled(proxy, link, ref, work, rounds, stallEvery, timeout);
      }
    }
  }

  /** (b) and (c) with one blob GET in {@code every} stalled. */
  private static void stalled(FaultProxy proxy, TokenBucket link, ImageReference ref, Path work, int rounds,
      int every, java.time.Duration timeout) throws IOException {
    FaultProxy.Rule stall = proxy.injectEvery("GET", "/v2/demo/blobs/.*", every, FaultProxy.Kind.STALL);
    System.out.printf(Locale.ROOT, "one blob GET in %d stalled, abandoned after %d s of silence:%n", every,
        timeout.toSeconds());
    for (int round = 0; round < rounds; round++) {
      Path target = work.resolve("stalled-" + round);
      int before = stall.applied();
      Step b = timed(link, store -> {
        try (SociImage img = SociImage.open(store, SOCI_TAG)) {
          img.extractTo(target);
        }
      }, ref, timeout);
      int bStalls = stall.applied() - before;
      deleteTree(target);
      before = stall.applied();
      Step c = timed(link, store -> {
        try (SociImage img = SociImage.open(store, SOCI_TAG)) {
          for (int i = 0; i < img.layers().size(); i++) {
            img.pullLayer(i, OutputStream.nullOutputStream());
          }
        }
      }, ref, timeout);
      int cStalls = stall.applied() - before;
      System.out.printf(Locale.ROOT, "round %d: (b) %.3f s with %d stalls (%d s one after another); "
          + "(c) %.3f s with %d stalls (%d s one after another)%n", round + 1, b.seconds(), bStalls,
          bStalls * timeout.toSeconds(), c.seconds(), cStalls, cStalls * timeout.toSeconds());
    }
  }

  /** What a step does with a store. */
  @FunctionalInterface
  private interface Work {
    void run(RegistryStore store) throws IOException;
  }

  /** Opens the image, reads the small file, checks it; notes the open, first-byte and byte counts. */
  private static void readSmallFile(RegistryStore store, SociImageOptions options, byte[] expected, String what,
      List<String> details) throws IOException {
    try (SociImage img = SociImage.open(store, SOCI_TAG, options)) {
      if (!Arrays.equals(img.readAllBytes(SMALL_FILE), expected)) {
        throw new IllegalStateException(SMALL_FILE + " read through the reader differs from this machine's");
      }
      ReaderStats st = img.stats();
      details.add(String.format(Locale.ROOT, "%s: open %.3f s, first byte %.3f s; %,d bytes in %d requests, %,d of "
          + "them metadata (index, zTOCs, checkpoints) in %d", what, st.openNanos() / 1e9,
          st.firstByteNanos() / 1e9, st.bytesFetched(), st.requests(), st.metadataBytes(), st.metadataRequests()));
    }
  }

  private static Step timed(TokenBucket link, Work work, ImageReference ref) throws IOException {
    return timed(link, work, ref, java.time.Duration.ofSeconds(20));
  }

  private static Step timed(TokenBucket link, Work work, ImageReference ref, java.time.Duration readTimeout)
      throws IOException {
    try (RegistryClient client = RegistryClient.builder().plainHttp(ref.registry()).readTimeout(readTimeout)
        .build()) {
      long bytes = link.bytes();
      long start = System.nanoTime();
      work.run(client.store(ref));
      return new Step((System.nanoTime() - start) / 1e9, link.bytes() - bytes);
    }
  }

  private static Step best(List<Step> steps) {
    return steps.stream().min((x, y) -> Double.compare(x.seconds(), y.seconds())).orElseThrow();
  }

  private static void print(String what, Step s, Step small) {
    System.out.printf(Locale.ROOT, "%-58s %8.3f %,14d %8.1f%%%n", what, s.seconds(), s.bytes(),
        100 * small.seconds() / s.seconds());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        d.toFile().setWritable(true, true);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
