package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.internal.json.ManifestJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds SOCI indexes for an image in any {@link ImageStore}: streams each eligible layer from
 * the store into the zTOC builder (no temporary file), layers in parallel, stores the zTOCs, the
 * {@code {}} config and the index manifest.
 *
 * <pre>{@code
 * List<PlatformIndex> built = SociIndexBuilder.create()
 *     .withMinLayerSize(10 << 20)
 *     .build(store, "latest");          // v1 indexes, published with a subject
 * }</pre>
 *
 * <p>gzip, zstd (a soci4j extension upstream readers reject, see {@link
 * io.soci4j.ztoc.Compression#ZSTD}) and plain tar layers are indexed. Immutable and thread-safe.
 * Layers below the minimum size, and layers whose format SOCI cannot index (other media types, GNU
 * sparse members...), are skipped with a reason; a layer that fails (corrupt data,
 * read error) fails the build with {@link IndexBuildException}, which reports every layer; an
 * image with nothing indexable is an error too, never an empty index.
 */
public final class SociIndexBuilder {
  /** Default minimum layer size, as upstream: 10 MiB. */
  public static final long DEFAULT_MIN_LAYER_SIZE = 10L << 20;

  private final IndexOptions options;

  private SociIndexBuilder(IndexOptions options) {
    this.options = options;
  }

  private SociIndexBuilder edit(java.util.function.Consumer<IndexOptions.Draft> change) {
    IndexOptions.Draft d = new IndexOptions.Draft(options);
    change.accept(d);
    return new SociIndexBuilder(d.build());
  }

  /** {@return a builder with upstream's defaults and soci4j's build tool identifier} */
  public static SociIndexBuilder create() {
    return new SociIndexBuilder(IndexOptions.DEFAULTS);
  }

  /**
   * @param bytes span size of the zTOCs
   * @return a copy with this span size
   */
  public SociIndexBuilder withSpanSize(long bytes) {
    ZtocBuilder.create().withSpanSize(bytes); // validates
    return edit(d -> d.spanSize = bytes);
  }

  /**
   * @param bytes layers smaller than this get no zTOC
   * @return a copy with this minimum
   */
  public SociIndexBuilder withMinLayerSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("minimum layer size must not be negative, got " + bytes);
    }
    return edit(d -> d.minLayerSize = bytes);
  }

  /**
   * @param id build tool identifier, in the zTOCs and the index annotation
   * @return a copy with this identifier
   */
  public SociIndexBuilder withBuildToolIdentifier(String id) {
    return edit(d -> d.buildTool = Objects.requireNonNull(id, "id"));
  }

  /**
   * @param platforms platforms to index in a multi-platform image; empty means the JVM's platform
   * @return a copy with these platforms
   */
  public SociIndexBuilder withPlatforms(List<Platform> platforms) {
    return edit(d -> d.platforms = platforms);
  }

  /** @return a copy indexing every platform of a multi-platform image */
  public SociIndexBuilder withAllPlatforms() {
    return edit(d -> d.allPlatforms = true);
  }

  /**
   * @param enabled annotate zTOCs of layers without extended attributes or opaque directories
   *     with {@code com.amazon.soci.disable-xattrs: true}
   * @return a copy with this setting
   */
  public SociIndexBuilder withXattrOptimization(boolean enabled) {
    return edit(d -> d.disableXattrs = enabled);
  }

  /**
   * @param paths files (paths inside the image) whose spans go into prefetch artifacts
   * @return a copy with these prefetch paths
   */
  public SociIndexBuilder withPrefetchPaths(List<String> paths) {
    return edit(d -> d.prefetchPaths = paths);
  }

  /**
   * @param enabled index tar+zstd layers (a soci4j extension, {@link io.soci4j.ztoc.Compression#ZSTD});
   *     off by default, as upstream soci-snapshotter and AWS Fargate cannot read those zTOCs and
   *     skip such layers (zTOCs made by {@link ZstdConverter} are always used)
   * @return a copy with this setting
   */
  public SociIndexBuilder withZstdLayers(boolean enabled) {
    return edit(d -> d.zstdLayers = enabled);
  }

  /**
   * @param force build every zTOC even when one for the same layer and span size exists
   * @return a copy with this setting
   */
  public SociIndexBuilder withForceRecreate(boolean force) {
    return edit(d -> d.forceRecreate = force);
  }

  /**
   * @param layers layers processed at once (memory per layer: about 0.5 MiB plus its TOC)
   * @return a copy with this bound
   */
  public SociIndexBuilder withConcurrency(int layers) {
    if (layers < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + layers);
    }
    return edit(d -> d.concurrency = layers);
  }

  /**
   * @param listener receives per-layer progress (bytes read, outcome)
   * @return a copy reporting to this listener
   */
  public SociIndexBuilder withProgress(BuildProgress listener) {
    return edit(d -> d.progress = Objects.requireNonNull(listener, "listener"));
  }

  /** {@return the options in effect} */
  public IndexOptions options() {
    return options;
  }

  /**
   * Builds and publishes v1 SOCI indexes (with {@code subject}) for the selected platforms of an
   * image: zTOCs, config and index manifest are pushed to the store, where the referrers API (or
   * the fallback tag) lists them under the image manifest.
   *
   * @param store where the image is and where the index goes
   * @param reference tag or digest of the image (manifest or index)
   * @return one result per indexed platform manifest
   * @throws IndexBuildException when layers fail or nothing is indexable
   * @throws IOException on store failures
   */
  public List<PlatformIndex> build(ImageStore store, String reference) throws IOException {
    List<PlatformIndex> out = new ArrayList<>();
    ReusableZtocs reusable = ReusableZtocs.forOptions(store, options);
    for (PlatformManifest pm : selectManifests(store, store.resolve(reference))) {
      out.add(buildFor(store, pm.descriptor(), ManifestJson.parse(pm.descriptor(), store.fetch(pm.descriptor())),
          pm.platform(), IndexVersion.V1, true, Map.of(), reusable));
    }
    return out;
  }

  /**
   * Builds and stores a SOCI index for one image manifest without publishing anything else.
   *
   * @param store the store
   * @param manifest the platform image manifest
   * @param platform its platform, or null
   * @param version v1 (with subject) or v2 (without)
   * @return the result
   * @throws IOException on failure
   */
  public PlatformIndex buildFor(ImageStore store, Descriptor manifest, Platform platform, IndexVersion version)
      throws IOException {
    return buildFor(store, manifest, ManifestJson.parse(manifest, store.fetch(manifest)), platform, version, true,
        Map.of(), ReusableZtocs.forOptions(store, options));
  }

  /**
   * {@link #buildFor(ImageStore, Descriptor, Platform, IndexVersion)} for a manifest given as parsed
   * JSON (it need not be stored), with zTOCs already built for some layers.
   *
   * @param stored whether the manifest is in the store, so existing SOCI indexes may refer to it
   *     and their zTOCs be reused
   * @param prebuilt zTOCs by layer digest, stored and reported as built without reading the layer
   * @param reusable zTOCs that may stand in for building one; those built are added
   */
  PlatformIndex buildFor(ImageStore store, Descriptor manifest, ManifestJson m, Platform platform,
      IndexVersion version, boolean stored, Map<Digest, Ztoc> prebuilt, ReusableZtocs reusable) throws IOException {
    if (m.isIndex()) {
      throw new SociException("manifest " + manifest.digest() + " is an index, not an image manifest");
    }
    if (stored) {
      reusable.addReferrersOf(manifest.digest());
    }
    LayerIndexer indexer = new LayerIndexer(store, options, reusable, prebuilt);
    List<LayerIndexer.Outcome> outcomes = runAll(indexer, m.layers());
    List<LayerReport> reports = outcomes.stream().map(LayerIndexer.Outcome::report).toList();
    if (reports.stream().anyMatch(r -> r.status() == LayerReport.Status.FAILED)) {
      IndexBuildException e = new IndexBuildException("cannot build the SOCI index of " + manifest.digest(), reports);
      outcomes.stream().map(LayerIndexer.Outcome::failure).filter(java.util.Objects::nonNull).findFirst()
          .ifPresent(e::initCause); // the first layer's failure: what kind of problem it is
      throw e;
    }
    if (reports.stream().noneMatch(LayerReport::indexed)) {
      throw new IndexBuildException("no layer of " + manifest.digest() + " can be indexed", reports);
    }
    List<Descriptor> layers = new ArrayList<>();
    Map<Digest, Ztoc> indexed = new java.util.HashMap<>();
    for (LayerIndexer.Outcome o : outcomes) {
      if (o.report().indexed()) {
        layers.add(o.report().ztoc());
        if (o.ztoc() != null) {
          indexed.put(o.report().layer().digest(), o.ztoc());
        }
      }
    }
    for (PrefetchArtifact a : PrefetchArtifact.forImage(m.layers(), indexed, options.prefetchPaths())) {
      store.push(a.descriptor(), a.json());
      layers.add(a.descriptor());
    }
    SociIndex index = new SociIndex(version, layers, version == IndexVersion.V1 ? manifest : null,
        Map.of(MediaTypes.ANNOTATION_BUILD_TOOL, options.buildTool()));
    store.push(index.config(), SociIndex.CONFIG_BYTES);
    Descriptor indexDescriptor = index.descriptor();
    store.push(indexDescriptor, index.toJson());
    return new PlatformIndex(platform, manifest, index, indexDescriptor, reports);
  }

  /** A platform manifest chosen from an image. */
  record PlatformManifest(Descriptor descriptor, Platform platform) {}

  List<PlatformManifest> selectManifests(ImageStore store, Descriptor image) throws IOException {
    if (!MediaTypes.isIndex(image.mediaType())) {
      return List.of(new PlatformManifest(image, image.platform()));
    }
    ManifestJson index = ManifestJson.parse(image, store.fetch(image));
    List<Platform> wanted = options.platforms().isEmpty() ? List.of(Platform.current()) : options.platforms();
    List<PlatformManifest> out = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (!isImageManifest(d)) {
        continue;
      }
      if (options.allPlatforms() || wanted.stream().anyMatch(w -> w.matches(d.platform()))) {
        out.add(new PlatformManifest(d, d.platform()));
      }
    }
    if (out.isEmpty()) {
      throw new SociException("image " + image.digest() + " has no manifest for "
          + (options.allPlatforms() ? "any platform" : wanted));
    }
    return out;
  }

  /**
   * Whether an index entry is an image manifest of a real platform: not a nested index, not an
   * artifact (the SOCI indexes of a SOCI-enabled image), not an attestation ({@code unknown/unknown}).
   */
  static boolean isImageManifest(Descriptor d) {
    return d.platform() != null && MediaTypes.isManifest(d.mediaType()) && !MediaTypes.isIndex(d.mediaType())
        && d.artifactType().isEmpty() && !d.platform().os().equals("unknown");
  }

  private List<LayerIndexer.Outcome> runAll(LayerIndexer indexer, List<Descriptor> layers) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.concurrency(), Math.max(1, layers.size())),
        r -> {
          Thread t = new Thread(r, "soci-index-layer");
          t.setDaemon(true);
          return t;
        });
    try {
      List<Future<LayerIndexer.Outcome>> futures = new ArrayList<>();
      for (Descriptor layer : layers) {
        futures.add(pool.submit(() -> {
          LayerIndexer.Outcome o = indexer.index(layer);
          options.progress().done(o.report());
          return o;
        }));
      }
      List<LayerIndexer.Outcome> out = new ArrayList<>();
      for (Future<LayerIndexer.Outcome> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while building zTOCs");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
