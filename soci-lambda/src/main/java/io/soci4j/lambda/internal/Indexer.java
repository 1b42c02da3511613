package io.soci4j.lambda.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.lambda.Settings;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.ztoc.index.BuildProgress;
import io.soci4j.ztoc.index.IndexBuildException;
import io.soci4j.ztoc.index.LayerReport;
import io.soci4j.ztoc.index.PlatformIndex;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/** Indexes one validated push: the work of {@link io.soci4j.lambda.IndexOnPush}. */
public final class Indexer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Settings settings;
  private final PrintStream log;
  private final LongSupplier remainingMillis;
  private final long started = System.nanoTime();

  /**
   * @param settings what to do
   * @param log where JSON lines go
   * @param remainingMillis the invocation's remaining time
   */
  public Indexer(Settings settings, PrintStream log, LongSupplier remainingMillis) {
    this.settings = settings;
    this.log = log;
    this.remainingMillis = remainingMillis;
  }

  /**
   * @param summary fields
   * @return them as one JSON line
   */
  public static String line(Map<String, ?> summary) {
    try {
      return JSON.writeValueAsString(summary);
    } catch (IOException e) {
      return "{\"status\":\"log-error\"}";
    }
  }

  /**
   * @param push the push
   * @return the summary
   * @throws IOException when indexing fails or is stopped before the deadline (the message is the
   *     summary's JSON)
   */
  public Map<String, Object> index(PushEvent push) throws IOException {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("repository", push.repository());
    s.put("digest", push.digest());
    s.put("tag", push.tag());
    if (!push.tag().isEmpty() && push.tag().endsWith(settings.tagSuffix())) {
      return done(s, "ignored", "the tag " + push.tag() + " has the suffix " + settings.tagSuffix()
          + ": a SOCI-enabled image (this function's own push)");
    }
    if (isSociArtifact(push.artifactType()) || isSociArtifact(push.mediaType())) {
      return done(s, "ignored", "a SOCI index (" + push.artifactType() + push.mediaType() + "), not an image");
    }
    String matched = TagFilters.parse(settings.filters()).match(push.repository(), push.tag());
    if (matched == null) {
      return done(s, "skipped", push.repository() + ":" + push.tag() + " matches none of the filters "
          + settings.filters());
    }
    boolean v2 = settings.indexVersion().equals("V2");
    if (v2 && push.tag().isEmpty()) {
      return done(s, "skipped", "an untagged push: SOCI index V2 needs a tag for the SOCI-enabled image");
    }
    String ecrHost = EcrHosts.of(push.account(), push.region(), settings.fips());
    String host = settings.registry().orElse(ecrHost);
    s.put("registry", host);
    RegistryClient.Builder b = RegistryClient.builder()
        .credentials(RegistryCredentials.forHost(settings.registry().orElse(null), ecrHost));
    if (settings.plainHttp()) {
      b.plainHttp(host);
    }
    try (RegistryClient client = b.build()) {
      return index(s, client, host, push, v2);
    } catch (SummaryException e) {
      throw e;
    } catch (IOException e) {
      throw failed(s, e); // registry errors, unreadable manifests: the summary says what and where
    }
  }

  private Map<String, Object> index(Map<String, Object> s, RegistryClient client, String host, PushEvent push,
      boolean v2) throws IOException {
    ImageStore store = client.store(ImageReference.parse(host + "/" + push.repository()));
    Descriptor pushed = store.resolve(push.digest());
    byte[] manifest = store.fetch(pushed);
    JsonNode m = JSON.readTree(manifest);
    if (isSociArtifact(m.path("artifactType").asText("")) || isSociArtifact(m.path("config").path("mediaType").asText(""))) {
      return done(s, "ignored", "a SOCI index manifest, not an image");
    }
    if (v2) {
      return convert(s, store, push, m);
    }
    return buildV1(s, store, push);
  }

  private static boolean isSociArtifact(String type) {
    return type.equals(MediaTypes.SOCI_INDEX_V1) || type.equals(MediaTypes.SOCI_INDEX_V2);
  }

  private Map<String, Object> convert(Map<String, Object> s, ImageStore store, PushEvent push, JsonNode source)
      throws IOException {
    String sociTag = push.tag() + settings.tagSuffix();
    s.put("sociTag", sociTag);
    if (alreadyIndexed(store, push, source, sociTag)) {
      return done(s, "already-indexed", sociTag + " is already the SOCI-enabled image of " + push.digest()
          + ": nothing pushed");
    }
    SociConverter.ConvertedImage converted;
    try {
      converted = withDeadline(s, () -> SociConverter.of(builder(s)).convert(store, push.digest()));
    } catch (IndexBuildException e) {
      if (nothingToIndex(e)) {
        return done(s, "skipped", "no layer to index (" + e.getMessage() + "): nothing pushed, as upstream");
      }
      throw failed(s, e);
    }
    if (remainingMillis.getAsLong() < settings.deadlineMargin().toMillis()) {
      throw stopped(s);
    }
    store.tag(converted.index(), sociTag);
    s.put("index", converted.index().digest().toString());
    s.put("platforms", converted.platforms().size());
    return done(s, "indexed", "pushed " + push.repository() + ":" + sociTag + " (" + converted.index().digest() + ")");
  }

  private Map<String, Object> buildV1(Map<String, Object> s, ImageStore store, PushEvent push) throws IOException {
    if (!store.referrers(Digest.parse(push.digest()), MediaTypes.SOCI_INDEX_V1).isEmpty()) {
      return done(s, "already-indexed", push.digest() + " already has a SOCI index v1: nothing pushed");
    }
    List<PlatformIndex> built;
    try {
      built = withDeadline(s, () -> builder(s).build(store, push.digest()));
    } catch (IndexBuildException e) {
      if (nothingToIndex(e)) {
        return done(s, "skipped", "no layer to index (" + e.getMessage() + "): nothing pushed, as upstream");
      }
      throw failed(s, e);
    }
    s.put("indexes", built.stream().map(p -> p.indexDescriptor().digest().toString()).toList());
    return done(s, "indexed", "pushed " + built.size() + " SOCI index(es) v1 for " + push.digest());
  }

  /**
   * Whether the tag already names the SOCI-enabled image of the push: an index with a SOCI index v2
   * manifest and, for every image manifest the push is made of, one with the same config and layers
   * (conversion annotates the image manifests, so their digests differ from the pushed ones).
   */
  private static boolean alreadyIndexed(ImageStore store, PushEvent push, JsonNode source, String sociTag)
      throws IOException {
    Descriptor tagged;
    try {
      tagged = store.resolve(sociTag);
    } catch (ContentNotFoundException e) {
      return false;
    }
    JsonNode index = JSON.readTree(store.fetch(tagged));
    if (!index.has("manifests")) {
      return false;
    }
    Set<String> converted = new HashSet<>();
    boolean hasSociIndex = false;
    for (JsonNode d : index.path("manifests")) {
      if (isSociArtifact(d.path("artifactType").asText(""))) {
        hasSociIndex = true;
        continue;
      }
      converted.add(imageKey(JSON.readTree(store.fetch(descriptor(d)))));
    }
    Set<String> pushed = new HashSet<>();
    if (source.has("manifests")) {
      for (JsonNode d : source.path("manifests")) {
        pushed.add(imageKey(JSON.readTree(store.fetch(descriptor(d)))));
      }
    } else {
      pushed.add(imageKey(source));
    }
    return hasSociIndex && converted.containsAll(pushed);
  }

  private static Descriptor descriptor(JsonNode d) {
    return Descriptor.of(d.path("mediaType").asText(MediaTypes.OCI_MANIFEST), Digest.parse(d.path("digest").asText()),
        d.path("size").asLong());
  }

  /** An image manifest's config and layer digests. */
  private static String imageKey(JsonNode manifest) {
    StringBuilder k = new StringBuilder(manifest.path("config").path("digest").asText());
    manifest.path("layers").forEach(l -> k.append(' ').append(l.path("digest").asText()));
    return k.toString();
  }

  private static boolean nothingToIndex(IndexBuildException e) {
    return e.reports().stream().noneMatch(r -> r.status() == LayerReport.Status.FAILED);
  }

  private SociIndexBuilder builder(Map<String, Object> s) {
    List<Map<String, Object>> layers = new ArrayList<>();
    s.put("layers", layers);
    Map<Digest, Long> firstRead = new ConcurrentHashMap<>();
    SociIndexBuilder b = SociIndexBuilder.create().withAllPlatforms().withProgress(new BuildProgress() {
      @Override
      public void read(Descriptor layer, long bytesRead) {
        firstRead.putIfAbsent(layer.digest(), System.nanoTime());
      }

      @Override
      public void done(LayerReport r) {
        Long start = firstRead.get(r.layer().digest());
        double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("layer", r.layer().digest().toString());
        l.put("size", r.layer().size());
        l.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        if (!r.reason().isEmpty()) {
          l.put("reason", r.reason());
        }
        l.put("seconds", Math.round(seconds * 1000) / 1000.0);
        l.put("MBps", seconds > 0 ? Math.round(r.layer().size() / seconds / 1e5) / 10.0 : 0);
        synchronized (layers) {
          layers.add(l);
        }
        log.println(line(l));
      }
    });
    return settings.buildTool().isEmpty() ? b : b.withBuildToolIdentifier(settings.buildTool());
  }

  /** Work that may throw I/O errors. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  /** Runs the work on its own thread; stops it when the deadline margin is reached. */
  private <T> T withDeadline(Map<String, Object> s, Work<T> work) throws IOException {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(work.run());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "soci-lambda-index");
    t.setDaemon(true);
    t.start();
    try {
      long budget = remainingMillis.getAsLong() - settings.deadlineMargin().toMillis();
      return result.get(Math.max(0, budget), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      throw stopped(s);
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException(c.toString(), c); // an Error or a bug: still reported in the summary
    }
  }

  /** A failure whose message is the summary's JSON (already logged). */
  private static final class SummaryException extends IOException {
    private static final long serialVersionUID = 1L;

    SummaryException(String json, Throwable cause) {
      super(json, cause);
    }
  }

  private IOException stopped(Map<String, Object> s) {
    s.put("status", "stopped");
    s.put("message", "stopped " + settings.deadlineMargin().toSeconds() + " s before the Lambda deadline with "
        + remainingMillis.getAsLong() / 1000 + " s left; nothing tagged (raise the timeout or index this image "
        + "with soci convert)");
    s.put("seconds", seconds());
    String json = line(s);
    log.println(json);
    return new SummaryException(json, null);
  }

  private IOException failed(Map<String, Object> s, IOException e) {
    s.put("status", "failed");
    s.put("message", outOfMemory(e) ? "out of memory with a heap of " + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB (" + e.getMessage() + "): give the function more memory" : e.getMessage());
    s.put("seconds", seconds());
    String json = line(s);
    log.println(json);
    return new SummaryException(json, e);
  }

  private static boolean outOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private Map<String, Object> done(Map<String, Object> s, String status, String message) {
    s.put("status", status);
    s.put("message", message);
    s.put("seconds", seconds());
    log.println(line(s));
    return s;
  }

  private double seconds() {
    return Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
  }
}
