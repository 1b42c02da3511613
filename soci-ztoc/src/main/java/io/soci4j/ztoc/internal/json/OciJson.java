package io.soci4j.ztoc.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads OCI descriptors and string maps from parsed JSON, with messages naming the field. */
public final class OciJson {
  private OciJson() {}

  /**
   * @param node a descriptor object
   * @param field its path, for messages
   * @return the descriptor
   * @throws SociException when a required member is missing or invalid
   */
  public static Descriptor descriptor(JsonNode node, String field) throws SociException {
    if (node == null || !node.isObject()) {
      throw new SociException(field + ": want a descriptor object");
    }
    String mediaType = node.path("mediaType").asText("");
    if (mediaType.isEmpty()) {
      throw new SociException(field + ".mediaType is missing");
    }
    Digest digest;
    try {
      digest = Digest.parse(node.path("digest").asText(""));
    } catch (IllegalArgumentException e) {
      throw new SociException(field + ".digest: " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
      throw new SociException(field + ".size is missing or negative");
    }
    Platform platform = null;
    JsonNode p = node.get("platform");
    if (p != null && p.isObject()) {
      platform = platform(p, field + ".platform");
    }
    return new Descriptor(mediaType, digest, size.asLong(), stringMap(node.get("annotations"), field + ".annotations"),
        node.path("artifactType").asText(""), platform, strings(node.get("urls"), field + ".urls"),
        data(node.get("data"), field + ".data"));
  }

  /**
   * @param p a platform object
   * @param field its path
   * @return the platform (os, architecture, variant, os.version, os.features)
   * @throws SociException when os or architecture is missing or a member has the wrong type
   */
  public static Platform platform(JsonNode p, String field) throws SociException {
    try {
      return new Platform(text(p.get("os"), field + ".os"), text(p.get("architecture"), field + ".architecture"),
          text(p.get("variant"), field + ".variant"), text(p.get("os.version"), field + ".os.version"),
          strings(p.get("os.features"), field + ".os.features"));
    } catch (IllegalArgumentException e) {
      throw new SociException(field + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) throws SociException {
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw new SociException(field + ": want a string");
    }
    return node.asText();
  }

  private static List<String> strings(JsonNode node, String field) throws SociException {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new SociException(field + ": want an array of strings");
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(text(node.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  /** The {@code data} member re-encoded as Go writes a {@code []byte}: standard base64, padded. */
  private static String data(JsonNode node, String field) throws SociException {
    String text = text(node, field);
    if (text.isEmpty()) {
      return "";
    }
    try {
      byte[] bytes = java.util.Base64.getDecoder().decode(text.replace("\r", "").replace("\n", ""));
      return java.util.Base64.getEncoder().encodeToString(bytes);
    } catch (IllegalArgumentException e) {
      throw new SociException(field + ": not base64: " + e.getMessage());
    }
  }

  /**
   * @param node an array of descriptors
   * @param field its path
   * @return the descriptors
   * @throws SociException when it is not an array of valid descriptors
   */
  public static List<Descriptor> descriptors(JsonNode node, String field) throws SociException {
    List<Descriptor> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new SociException(field + ": want an array");
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(descriptor(node.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  /**
   * @param node an object of strings, or null
   * @param field its path
   * @return the map (empty for null)
   * @throws SociException when a value is not a string
   */
  public static Map<String, String> stringMap(JsonNode node, String field) throws SociException {
    Map<String, String> out = new TreeMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new SociException(field + ": want an object of strings");
    }
    for (var e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new SociException(field + "." + e.getKey() + ": want a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
