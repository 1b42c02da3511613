package io.soci4j.ztoc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Puts {@link V2Vectors} blobs into a store byte-exact, and reads files of their layers. */
public final class V2Registry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private V2Registry() {}

  /**
   * Pushes blobs byte-exact: plain blobs first, then manifests, each after the manifests it
   * lists (a registry checks that an index's children exist), typed as their referrers name them.
   *
   * @param store where to
   * @param digests the vector blobs
   * @throws IOException on failure
   */
  public static void pushAll(ImageStore store, List<Digest> digests) throws IOException {
    Map<Digest, JsonNode> manifests = new LinkedHashMap<>();
    Map<Digest, String> types = new HashMap<>();
    for (Digest d : digests) {
      JsonNode doc = json(V2Vectors.blob(d));
      if (isManifest(doc)) {
        manifests.put(d, doc);
        for (String list : List.of("manifests", "layers")) {
          doc.path(list).forEach(e -> types.put(Digest.parse(e.get("digest").asText()), e.get("mediaType").asText()));
        }
      } else {
        store.push(Descriptor.of(MediaTypes.ZTOC, V2Vectors.blob(d)), V2Vectors.blob(d));
      }
    }
    while (!manifests.isEmpty()) {
      boolean progress = false;
      for (var it = manifests.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        boolean ready = true;
        for (JsonNode child : e.getValue().path("manifests")) {
          ready &= !manifests.containsKey(Digest.parse(child.get("digest").asText()));
        }
        if (ready) {
          String type = e.getValue().path("mediaType").asText(types.getOrDefault(e.getKey(),
              e.getValue().has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST));
          byte[] bytes = V2Vectors.blob(e.getKey());
          store.push(Descriptor.of(type, bytes), bytes);
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        throw new IllegalStateException("vector manifests refer to each other in a loop");
      }
    }
  }

  /** {@return whether a blob parsed as JSON is a manifest or an index} */
  public static boolean isManifest(JsonNode doc) {
    return doc != null && doc.isObject() && (doc.has("manifests") || (doc.has("config") && doc.has("layers")));
  }

  /** {@return the blob parsed as JSON, or null when it is not JSON} */
  public static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * A regular file of the topmost layer that has one, and its bytes from the layer's tar.
   *
   * @param store where the layers are
   * @param layers an image's layers, in order
   * @return the path (without a leading {@code ./}) and the bytes
   * @throws IOException on failure
   */
  public static Map.Entry<String, byte[]> topmostFile(ImageStore store, List<Descriptor> layers) throws IOException {
    for (int i = layers.size() - 1; i >= 0; i--) {
      Descriptor layer = layers.get(i);
      InputStream in = new ByteArrayInputStream(store.fetch(layer));
      if (layer.mediaType().endsWith("gzip")) {
        in = new GZIPInputStream(in);
      } else if (layer.mediaType().endsWith("zstd")) {
        in = new ZstdInputStream(in);
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
          if (e.isFile() && !name.contains(".wh.") && e.getSize() > 0) {
            return Map.entry(name, tar.readAllBytes());
          }
        }
      }
    }
    throw new IllegalStateException("no layer with a regular file");
  }
}
