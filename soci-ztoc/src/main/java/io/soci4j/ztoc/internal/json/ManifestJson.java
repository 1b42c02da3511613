package io.soci4j.ztoc.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image manifest or index the SOCI index code needs, read from the raw bytes
 * (OCI and Docker schema 2 shapes; unknown fields ignored).
 *
 * @param mediaType media type, from the descriptor the bytes were fetched with
 * @param config config descriptor (manifests), or null
 * @param layers layer descriptors (manifests)
 * @param manifests child manifest descriptors with platforms (indexes)
 * @param annotations annotations
 * @param root the parsed document, for callers that rewrite it
 */
public record ManifestJson(String mediaType, Descriptor config, List<Descriptor> layers, List<Descriptor> manifests,
    Map<String, String> annotations, JsonNode root) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses a manifest or index.
   *
   * @param descriptor the descriptor it was fetched with (its media type decides the shape)
   * @param bytes the raw bytes
   * @return the parts
   * @throws SociException when the document is malformed
   */
  public static ManifestJson parse(Descriptor descriptor, byte[] bytes) throws SociException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new SociException("manifest " + descriptor.digest() + " is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SociException("manifest " + descriptor.digest() + " is not a JSON object");
    }
    String where = "manifest " + descriptor.digest() + ": ";
    try {
      String mediaType = root.path("mediaType").asText(descriptor.mediaType());
      if (MediaTypes.isIndex(mediaType) || root.has("manifests")) {
        return new ManifestJson(mediaType, null, List.of(),
            OciJson.descriptors(root.get("manifests"), "manifests"), OciJson.stringMap(root.get("annotations"),
            "annotations"), root);
      }
      return new ManifestJson(mediaType, OciJson.descriptor(root.get("config"), "config"),
          OciJson.descriptors(root.get("layers"), "layers"), List.of(),
          OciJson.stringMap(root.get("annotations"), "annotations"), root);
    } catch (SociException e) {
      throw new SociException(where + e.getMessage());
    }
  }

  /** {@return whether this is an index of manifests} */
  public boolean isIndex() {
    return config == null;
  }
}
