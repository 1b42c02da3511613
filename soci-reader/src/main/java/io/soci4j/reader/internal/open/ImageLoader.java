package io.soci4j.reader.internal.open;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.reader.SpanCache;
import io.soci4j.reader.SpanKey;
import io.soci4j.reader.internal.cache.ByteLru;
import io.soci4j.reader.internal.cache.MetadataCache;
import io.soci4j.reader.internal.fetch.Futures;
import io.soci4j.reader.internal.fetch.HedgedReads;
import io.soci4j.reader.internal.fetch.RetryPolicy;
import io.soci4j.reader.internal.fetch.SpanFetcher;
import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.layer.SpanLayer;
import io.soci4j.reader.internal.layer.WholeLayerLoader;
import io.soci4j.reader.internal.layer.ZtocErrors;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.reader.internal.stats.MetadataCounters;
import io.soci4j.reader.internal.view.LayerEntries;
import io.soci4j.reader.internal.view.MergedTree;
import io.soci4j.reader.internal.view.TreeBuilder;
import io.soci4j.ztoc.LazyZtoc;
import io.soci4j.ztoc.ZtocCodec;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.SociIndexFinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Opens an image: finds its SOCI index, fetches and parses the zTOCs (layers in parallel), fetches
 * whole the layers without one, builds the merged tree and fetches the prefetch spans.
 */
public final class ImageLoader {
  private final ImageStore store;
  private final CountingStore counting;
  private final MetadataCache metadataCache;
  private final SociImageOptions options;
  private final Executor pool;
  private final SpanCache cache;
  private final ByteLru<SpanKey> decompressed;
  private final RetryPolicy retry;
  private final HedgedReads hedge;

  /**
   * What was loaded.
   *
   * @param index the SOCI index found and the image manifest's layers
   * @param layers one per manifest layer, bottom first (a digest listed twice shares one)
   * @param distinct the distinct layers, to close
   * @param tree the merged tree
   * @param prefetch the prefetch artifacts' spans, when they are to be fetched in the background
   */
  public record Loaded(FoundIndex index, List<LayerData> layers, List<LayerData> distinct, MergedTree tree,
      List<BackgroundFetch.Spans> prefetch) {}

  /**
   * @param store the store
   * @param options the options
   * @param pool the fetch pool
   * @param cache the span cache
   * @param decompressed the decompressed-span cache
   * @param metadata counts metadata requests
   * @throws IOException when the metadata cache directory cannot be created
   */
  public ImageLoader(ImageStore store, SociImageOptions options, Executor pool, SpanCache cache,
      ByteLru<SpanKey> decompressed, MetadataCounters metadata) throws IOException {
    this.counting = new CountingStore(store, metadata);
    this.metadataCache = options.metadataCacheDirectory().isPresent()
        ? MetadataCache.open(options.metadataCacheDirectory().get()) : null;
    this.store = metadataCache == null ? counting : new MetadataCachingStore(counting, metadataCache);
    this.options = options;
    this.pool = pool;
    this.cache = cache;
    this.decompressed = decompressed;
    this.retry = new RetryPolicy(options.retries(), options.retryBackoff());
    // its threads are daemons that end when idle: nothing to close
    this.hedge = options.hedgedRequests() ? HedgedReads.start("soci-hedge") : HedgedReads.off();
  }

