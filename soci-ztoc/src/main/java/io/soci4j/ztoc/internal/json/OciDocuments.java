package io.soci4j.ztoc.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import java.util.List;
import java.util.Map;

/**
 * Image manifests and indexes serialized as image-spec v1.1's Go structs are by {@code
 * encoding/json}: {@code schemaVersion, mediaType, artifactType, config, layers, subject,
 * annotations} for a manifest and {@code schemaVersion, mediaType, artifactType, manifests,
 * subject, annotations} for an index; members the structs do not know are dropped, a missing
 * {@code layers} or {@code manifests} is written {@code null} (those members have no {@code
 * omitempty}).
 */
public final class OciDocuments {
  private OciDocuments() {}

  /**
   * A manifest re-serialized with OCI media types for itself and its config (upstream's
   * conversion does this to every image manifest of an index), with these layers and annotations.
   *
   * @param m the parsed manifest
   * @param layers its layers (the parsed ones, or rewritten ones)
   * @param annotations its annotations
   * @return the JSON bytes
   * @throws SociException when the subject is malformed
   */
  public static byte[] ociManifest(ManifestJson m, List<Descriptor> layers, Map<String, String> annotations)
      throws SociException {
    JsonNode root = m.root();
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(root.path("schemaVersion").asLong(0));
    w.name("mediaType").value(MediaTypes.OCI_MANIFEST);
    String artifactType = root.path("artifactType").asText("");
    if (!artifactType.isEmpty()) {
      w.name("artifactType").value(artifactType);
    }
    w.name("config").value(m.config().withMediaType(MediaTypes.OCI_CONFIG));
    w.name("layers");
    if (root.hasNonNull("layers") || !layers.isEmpty()) {
      w.value(layers);
    } else {
      w.nullValue();
    }
    subjectAndAnnotations(w, root, annotations);
    return w.endObject().toBytes();
  }

  /**
   * An image index as Go writes {@code ocispec.Index}.
   *
   * @param schemaVersion its schema version
   * @param artifactType its artifact type, or empty
   * @param manifests its entries
   * @param source the document it was read from (for {@code subject}), or null for a new index
   * @param annotations its annotations
   * @return the JSON bytes
   * @throws SociException when the subject is malformed
   */
  public static byte[] ociIndex(long schemaVersion, String artifactType, List<Descriptor> manifests, JsonNode source,
      Map<String, String> annotations) throws SociException {
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(schemaVersion);
    w.name("mediaType").value(MediaTypes.OCI_INDEX);
    if (!artifactType.isEmpty()) {
      w.name("artifactType").value(artifactType);
    }
    w.name("manifests").value(manifests);
    subjectAndAnnotations(w, source, annotations);
    return w.endObject().toBytes();
  }

  private static void subjectAndAnnotations(GoJsonWriter w, JsonNode root, Map<String, String> annotations)
      throws SociException {
    if (root != null && root.hasNonNull("subject")) {
      w.name("subject").value(OciJson.descriptor(root.get("subject"), "subject"));
    }
    if (!annotations.isEmpty()) {
      w.name("annotations").value(annotations);
    }
  }
}
