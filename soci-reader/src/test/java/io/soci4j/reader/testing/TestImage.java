package io.soci4j.reader.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.ztoc.index.PlatformIndex;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An image pushed into a {@link TestStore}: config, layers, manifest, tag, and its SOCI index
 * built by {@link SociIndexBuilder}.
 *
 * @param store the store
 * @param tag the image tag
 * @param manifest the manifest descriptor
 * @param layers the layer descriptors, bottom first
 * @param tars the uncompressed tar of each layer
 * @param blobs the blob of each layer
 * @param index what the index builder did
 */
public record TestImage(TestStore store, String tag, Descriptor manifest, List<Descriptor> layers, List<byte[]> tars,
    List<byte[]> blobs, List<PlatformIndex> index) {

  /**
   * The bytes of a file as written in a layer tar.
   *
   * @param layer layer index
   * @param name entry name as written
   * @return its bytes
   */
  public byte[] file(int layer, String name) {
    try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new java.io.ByteArrayInputStream(tars.get(layer)))) {
      for (org.apache.commons.compress.archivers.tar.TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals(name)) {
          return in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no " + name + " in layer " + layer);
  }

  /** Collects layers, then pushes. */
  public static final class Builder {
    private final List<byte[]> tars = new ArrayList<>();
    private final List<byte[]> blobs = new ArrayList<>();
    private final List<String> types = new ArrayList<>();

    /** @param tar an uncompressed tar @return this, with the layer added gzip-compressed */
    public Builder gzipLayer(byte[] tar) {
      tars.add(tar);
      blobs.add(TarBuilder.gzip(tar));
      types.add(MediaTypes.OCI_LAYER_TAR_GZIP);
      return this;
    }

    /** @param tar an uncompressed tar @return this, with the layer added uncompressed */
    public Builder tarLayer(byte[] tar) {
      tars.add(tar);
      blobs.add(tar);
      types.add(MediaTypes.OCI_LAYER_TAR);
      return this;
    }

    /**
     * Pushes the image and builds its SOCI index.
     *
     * @param store where to push
     * @param tag the tag
     * @param indexer the index builder (span size, minimum layer size, prefetch paths)
     * @return the image
     * @throws IOException on failure
     */
    public TestImage push(TestStore store, String tag, SociIndexBuilder indexer) throws IOException {
      List<Descriptor> layers = new ArrayList<>();
      StringBuilder diffIds = new StringBuilder();
      for (int i = 0; i < blobs.size(); i++) {
        Descriptor d = Descriptor.of(types.get(i), blobs.get(i));
        store.push(d, blobs.get(i));
        layers.add(d);
        diffIds.append(i == 0 ? "" : ",").append('"').append(Digest.sha256(tars.get(i))).append('"');
      }
      byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
          + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
      Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, config);
      store.push(configDescriptor, config);
      StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
          + "\",\"config\":" + json(configDescriptor) + ",\"layers\":[");
      for (int i = 0; i < layers.size(); i++) {
        m.append(i == 0 ? "" : ",").append(json(layers.get(i)));
      }
      byte[] manifest = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      Descriptor manifestDescriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
      store.push(manifestDescriptor, manifest);
      store.tag(manifestDescriptor, tag);
      List<PlatformIndex> index = indexer.build(store, tag);
      store.resetCounters();
      return new TestImage(store, tag, manifestDescriptor, layers, List.copyOf(tars), List.copyOf(blobs), index);
    }

    private static String json(Descriptor d) {
      return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }
  }
}