  /**
   * Loads an image.
   *
   * @param reference tag or digest
   * @return what was loaded; the caller closes its layers
   * @throws ContentNotFoundException when the image or its SOCI index is missing
   * @throws IOException on other failures
   */
  public Loaded load(String reference) throws IOException {
    FoundIndex found = SociIndexFinder.forPlatform(options.platform()).find(store, reference)
        .orElseThrow(() -> new ContentNotFoundException("SOCI index of image '" + reference + "'",
            "make the image SOCI-enabled with 'soci convert' (SociConverter), or a v1 index with 'soci create'"));
    Map<Digest, CompletableFuture<LayerData>> byDigest = new LinkedHashMap<>();
    for (Descriptor layer : found.layers()) {
      byDigest.computeIfAbsent(layer.digest(), d -> CompletableFuture.supplyAsync(() -> {
        try {
          return loadLayer(found, layer);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, pool));
    }
    List<LayerData> distinct = new ArrayList<>();
    IOException failure = null;
    for (CompletableFuture<LayerData> f : byDigest.values()) {
      try {
        distinct.add(Futures.join(f, "the image's layers"));
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      closeAll(distinct, failure);
      throw failure;
    }
    try {
      List<LayerData> layers = new ArrayList<>();
      List<LayerEntries> entries = new ArrayList<>();
      for (Descriptor d : found.layers()) {
        LayerData data = Futures.join(byDigest.get(d.digest()), "the image's layers");
        layers.add(data);
        entries.add(new LayerEntries(d.digest(), data.entries()));
      }
      MergedTree tree = TreeBuilder.build(entries);
      List<BackgroundFetch.Spans> later = new ArrayList<>();
      if (options.prefetch()) {
        for (BackgroundFetch.Spans p : prefetchSpans(found, distinct)) {
          if (options.prefetchInBackground()) {
            later.add(p);
          } else {
            p.fetcher().get(p.ids(), true);
          }
        }
      }
      return new Loaded(found, layers, distinct, tree, later);
    } catch (IOException | RuntimeException e) {
      closeAll(distinct, e);
      throw e;
    }
  }

  private LayerData loadLayer(FoundIndex found, Descriptor layer) throws IOException {
    Optional<Descriptor> ztocDescriptor = found.ztocFor(layer);
    if (ztocDescriptor.isEmpty()) {
      LayerCounters counters = new LayerCounters(layer.digest(), false);
      return new WholeLayerLoader(store, retry, options.wholeLayerMemoryBytes(), options.tempDirectory(), metadataCache)
          .load(layer, counters);
    }
    Descriptor zd = ztocDescriptor.get();
    List<AutoCloseable> sources = new ArrayList<>();
    try {
      LazyZtoc ztoc = openZtoc(zd, layer, sources);
      if (ztoc.compressedArchiveSize() != layer.size()) {
        throw new SociException("zTOC " + zd.digest() + " describes " + ztoc.compressedArchiveSize()
            + " compressed bytes but layer " + layer.digest() + " has " + layer.size());
      }
      LayerCounters counters = new LayerCounters(layer.digest(), true);
      ByteSource source = store.openRange(layer);
      sources.add(0, source);
      SpanFetcher fetcher = new SpanFetcher(layer.digest(), ztoc, source, cache, pool, retry, hedge, counters,
          options.maxRequestBytes());
      return new SpanLayer(layer, zd, ztoc, fetcher, decompressed, counters, sources, pool, options.pullThreads());
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : sources) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * A layer's zTOC: read by parts when the options allow and it is worth it (its range source
   * then added to {@code sources}, to stay open with the layer), else fetched whole and checked
   * against its digest. Format errors name the zTOC and its layer.
   */
  private LazyZtoc openZtoc(Descriptor zd, Descriptor layer, List<AutoCloseable> sources) throws IOException {
    try {
      Optional<byte[]> held = metadataCache == null ? Optional.empty() : metadataCache.blob(zd);
      if (held.isPresent()) { // fetched whole before (and checked against its digest then and now)
        return LazyZtoc.of(ZtocCodec.parse(held.get()));
      }
      if (options.lazyCheckpoints() && zd.size() > LazyZtoc.MIN_SKIPPED) {
        ByteSource counted = counting.openMetadataRange(zd);
        ByteSource parts = metadataCache == null ? counted : metadataCache.ranges(zd.digest(), counted);
        sources.add(parts);
        Optional<LazyZtoc> lazy = LazyZtoc.open(parts);
        if (lazy.isPresent()) {
          return lazy.get();
        }
        sources.remove(parts);
        parts.close();
      }
      return LazyZtoc.of(ZtocCodec.parse(store.fetch(zd)));
    } catch (ZtocFormatException e) {
      throw ZtocErrors.naming(e, zd.digest(), layer.digest());
    }
  }

  /** The spans the index's prefetch artifacts name, per layer. */
  private List<BackgroundFetch.Spans> prefetchSpans(FoundIndex found, List<LayerData> layers) throws IOException {
    List<BackgroundFetch.Spans> out = new ArrayList<>();
    for (Descriptor artifact : found.index().layers()) {
      if (!artifact.mediaType().equals(MediaTypes.SOCI_PREFETCH)) {
        continue;
      }
      String layerDigest = artifact.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST);
      for (LayerData l : layers) {
        if (l instanceof SpanLayer sl && l.descriptor().digest().toString().equals(layerDigest)) {
          out.add(new BackgroundFetch.Spans(sl.fetcher(),
              PrefetchSpans.parse(store.fetch(artifact), sl.fetcher().spanCount())));
        }
      }
    }
    return out;
  }

  private static void closeAll(List<LayerData> layers, Exception failure) {
    for (LayerData l : layers) {
      try {
        l.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
