package io.soci4j.ztoc.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.internal.json.ManifestJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The image a conversion starts from, as upstream's {@code newOciIndex} loads it: an index (or
 * Docker manifest list) with its entries, schema version, artifact type, subject and annotations;
 * or a single manifest, given its config's normalized platform and wrapped as the only entry of a
 * new index.
 *
 * @param target the image's descriptor (a manifest carries its config's platform)
 * @param entries the entries of the index to write, before conversion
 * @param root the parsed index, or null for a single manifest
 */
record SourceImage(Descriptor target, List<Descriptor> entries, JsonNode root, Map<String, String> annotations) {

  static SourceImage load(ImageStore store, String reference) throws IOException {
    Descriptor image = store.resolve(reference);
    if (MediaTypes.isIndex(image.mediaType())) {
      ManifestJson index = ManifestJson.parse(image, store.fetch(image));
      if (!index.isIndex()) {
        throw new SociException("image " + image.digest() + " is typed " + image.mediaType()
            + " but holds an image manifest");
      }
      return new SourceImage(image, index.manifests(), index.root(), index.annotations());
    }
    if (!MediaTypes.isManifest(image.mediaType())) {
      throw new SociException("'" + reference + "' (" + image.digest() + ") is a " + image.mediaType()
          + ", not an image manifest or index");
    }
    ManifestJson m = SociConverter.imageManifest(store, image);
    Descriptor target = image.withPlatform(ImagePlatforms.ofConfig(store, image, m.config()));
    return new SourceImage(target, List.of(target), null, Map.of());
  }

  boolean isIndex() {
    return root != null;
  }

  /** {@return the schema version to write: the index's, or 2 for a new index} */
  long schemaVersion() {
    return root == null ? 2 : root.path("schemaVersion").asLong(0);
  }

  /** {@return the index's artifact type, or empty} */
  String artifactType() {
    return root == null ? "" : root.path("artifactType").asText("");
  }
}
