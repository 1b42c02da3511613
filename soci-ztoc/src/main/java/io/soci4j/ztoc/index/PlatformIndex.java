package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Platform;
import java.util.List;

/**
 * The SOCI index built for one image manifest.
 *
 * @param platform the manifest's platform, or null for an image without an index
 * @param manifest the image manifest's descriptor
 * @param index the SOCI index
 * @param indexDescriptor the stored index manifest's descriptor (with artifact type)
 * @param layers what happened to each layer, in layer order
 */
public record PlatformIndex(Platform platform, Descriptor manifest, SociIndex index, Descriptor indexDescriptor,
    List<LayerReport> layers) {

  /**
   * Validates and copies.
   *
   * @param platform see the record component
   * @param manifest see the record component
   * @param index see the record component
   * @param indexDescriptor see the record component
   * @param layers see the record component
   */
  public PlatformIndex {
    layers = List.copyOf(layers);
  }
}
