package io.soci4j.reader.internal.open;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.reader.internal.cache.MetadataCache;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Serves whole fetches (manifests, the SOCI index, zTOCs, prefetch artifacts) from the {@link
 * MetadataCache} when it holds them, else from the store, keeping what the store returned (the
 * store verified it). Small layers without a zTOC are cached by the {@code WholeLayerLoader}. Tags and referrers always go to the store: they can change. Read-only, as
 * the {@link CountingStore} it wraps.
 */
final class MetadataCachingStore implements ImageStore {
  private final ImageStore store;
  private final MetadataCache cache;

  MetadataCachingStore(ImageStore store, MetadataCache cache) {
    this.store = store;
    this.cache = cache;
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    Optional<byte[]> hit = cache.blob(descriptor);
    if (hit.isPresent()) {
      return hit.get();
    }
    byte[] b = store.fetch(descriptor);
    cache.putBlob(descriptor, b);
    return b;
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    return store.resolve(reference);
  }

  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    return store.open(descriptor);
  }

  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    return store.openRange(descriptor);
  }

  @Override
  public boolean exists(Descriptor descriptor) throws IOException {
    return store.exists(descriptor);
  }

  @Override
  public void push(Descriptor descriptor, byte[] content) throws IOException {
    store.push(descriptor, content);
  }

  @Override
  public void push(Descriptor descriptor, InputStream content) throws IOException {
    store.push(descriptor, content);
  }

  @Override
  public void tag(Descriptor manifest, String tag) throws IOException {
    store.tag(manifest, tag);
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    return store.referrers(subject, artifactType);
  }

  @Override
  public void close() {
    // the caller owns the store
  }
}
