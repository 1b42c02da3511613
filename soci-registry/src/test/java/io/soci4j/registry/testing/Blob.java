package io.soci4j.registry.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;

/**
 * Content and its descriptor.
 *
 * @param descriptor media type, digest and size
 * @param bytes the content
 */
public record Blob(Descriptor descriptor, byte[] bytes) {

  /**
   * @param mediaType media type
   * @param bytes content
   * @return the blob with its sha256 descriptor
   */
  public static Blob of(String mediaType, byte[] bytes) {
    return new Blob(Descriptor.of(mediaType, bytes), bytes);
  }

  /** {@return its digest} */
  public Digest digest() {
    return descriptor.digest();
  }
}
