package io.soci4j.registry.storetest;

import io.soci4j.api.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An image made by {@link TestImages}: manifest, config and gzip layers, with the uncompressed
 * tars the layers were made from.
 *
 * @param manifest the image manifest
 * @param config the config
 * @param layers the gzip layers, in order
 * @param tars the uncompressed tar of each layer
 */
public record TestImage(Blob manifest, Blob config, List<Blob> layers, List<byte[]> tars) {

  /** {@return config, layers, manifest: the order a registry accepts them in} */
  public List<Blob> blobsInPushOrder() {
    List<Blob> all = new ArrayList<>(layers);
    all.add(0, config);
    all.add(manifest);
    return all;
  }

  /**
   * Pushes everything (blobs as streams for layers, bytes otherwise) and tags the manifest.
   *
   * @param store where to
   * @param tag the tag, or null for none
   * @return this image
   * @throws IOException on failure
   */
  public TestImage pushTo(ImageStore store, String tag) throws IOException {
    store.push(config.descriptor(), config.bytes());
    for (Blob layer : layers) {
      try (InputStream in = new ByteArrayInputStream(layer.bytes())) {
        store.push(layer.descriptor(), in);
      }
    }
    store.push(manifest.descriptor(), manifest.bytes());
    if (tag != null) {
      store.tag(manifest.descriptor(), tag);
    }
    return this;
  }
}
