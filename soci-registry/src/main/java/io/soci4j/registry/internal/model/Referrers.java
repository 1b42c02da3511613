package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.ImageIndex;
import io.soci4j.registry.ImageManifest;
import io.soci4j.registry.InvalidManifestException;
import io.soci4j.registry.ManifestContent;
import java.io.IOException;
import java.util.Optional;

/**
 * The referrers side of manifests: the fallback tag schema, the descriptor a referrers index lists
 * for a manifest, and appending to a fallback index without losing fields soci4j does not model.
 */
public final class Referrers {
  private Referrers() {}

  /**
   * @param subject a subject digest
   * @return its fallback tag, {@code <alg>-<hex>} (spec "Referrers Tag Schema")
   */
  public static String fallbackTag(Digest subject) {
    return subject.algorithm() + "-" + subject.hex();
  }

  /**
   * A manifest or index with a subject, as a referrers listing describes it.
   *
   * @param subject the subject descriptor
   * @param referrer the referrer: media type, digest, size, artifact type (its own, else a
   *     manifest's config media type) and all its annotations
   */
  public record Reference(Descriptor subject, Descriptor referrer) {}

  /**
   * @param content a manifest or index
   * @return its subject and referrer descriptor, or empty when it has no subject
   * @throws InvalidManifestException when it cannot be parsed
   */
  public static Optional<Reference> of(ManifestContent content) throws InvalidManifestException {
    Descriptor d = content.descriptor();
    Descriptor subject;
    String artifactType;
    java.util.Map<String, String> annotations;
    if (content.isIndex()) {
      ImageIndex i = content.asImageIndex();
      subject = i.subject();
      artifactType = i.artifactType();
      annotations = i.annotations();
    } else {
      ImageManifest m = content.asImageManifest();
      subject = m.subject();
      artifactType = m.effectiveArtifactType();
      annotations = m.annotations();
    }
    if (subject == null) {
      return Optional.empty();
    }
    return Optional.of(new Reference(subject, Descriptor.of(d.mediaType(), d.digest(), d.size())
        .withArtifactType(artifactType).withAnnotations(annotations)));
  }

  /**
   * Appends a descriptor to an existing fallback index, keeping every other field as it is.
   *
   * @param existing the index bytes, or null to start an empty OCI index
   * @param referrer the descriptor to add
   * @return the new index bytes
   * @throws InvalidManifestException when the existing bytes are not an OCI image index
   */
  public static byte[] append(byte[] existing, Descriptor referrer) throws InvalidManifestException {
    ObjectNode root;
    if (existing == null) {
      root = JsonNodeFactory.instance.objectNode();
      root.put("schemaVersion", 2);
      root.put("mediaType", MediaTypes.OCI_INDEX);
      root.putArray("manifests");
    } else {
      try {
        JsonNode tree = Json.tree(existing);
        if (!(tree instanceof ObjectNode o) || !(o.get("manifests") instanceof ArrayNode)) {
          throw new InvalidManifestException("fallback referrers index", "not an image index");
        }
        root = o;
      } catch (IOException e) {
        throw new InvalidManifestException("fallback referrers index", "malformed JSON", e);
      }
    }
    ((ArrayNode) root.get("manifests")).add(Json.toTree(DescriptorMapping.toJson(referrer)));
    return Json.write(root);
  }
}
