package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Platform;

/**
 * A SOCI index found for an image manifest, loaded and validated.
 *
 * @param platform the manifest's platform, or null
 * @param manifest the image manifest it applies to
 * @param indexDescriptor the index manifest's descriptor
 * @param index the parsed index
 * @param layers the image manifest's layers, in order
 */
public record FoundIndex(Platform platform, Descriptor manifest, Descriptor indexDescriptor, SociIndex index,
    java.util.List<Descriptor> layers) {

  /**
   * Validates and copies.
   *
   * @param platform see the record component
   * @param manifest see the record component
   * @param indexDescriptor see the record component
   * @param index see the record component
   * @param layers see the record component
   */
  public FoundIndex {
    layers = java.util.List.copyOf(layers);
  }

  /**
   * The zTOC descriptor of a layer.
   *
   * @param layer a layer of the manifest
   * @return its zTOC descriptor, if the index has one
   */
  public java.util.Optional<Descriptor> ztocFor(Descriptor layer) {
    String digest = layer.digest().toString();
    return index.ztocs().stream()
        .filter(z -> digest.equals(z.annotations().get(io.soci4j.api.MediaTypes.ANNOTATION_LAYER_DIGEST)))
        .findFirst();
  }
}
