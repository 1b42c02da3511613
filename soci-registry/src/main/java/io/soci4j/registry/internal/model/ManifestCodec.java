package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.ImageConfig;
import io.soci4j.registry.ImageIndex;
import io.soci4j.registry.ImageManifest;
import io.soci4j.registry.InvalidManifestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses and writes manifests, indexes and configs. Classifies documents by content, as the
 * distribution spec asks: the {@code mediaType} field when present (rejected when it contradicts
 * the response's {@code Content-Type}), else a body with {@code manifests} is an index and one with
 * {@code config} a manifest.
 */
public final class ManifestCodec {
  private ManifestCodec() {}

  /**
   * Finds the media type of manifest bytes.
   *
   * @param json the bytes
   * @param contentType the response's Content-Type, or null
   * @param what the document, for messages
   * @return one of the four manifest and index media types
   * @throws InvalidManifestException when the type cannot be told or is contradictory
   */
  public static String detectMediaType(byte[] json, String contentType, String what)
      throws InvalidManifestException {
    return detect(tree(json, what), contentType, what);
  }

  private static JsonNode tree(byte[] json, String what) throws InvalidManifestException {
    try {
      JsonNode node = Json.tree(json);
      if (!node.isObject()) {
        throw new InvalidManifestException(what, "not a JSON object");
      }
      return node;
    } catch (InvalidManifestException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidManifestException(what, "malformed JSON: " + e.getMessage(), e);
    }
  }

  private static String detect(JsonNode node, String contentType, String what) throws InvalidManifestException {
    String declared = contentType == null ? null : baseType(contentType);
    if (node.path("schemaVersion").asInt(2) == 1) {
      throw new InvalidManifestException(what, "Docker schema 1 manifests are not supported");
    }
    JsonNode mt = node.get("mediaType");
    if (mt != null && !mt.isNull()) {
      String field = mt.asText();
      if (!MediaTypes.isManifest(field)) {
        throw new InvalidManifestException(what, "unsupported mediaType '" + field + "'");
      }
      if (declared != null && MediaTypes.isManifest(declared) && !declared.equals(field)) {
        throw new InvalidManifestException(what, "mediaType '" + field + "' contradicts Content-Type '"
            + declared + "'");
      }
      return field;
    }
    if (node.has("manifests")) {
      return declared != null && MediaTypes.isIndex(declared) ? declared : MediaTypes.OCI_INDEX;
    }
    if (node.has("config")) {
      return declared != null && MediaTypes.isManifest(declared) && !MediaTypes.isIndex(declared)
          ? declared : MediaTypes.OCI_MANIFEST;
    }
    throw new InvalidManifestException(what, "neither an image manifest (config) nor an index (manifests)");
  }

  /**
   * @param contentType a Content-Type header value
   * @return it without parameters, lowercased and trimmed
   */
  public static String baseType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /**
   * @param json bytes
   * @param contentType the response's Content-Type, or null
   * @param what the document, for messages
   * @return the manifest
   * @throws InvalidManifestException when the bytes are not an image manifest
   */
  public static ImageManifest parseManifest(byte[] json, String contentType, String what)
      throws InvalidManifestException {
    JsonNode node = tree(json, what);
    String mediaType = detect(node, contentType, what);
    if (MediaTypes.isIndex(mediaType)) {
      throw new InvalidManifestException(what, "is an index (" + mediaType + "), not an image manifest");
    }
    ManifestJson m = convert(node, ManifestJson.class, what);
    if (m.config() == null) {
      throw new InvalidManifestException(what, "config is missing");
    }
    return new ImageManifest(mediaType, m.artifactType(),
        DescriptorMapping.toDescriptor(m.config(), "config", what),
        DescriptorMapping.toDescriptors(m.layers(), "layers", what),
        DescriptorMapping.toDescriptor(m.subject(), "subject", what),
        DescriptorMapping.orEmpty(m.annotations()));
  }

  /**
   * @param json bytes
   * @param contentType the response's Content-Type, or null
   * @param what the document, for messages
   * @return the index
   * @throws InvalidManifestException when the bytes are not an image index
   */
  public static ImageIndex parseIndex(byte[] json, String contentType, String what)
      throws InvalidManifestException {
    JsonNode node = tree(json, what);
    String mediaType = detect(node, contentType, what);
    if (!MediaTypes.isIndex(mediaType)) {
      throw new InvalidManifestException(what, "is an image manifest (" + mediaType + "), not an index");
    }
    IndexJson i = convert(node, IndexJson.class, what);
    return new ImageIndex(mediaType, i.artifactType(),
        DescriptorMapping.toDescriptors(i.manifests(), "manifests", what),
        DescriptorMapping.toDescriptor(i.subject(), "subject", what),
        DescriptorMapping.orEmpty(i.annotations()));
  }

  /**
   * @param json config bytes
   * @return the config
   * @throws InvalidManifestException when os or architecture is missing or a diff id is invalid
   */
  public static ImageConfig parseConfig(byte[] json) throws InvalidManifestException {
    String what = "image config";
    ConfigJson c = convert(tree(json, what), ConfigJson.class, what);
    if (c.os() == null || c.os().isEmpty() || c.architecture() == null || c.architecture().isEmpty()) {
      throw new InvalidManifestException(what, "os or architecture is missing");
    }
    List<Digest> diffIds = new ArrayList<>();
    if (c.rootfs() != null && c.rootfs().diffIds() != null) {
      for (String d : c.rootfs().diffIds()) {
        try {
          diffIds.add(Digest.parse(d));
        } catch (IllegalArgumentException e) {
          throw new InvalidManifestException(what, "rootfs.diff_ids: " + e.getMessage(), e);
        }
      }
    }
    return new ImageConfig(new Platform(c.os(), c.architecture(), c.variant()), diffIds);
  }

  private static <T> T convert(JsonNode node, Class<T> type, String what) throws InvalidManifestException {
    try {
      return Json.convert(node, type);
    } catch (IOException e) {
      throw new InvalidManifestException(what, "unexpected JSON shape: " + e.getMessage(), e);
    }
  }

  /**
   * @param m a manifest
   * @return its JSON bytes
   */
  public static byte[] write(ImageManifest m) {
    return Json.write(new ManifestJson(2, m.mediaType(), emptyToNull(m.artifactType()),
        DescriptorMapping.toJson(m.config()), DescriptorMapping.toJson(m.layers()),
        DescriptorMapping.toJson(m.subject()), m.annotations()));
  }

  /**
   * @param i an index
   * @return its JSON bytes
   */
  public static byte[] write(ImageIndex i) {
    return Json.write(new IndexJson(2, i.mediaType(), emptyToNull(i.artifactType()),
        DescriptorMapping.toJson(i.manifests()), DescriptorMapping.toJson(i.subject()), i.annotations()));
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
