package io.soci4j.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Collections;

/**
 * An OCI content descriptor: what a blob is, its digest and size, and its annotations.
 *
 * <pre>{@code
 * Descriptor ztoc = Descriptor.of(MediaTypes.ZTOC, digest, size)
 *     .withAnnotation(MediaTypes.ANNOTATION_SPAN_SIZE, "4194304");
 * }</pre>
 *
 * @param mediaType the media type of the blob
 * @param digest the blob's digest
 * @param size the blob's size in bytes, never negative
 * @param annotations annotations, sorted by key; empty when none
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {

  /**
   * Validates and copies.
   *
   * @param mediaType see the record component
   * @param digest see the record component
   * @param size see the record component
   * @param annotations see the record component
   */
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (mediaType.isEmpty()) {
      throw new IllegalArgumentException("descriptor media type is empty");
    }
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size is negative: " + size + " for " + digest);
    }
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /**
   * A descriptor without annotations.
   *
   * @param mediaType media type
   * @param digest digest
   * @param size size in bytes
   * @return the descriptor
   */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of());
  }

  /**
   * A copy with one more annotation (replacing one with the same key).
   *
   * @param key annotation key
   * @param value annotation value
   * @return the new descriptor
   */
  public Descriptor withAnnotation(String key, String value) {
    Map<String, String> copy = new TreeMap<>(annotations);
    copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new Descriptor(mediaType, digest, size, copy);
  }
}
