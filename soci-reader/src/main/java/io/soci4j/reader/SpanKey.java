package io.soci4j.reader;

import io.soci4j.api.Digest;
import java.util.Objects;

/**
 * Names one span of one layer in a {@link SpanCache}: the layer digest, the span id and the
 * digest of the span's compressed bytes (so a key can never name other bytes).
 *
 * @param layer digest of the layer blob
 * @param spanId span number in the layer's zTOC
 * @param spanDigest sha256 of the span's compressed bytes, from the zTOC
 */
public record SpanKey(Digest layer, int spanId, Digest spanDigest) {

  /**
   * Validates.
   *
   * @param layer see the record component
   * @param spanId see the record component
   * @param spanDigest see the record component
   */
  public SpanKey {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(spanDigest, "spanDigest");
    if (spanId < 0) {
      throw new IllegalArgumentException("span id is negative: " + spanId);
    }
  }
}
