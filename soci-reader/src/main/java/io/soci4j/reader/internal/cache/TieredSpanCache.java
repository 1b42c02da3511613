package io.soci4j.reader.internal.cache;

import io.soci4j.reader.SpanCache;
import io.soci4j.reader.SpanKey;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** {@link SpanCache#tiered}: a first cache in front of a second. */
public final class TieredSpanCache implements SpanCache {
  private final SpanCache first;
  private final SpanCache second;

  /**
   * @param first looked up first
   * @param second looked up on a miss of the first
   */
  public TieredSpanCache(SpanCache first, SpanCache second) {
    this.first = Objects.requireNonNull(first, "first");
    this.second = Objects.requireNonNull(second, "second");
  }

  @Override
  public Optional<byte[]> get(SpanKey key) {
    Optional<byte[]> hit = first.get(key);
    if (hit.isPresent()) {
      return hit;
    }
    Optional<byte[]> lower = second.get(key);
    lower.ifPresent(b -> first.put(key, b));
    return lower;
  }

  @Override
  public boolean contains(SpanKey key) {
    return first.contains(key) || second.contains(key);
  }

  @Override
  public void put(SpanKey key, byte[] compressed) {
    first.put(key, compressed);
    second.put(key, compressed);
  }

  @Override
  public void close() throws IOException {
    try {
      first.close();
    } finally {
      second.close();
    }
  }

  @Override
  public String toString() {
    return "SpanCache.tiered(" + first + ", " + second + ")";
  }
}
