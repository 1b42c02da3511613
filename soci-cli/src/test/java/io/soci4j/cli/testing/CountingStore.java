package io.soci4j.cli.testing;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts every byte and request an ImageStore serves (what goes over the wire for a registry). */
public final class CountingStore implements ImageStore {
  private final ImageStore store;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  private final List<Read> reads = new java.util.concurrent.CopyOnWriteArrayList<>();

  public CountingStore(ImageStore store) {
    this.store = store;
  }

  /**
   * One fetch or range read.
   *
   * @param blob what was read
   * @param offset where (0 for a whole fetch)
   * @param length bytes
   * @param whole whether it was a whole fetch
   */
  public record Read(Digest blob, long offset, long length, boolean whole) {}

  /** {@return every fetch and range read so far, in order} */
  public List<Read> reads() {
    return List.copyOf(reads);
  }

  /** Forgets the counts and reads so far. */
  public void reset() {
    reads.clear();
    bytes.set(0);
    requests.set(0);
  }

  public long bytes() {
    return bytes.get();
  }

  public long requests() {
    return requests.get();
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    requests.incrementAndGet();
    return store.resolve(reference);
  }

  @Override
  public byte[] fetch(Descriptor d) throws IOException {
    requests.incrementAndGet();
    byte[] b = store.fetch(d);
    bytes.addAndGet(b.length);
    reads.add(new Read(d.digest(), 0, b.length, true));
    return b;
  }

  @Override
  public InputStream open(Descriptor d) throws IOException {
    requests.incrementAndGet();
    reads.add(new Read(d.digest(), 0, d.size(), true)); // a whole stream asked for
    return new FilterInputStream(store.open(d)) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytes.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        return n;
      }
    };
  }

  @Override
  public ByteSource openRange(Descriptor d) throws IOException {
    ByteSource src = store.openRange(d);
    return new ByteSource() {
      @Override
      public long size() throws IOException {
        return src.size();
      }

      @Override
      public void read(long offset, ByteBuffer dst) throws IOException {
        requests.incrementAndGet();
        bytes.addAndGet(dst.remaining());
        reads.add(new Read(d.digest(), offset, dst.remaining(), false));
        src.read(offset, dst);
      }

      @Override
      public void close() throws IOException {
        src.close();
      }
    };
  }

  @Override
  public boolean exists(Descriptor d) throws IOException {
    requests.incrementAndGet();
    return store.exists(d);
  }

  @Override
  public void push(Descriptor d, byte[] content) throws IOException {
    store.push(d, content);
  }

  @Override
  public void push(Descriptor d, InputStream content) throws IOException {
    store.push(d, content);
  }

  @Override
  public void tag(Descriptor manifest, String tag) throws IOException {
    store.tag(manifest, tag);
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    requests.incrementAndGet();
    List<Descriptor> r = store.referrers(subject, artifactType);
    return r;
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
