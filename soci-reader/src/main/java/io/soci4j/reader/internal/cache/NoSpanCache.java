package io.soci4j.reader.internal.cache;

import io.soci4j.reader.SpanCache;
import io.soci4j.reader.SpanKey;
import java.util.Optional;

/** Keeps nothing. */
public final class NoSpanCache implements SpanCache {
  /** The one instance. */
  public static final NoSpanCache INSTANCE = new NoSpanCache();

  private NoSpanCache() {}

  @Override
  public Optional<byte[]> get(SpanKey key) {
    return Optional.empty();
  }

  @Override
  public void put(SpanKey key, byte[] compressed) {}

  @Override
  public String toString() {
    return "SpanCache.none()";
  }
}
