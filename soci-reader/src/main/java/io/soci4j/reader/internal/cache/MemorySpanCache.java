package io.soci4j.reader.internal.cache;

import io.soci4j.reader.SpanCache;
import io.soci4j.reader.SpanKey;
import java.util.Optional;

/** {@link SpanCache#memory}: a {@link ByteLru} of compressed spans. */
public final class MemorySpanCache implements SpanCache {
  private final ByteLru<SpanKey> lru;
  private final long maxBytes;

  /**
   * @param maxBytes bound on the total compressed bytes kept
   */
  public MemorySpanCache(long maxBytes) {
    this.lru = new ByteLru<>(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  public Optional<byte[]> get(SpanKey key) {
    return Optional.ofNullable(lru.get(key));
  }

  @Override
  public boolean contains(SpanKey key) {
    return lru.containsKey(key);
  }

  @Override
  public void put(SpanKey key, byte[] compressed) {
    lru.put(key, compressed);
  }

  /** {@return the bytes held} */
  public long bytes() {
    return lru.bytes();
  }

  @Override
  public String toString() {
    return "SpanCache.memory(" + maxBytes + ")";
  }
}
