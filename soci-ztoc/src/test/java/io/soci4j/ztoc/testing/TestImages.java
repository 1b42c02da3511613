package io.soci4j.ztoc.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.ztoc.internal.json.GoJsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes OCI images (config, layers, manifest, optional multi-platform index) into a store. */
public final class TestImages {
  private TestImages() {}

  /** A layer to put in an image: its media type and blob. */
  public record LayerBlob(String mediaType, byte[] blob) {
    public Descriptor descriptor() {
      return Descriptor.of(mediaType, blob);
    }
  }

  /** Pushes a single-platform image and returns its manifest descriptor (with platform). */
  public static Descriptor pushManifest(ImageStore store, Platform platform, List<LayerBlob> layers) throws IOException {
    return pushManifest(store, platform, layers, List.of());
  }

  /** Pushes a single-platform image whose config lists these diff IDs. */
  public static Descriptor pushManifest(ImageStore store, Platform platform, List<LayerBlob> layers,
      List<Digest> diffIds) throws IOException {
    String ids = String.join(",", diffIds.stream().map(d -> "\"" + d + "\"").toList());
    byte[] config = ("{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os() + "\""
        + (platform.variant().isEmpty() ? "" : ",\"variant\":\"" + platform.variant() + "\"")
        + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}").getBytes(StandardCharsets.UTF_8);
    Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, config);
    store.push(configDesc, config);
    List<Descriptor> descriptors = new ArrayList<>();
    for (LayerBlob l : layers) {
      store.push(l.descriptor(), l.blob());
      descriptors.add(l.descriptor());
    }
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(2).name("mediaType").value(MediaTypes.OCI_MANIFEST);
    w.name("config").value(configDesc).name("layers").value(descriptors);
    byte[] manifest = w.endObject().toBytes();
    Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
    store.push(d, manifest);
    return d.withPlatform(platform);
  }

  /** Pushes an image index of manifests (with their platforms) and returns its descriptor. */
  public static Descriptor pushIndex(ImageStore store, List<Descriptor> manifests) throws IOException {
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(2).name("mediaType").value(MediaTypes.OCI_INDEX).name("manifests").value(manifests);
    byte[] index = w.endObject().toBytes();
    Descriptor d = Descriptor.of(MediaTypes.OCI_INDEX, index);
    store.push(d, index);
    return d;
  }
}
