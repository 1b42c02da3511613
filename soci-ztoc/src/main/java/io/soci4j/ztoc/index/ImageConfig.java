package io.soci4j.ztoc.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The parts of an image config the converters read. */
final class ImageConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageConfig() {}

  /**
   * The config's {@code rootfs.diff_ids}: digests of the uncompressed layers, in layer order.
   *
   * @param store where the config is
   * @param config its descriptor
   * @return the diff IDs (empty when the config has none)
   * @throws SociException when the config is not JSON or a diff ID is not a digest
   * @throws IOException when fetching fails
   */
  static List<Digest> diffIds(ImageStore store, Descriptor config) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(store.fetch(config));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SociException("config " + config.digest() + " is not valid JSON: " + e.getOriginalMessage());
    }
    List<Digest> out = new ArrayList<>();
    JsonNode ids = root == null ? null : root.path("rootfs").path("diff_ids");
    if (ids != null && ids.isArray()) {
      for (JsonNode id : ids) {
        try {
          out.add(Digest.parse(id.asText()));
        } catch (IllegalArgumentException e) {
          throw new SociException("config " + config.digest() + " has an invalid diff_id '" + id.asText() + "'");
        }
      }
    }
    return out;
  }
}
