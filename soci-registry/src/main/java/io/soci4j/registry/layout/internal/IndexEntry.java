package io.soci4j.registry.layout.internal;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;

/**
 * One descriptor of {@code index.json}'s {@code manifests}, as far as the store needs it.
 *
 * @param mediaType its media type
 * @param digest its digest
 * @param size its size
 * @param refName its {@code org.opencontainers.image.ref.name} annotation (the tag), empty when
 *     none
 */
public record IndexEntry(String mediaType, Digest digest, long size, String refName) {

  /** {@return media type, digest and size as a descriptor} */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, size);
  }
}
