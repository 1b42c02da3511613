package io.soci4j.reader.internal.open;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.reader.internal.stats.MetadataCounters;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Counts the metadata requests (resolve, fetch, referrers) the SOCI index finder and the image
 * loader send through it; everything else goes straight to the store. Read-only: pushes and tags
 * are refused.
 */
public final class CountingStore implements ImageStore {
  private final ImageStore store;
  private final MetadataCounters counters;

  /**
   * @param store the store
   * @param counters where to count
   */
  public CountingStore(ImageStore store, MetadataCounters counters) {
    this.store = store;
    this.counters = counters;
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    counters.request();
    return store.resolve(reference);
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    byte[] b;
    try {
      b = store.fetch(descriptor);
    } catch (IOException e) {
      counters.request();
      throw e;
    }
    counters.fetched(b.length);
    return b;
  }

  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    return store.open(descriptor);
  }

  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    return store.openRange(descriptor);
  }

  /**
   * Range reads of a metadata blob (a zTOC read by parts), each counted as a metadata request.
   *
   * @param descriptor the blob
   * @return its range reads; close it
   * @throws IOException when it cannot be opened
   */
  public ByteSource openMetadataRange(Descriptor descriptor) throws IOException {
    ByteSource source = store.openRange(descriptor);
    return new ByteSource() {
      @Override
      public long size() throws IOException {
        return source.size();
      }

      @Override
      public void read(long offset, java.nio.ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        try {
          source.read(offset, dst);
        } catch (IOException | RuntimeException e) {
          counters.request();
          throw e;
        }
        counters.fetched(n);
      }

      @Override
      public void close() throws IOException {
        source.close();
      }
    };
  }

  @Override
  public boolean exists(Descriptor descriptor) throws IOException {
    counters.request();
    return store.exists(descriptor);
  }

  @Override
  public void push(Descriptor descriptor, byte[] content) {
    throw new UnsupportedOperationException("the image reader does not write to the store");
  }

  @Override
  public void push(Descriptor descriptor, InputStream content) {
    throw new UnsupportedOperationException("the image reader does not write to the store");
  }

  @Override
  public void tag(Descriptor manifest, String tag) {
    throw new UnsupportedOperationException("the image reader does not write to the store");
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    counters.request();
    return store.referrers(subject, artifactType);
  }

  @Override
  public void close() {
    // the caller owns the store
  }
}
