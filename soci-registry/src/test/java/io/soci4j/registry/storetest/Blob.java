package io.soci4j.registry.storetest;

import io.soci4j.api.Descriptor;

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
}
