package io.soci4j.reader;

import io.soci4j.reader.internal.cache.DiskSpanCache;
import io.soci4j.reader.internal.cache.MemorySpanCache;
import io.soci4j.reader.internal.cache.NoSpanCache;
import io.soci4j.reader.internal.cache.TieredSpanCache;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a {@link SociImage} keeps the compressed bytes of spans it fetched, verified against their
 * digests, so that no span is fetched twice while it is cached.
 *
 * <pre>{@code
 * SpanCache cache = SpanCache.tiered(SpanCache.memory(256 << 20),
 *     SpanCache.disk(Path.of("/var/cache/soci"), 10L << 30));
 * }</pre>
 *
 * <p>Contract: {@link #get} returns the bytes put under the key or nothing, never other bytes
 * (the disk cache re-checks every entry's digest and drops corrupt ones); implementations are
 * thread-safe and do not throw for cache trouble, they miss. A cache may be shared by several
 * images; an image closes only caches it created from its options.
 */
public interface SpanCache extends Closeable {

  /**
   * Looks a span up.
   *
   * @param key the span
   * @return its compressed bytes, if cached (do not modify the array)
   */
  Optional<byte[]> get(SpanKey key);

  /**
   * Stores a span's verified compressed bytes.
   *
   * @param key the span
   * @param compressed its bytes (not copied: do not modify them afterwards)
   */
  void put(SpanKey key, byte[] compressed);

  /**
   * Whether a span is cached, without reading it where that is cheaper.
   *
   * @param key the span
   * @return true when {@link #get} would probably find it
   */
  default boolean contains(SpanKey key) {
    return get(key).isPresent();
  }

  /** Releases resources; cached data on disk stays. The default does nothing. */
  @Override
  default void close() throws IOException {}

  /** {@return a cache that keeps nothing} */
  static SpanCache none() {
    return NoSpanCache.INSTANCE;
  }

  /**
   * A bounded in-memory cache, least recently used spans evicted first.
   *
   * @param maxBytes total compressed bytes kept at most
   * @return the cache
   */
  static SpanCache memory(long maxBytes) {
    return new MemorySpanCache(maxBytes);
  }

  /**
   * A cache in a directory that survives restarts: one file per span, named by layer digest, span
   * id and span digest, written to a temporary file and renamed into place; least recently used
   * files (by modification time, refreshed on use) deleted when the total exceeds the cap; an
   * entry whose bytes no longer match its digest is deleted and reported as missing.
   *
   * @param directory the cache directory (created if missing)
   * @param maxBytes total bytes of span files kept at most
   * @return the cache
   * @throws IOException when the directory cannot be created or scanned
   */
  static SpanCache disk(Path directory, long maxBytes) throws IOException {
    return new DiskSpanCache(directory, maxBytes);
  }

  /**
   * Two caches, the first (fast, small) in front of the second: lookups try the first then the
   * second (copying a hit into the first), stores go to both.
   *
   * @param first the cache looked up first, typically {@link #memory}
   * @param second the cache behind it, typically {@link #disk}
   * @return the combined cache; closing it closes both
   */
  static SpanCache tiered(SpanCache first, SpanCache second) {
    return new TieredSpanCache(first, second);
  }
}
