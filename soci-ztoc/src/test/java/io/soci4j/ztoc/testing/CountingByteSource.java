package io.soci4j.ztoc.testing;

import io.soci4j.api.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** A byte source that counts the reads made through it and the bytes they fetched. */
public final class CountingByteSource implements ByteSource {
  private final ByteSource inner;
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /** @param inner the source read */
  public CountingByteSource(ByteSource inner) {
    this.inner = inner;
  }

  @Override
  public long size() throws IOException {
    return inner.size();
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws IOException {
    reads.incrementAndGet();
    bytes.addAndGet(dst.remaining());
    inner.read(offset, dst);
  }

  /** @return reads made */
  public long reads() {
    return reads.get();
  }

  /** @return bytes fetched */
  public long bytesRead() {
    return bytes.get();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
