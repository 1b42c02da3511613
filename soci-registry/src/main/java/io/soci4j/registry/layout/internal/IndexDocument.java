package io.soci4j.registry.layout.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A layout's {@code index.json} (an OCI image index), edited as a JSON tree so that fields this
 * store does not model (platform, urls, other annotations, unknown fields) survive every write.
 *
 * <p>Tags follow containers/image (skopeo): one descriptor per tag, carrying the tag in the
 * {@code org.opencontainers.image.ref.name} annotation. Moving a tag strips the annotation from
 * the old descriptor, which stays as an untagged entry (dropped when it has no other annotations
 * and another entry lists the same digest); an untagged entry of the newly tagged digest is replaced by the tagged one.
 */
public final class IndexDocument {
  /** The annotation that carries a tag in {@code index.json}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final ObjectNode root;
  private final ArrayNode manifests;

  private IndexDocument(ObjectNode root, ArrayNode manifests) {
    this.root = root;
    this.manifests = manifests;
  }

  /** {@return an empty index: schema version 2, the OCI index media type, no manifests} */
  public static IndexDocument empty() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    return new IndexDocument(root, root.putArray("manifests"));
  }

  /**
   * Parses {@code index.json}.
   *
   * @param json its bytes
   * @param where the file, for error messages
   * @return the document
   * @throws SociException when it is not a JSON object with a {@code manifests} array
   */
  public static IndexDocument parse(byte[] json, String where) throws SociException {
    JsonNode node;
    try {
      node = Json.tree(json);
    } catch (JacksonException e) {
      throw new SociException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SociException(where + " could not be parsed: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode root)) {
      throw new SociException(where + " is not a JSON object");
    }
    JsonNode manifests = root.get("manifests");
    if (manifests == null || manifests.isNull()) {
      return new IndexDocument(root, root.putArray("manifests"));
    }
    if (!(manifests instanceof ArrayNode array)) {
      throw new SociException(where + ": 'manifests' is not an array");
    }
    IndexDocument doc = new IndexDocument(root, array);
    doc.entries(where);
    return doc;
  }

  /**
   * The entries the store can address: descriptors with a media type, a sha256 digest and a
   * size. Others (other digest algorithms) are kept in the file but not listed.
   *
   * @param where the file, for error messages
   * @return the entries in file order
   * @throws SociException when a descriptor lacks media type, digest or size
   */
  public List<IndexEntry> entries(String where) throws SociException {
    List<IndexEntry> out = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      JsonNode d = manifests.get(i);
      JsonNode mediaType = d.get("mediaType");
      JsonNode digest = d.get("digest");
      JsonNode size = d.get("size");
      if (mediaType == null || !mediaType.isTextual() || digest == null || !digest.isTextual() || size == null
          || !size.canConvertToLong() || !size.isIntegralNumber()) {
        throw new SociException(where + ": manifests[" + i + "] needs a mediaType, a digest and a size, got " + d);
      }
      if (!digest.asText().startsWith(Digest.SHA256 + ":")) {
        continue;
      }
      Digest parsed;
      try {
        parsed = Digest.parse(digest.asText());
      } catch (IllegalArgumentException e) {
        throw new SociException(where + ": manifests[" + i + "] has an invalid digest: " + e.getMessage(), e);
      }
      out.add(new IndexEntry(mediaType.asText(), parsed, size.asLong(), refName(d)));
    }
    return out;
  }

  /**
   * Points {@code tag} at {@code manifest} (see the class comment for how entries move).
   *
   * @param manifest media type, digest and size of the manifest
   * @param tag the tag
   * @return whether the document changed
   */
  public boolean tag(Descriptor manifest, String tag) {
    String digest = manifest.digest().toString();
    for (JsonNode d : manifests) {
      if (tag.equals(refName(d)) && digest.equals(d.path("digest").asText())
          && manifest.mediaType().equals(d.path("mediaType").asText())) {
        return false;
      }
    }
    untag(tag);
    ObjectNode entry = descriptor(manifest);
    entry.putObject("annotations").put(REF_NAME, tag);
    for (int i = 0; i < manifests.size(); i++) {
      JsonNode d = manifests.get(i);
      if (digest.equals(d.path("digest").asText()) && refName(d).isEmpty()) {
        manifests.set(i, entry);
        return true;
      }
    }
    manifests.add(entry);
    return true;
  }

  /**
   * Lists a manifest without a tag, unless some entry lists its digest already.
   *
   * @param manifest media type, digest and size of the manifest
   * @return whether the document changed
   */
  public boolean addUntagged(Descriptor manifest) {
    if (lists(manifest.digest().toString())) {
      return false;
    }
    manifests.add(descriptor(manifest));
    return true;
  }

  /** {@return the document as JSON bytes} */
  public byte[] toBytes() {
    return Json.write(root);
  }

  private void untag(String tag) {
    for (Iterator<JsonNode> it = manifests.iterator(); it.hasNext(); ) {
      JsonNode d = it.next();
      if (!tag.equals(refName(d))) {
        continue;
      }
      ObjectNode annotations = (ObjectNode) d.get("annotations");
      annotations.remove(REF_NAME);
      if (annotations.isEmpty()) {
        ((ObjectNode) d).remove("annotations");
        if (listedElsewhere(d, d.path("digest").asText())) {
          it.remove();
        }
      }
    }
  }

  private boolean lists(String digest) {
    for (JsonNode d : manifests) {
      if (digest.equals(d.path("digest").asText())) {
        return true;
      }
    }
    return false;
  }

  private boolean listedElsewhere(JsonNode self, String digest) {
    for (JsonNode d : manifests) {
      if (d != self && digest.equals(d.path("digest").asText())) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode descriptor(Descriptor manifest) {
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("mediaType", manifest.mediaType());
    entry.put("digest", manifest.digest().toString());
    entry.put("size", manifest.size());
    return entry;
  }

  private static String refName(JsonNode descriptor) {
    JsonNode annotations = descriptor.get("annotations");
    if (annotations == null || !annotations.isObject()) {
      return "";
    }
    JsonNode name = annotations.get(REF_NAME);
    return name != null && name.isTextual() ? name.asText() : "";
  }
}
