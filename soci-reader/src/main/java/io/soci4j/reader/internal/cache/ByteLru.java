package io.soci4j.reader.internal.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map of byte arrays bounded by their total length, least recently used evicted first.
 * Synchronized: callers copy out of the arrays, never hold the lock while doing I/O.
 *
 * @param <K> key type
 */
public final class ByteLru<K> {
  private final long maxBytes;
  private final LinkedHashMap<K, byte[]> map = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * @param maxBytes total length kept at most; 0 keeps nothing
   */
  public ByteLru(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("cache size must not be negative, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** {@return whether it can keep anything} */
  public boolean enabled() {
    return maxBytes > 0;
  }

  /**
   * @param key the key
   * @return the value, or null; marks it most recently used
   */
  public synchronized byte[] get(K key) {
    return map.get(key);
  }

  /**
   * @param key the key
   * @return whether it is present, without touching its recency
   */
  public synchronized boolean containsKey(K key) {
    return map.containsKey(key);
  }

  /**
   * Adds a value, evicting the least recently used ones beyond the bound; a value larger than the
   * bound is not kept.
   *
   * @param key the key
   * @param value the bytes
   */
  public synchronized void put(K key, byte[] value) {
    if (value.length > maxBytes) {
      return;
    }
    byte[] old = map.put(key, value);
    bytes += value.length - (old == null ? 0 : old.length);
    Iterator<Map.Entry<K, byte[]>> it = map.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<K, byte[]> eldest = it.next();
      bytes -= eldest.getValue().length;
      it.remove();
    }
  }

  /** {@return total bytes held} */
  public synchronized long bytes() {
    return bytes;
  }
}
