package io.soci4j.reader.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The byte-bounded LRU evicts the least recently used entries first and never holds more than its bound. */
class ByteLruTest {
  @Test
  void evictsLeastRecentlyUsedFirst() {
    ByteLru<String> lru = new ByteLru<>(30);
    lru.put("a", new byte[10]);
    lru.put("b", new byte[10]);
    lru.put("c", new byte[10]);
    assertThat(lru.get("a")).isNotNull();
    lru.put("d", new byte[10]);
    assertThat(lru.get("b")).isNull();
    assertThat(lru.get("a")).isNotNull();
    assertThat(lru.bytes()).isEqualTo(30);
  }

  @Test
  void aValueLargerThanTheBoundIsNotKeptAndZeroKeepsNothing() {
    ByteLru<String> lru = new ByteLru<>(5);
    lru.put("big", new byte[6]);
    assertThat(lru.get("big")).isNull();
    ByteLru<String> none = new ByteLru<>(0);
    none.put("x", new byte[1]);
    assertThat(none.enabled()).isFalse();
    assertThat(none.get("x")).isNull();
  }
}
