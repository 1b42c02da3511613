package io.soci4j.lambda.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.RegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An image of {@link GeneratedLayer}s pushed to a registry as streams: each layer is generated
 * twice, once for its digest and size, once for the upload; nothing is held whole or written.
 *
 * @param manifest the image manifest
 * @param layers the layers, in order
 */
public record GeneratedImage(Descriptor manifest, List<Layer> layers) {
  /** Layers of the image beyond the upstream Lambda's limits (more than 8 GiB in all). */
  public static final int LARGE_LAYERS = 4;

  /** Each such layer's compressed size: past 2^31, so sizes must be longs everywhere. */
  public static final long LARGE_LAYER_BYTES = (2L << 30) + (16L << 20);

  /**
   * A pushed layer.
   *
   * @param descriptor its descriptor
   * @param uncompressedSize the tar's size
   * @param entries the tar's entries
   */
  public record Layer(Descriptor descriptor, long uncompressedSize, int entries) {}

  /**
   * @param store the repository
   * @param tag the image's tag
   * @param count how many layers
   * @param layerBytes each layer's compressed size (reached, then the current file ends)
   * @return what was pushed
   * @throws IOException when pushing fails
   */
  public static GeneratedImage push(RegistryStore store, String tag, int count, long layerBytes) throws IOException {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seed = 1000 + i;
      GeneratedLayer first = new GeneratedLayer(seed, layerBytes);
      MessageDigest sha = sha256();
      long size;
      try (DigestInputStream in = new DigestInputStream(first, sha)) {
        size = in.transferTo(OutputStream.nullOutputStream());
      }
      Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP,
          Digest.parse("sha256:" + HexFormat.of().formatHex(sha.digest())), size);
      try (InputStream again = new GeneratedLayer(seed, layerBytes)) {
        store.push(d, again);
      }
      layers.add(new Layer(d, first.uncompressedSize(), first.entries()));
    }
    Descriptor manifest = TestImages.manifest(store, layers.stream().map(Layer::descriptor).toList());
    store.tag(manifest, tag);
    return new GeneratedImage(manifest, List.copyOf(layers));
  }

  /** {@return the layers' compressed bytes} */
  public long compressedBytes() {
    return layers.stream().mapToLong(l -> l.descriptor().size()).sum();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
