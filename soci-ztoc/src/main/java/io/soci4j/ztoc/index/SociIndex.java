package io.soci4j.ztoc.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.internal.json.GoJsonWriter;
import io.soci4j.ztoc.internal.json.OciJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A SOCI index: an OCI image manifest whose layers are the zTOCs of one image manifest (then any
 * prefetch artifacts), serialized byte for byte as upstream soci-snapshotter does (SOCI format
 * spec §4): {@code {"schemaVersion":2,"mediaType":...,"config":{...},"layers":[...],
 * "subject":{...},"annotations":{...}}}, no whitespace, Go's escaping.
 *
 * @param version v1 (with subject) or v2 (without)
 * @param layers zTOC descriptors in image layer order, then prefetch artifacts
 * @param subject the image manifest a v1 index belongs to (media type, digest, size); null for v2
 * @param annotations index annotations (the build tool identifier)
 */
public record SociIndex(IndexVersion version, List<Descriptor> layers, Descriptor subject,
    Map<String, String> annotations) {

  /** The two bytes of every SOCI index config blob. */
  public static final byte[] CONFIG_BYTES = "{}".getBytes(StandardCharsets.US_ASCII);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Validates and copies.
   *
   * @param version see the record component
   * @param layers see the record component
   * @param subject see the record component
   * @param annotations see the record component
   */
  public SociIndex {
    Objects.requireNonNull(version, "version");
    layers = List.copyOf(layers);
    annotations = new TreeMap<>(annotations);
    if (version == IndexVersion.V1 && subject == null) {
      throw new IllegalArgumentException("a v1 SOCI index needs a subject");
    }
    if (version == IndexVersion.V2 && subject != null) {
      throw new IllegalArgumentException("a v2 SOCI index has no subject");
    }
    if (subject != null) {
      subject = Descriptor.of(subject.mediaType(), subject.digest(), subject.size());
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a SOCI index lists at least one zTOC");
    }
  }

  /** {@return the config descriptor: the {@code {}} blob typed with the artifact type} */
  public Descriptor config() {
    return Descriptor.of(version.artifactType(), Digest.sha256(CONFIG_BYTES), CONFIG_BYTES.length);
  }

  /** {@return the zTOC descriptors, in image layer order} */
  public List<Descriptor> ztocs() {
    return layers.stream().filter(d -> d.mediaType().equals(MediaTypes.ZTOC)).toList();
  }

  /** {@return the manifest JSON, as upstream writes it} */
  public byte[] toJson() {
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(2);
    w.name("mediaType").value(MediaTypes.OCI_MANIFEST);
    w.name("config").value(config());
    w.name("layers").value(layers);
    if (subject != null) {
      w.name("subject").value(subject);
    }
    if (!annotations.isEmpty()) {
      w.name("annotations").value(annotations);
    }
    return w.endObject().toBytes();
  }

  /** {@return the descriptor of {@link #toJson()}, with the artifact type set} */
  public Descriptor descriptor() {
    return Descriptor.of(MediaTypes.OCI_MANIFEST, toJson()).withArtifactType(version.artifactType());
  }

  /**
   * Parses and checks a SOCI index manifest.
   *
   * @param json the manifest bytes
   * @return the index
   * @throws SociException when it is not a SOCI index (names what is wrong)
   */
  public static SociIndex parse(byte[] json) throws SociException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new SociException("SOCI index is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SociException("SOCI index is not a JSON object");
    }
    if (root.path("schemaVersion").asInt() != 2) {
      throw new SociException("SOCI index schemaVersion is " + root.path("schemaVersion") + ", want 2");
    }
    Descriptor config = OciJson.descriptor(root.get("config"), "config");
    IndexVersion version = IndexVersion.fromArtifactType(config.mediaType());
    if (version == null) {
      throw new SociException("not a SOCI index: config media type is '" + config.mediaType() + "'");
    }
    List<Descriptor> layers = OciJson.descriptors(root.get("layers"), "layers");
    Descriptor subject = root.hasNonNull("subject") ? OciJson.descriptor(root.get("subject"), "subject") : null;
    try {
      return new SociIndex(version, layers, subject, OciJson.stringMap(root.get("annotations"), "annotations"));
    } catch (IllegalArgumentException e) {
      throw new SociException("invalid SOCI index: " + e.getMessage());
    }
  }
}
