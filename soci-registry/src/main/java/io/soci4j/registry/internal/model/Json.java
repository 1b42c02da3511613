package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one Jackson configuration of soci-registry: unknown fields ignored, duplicate keys and
 * trailing tokens rejected (two parsers must not see two different documents). Immutable after
 * class initialisation, so sharing it is safe.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /**
   * @param json bytes
   * @return the tree
   * @throws IOException when the bytes are not one JSON document
   */
  public static JsonNode tree(byte[] json) throws IOException {
    JsonNode node = MAPPER.readTree(json);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty document");
    }
    return node;
  }

  /**
   * @param json bytes
   * @param type the target type
   * @param <T> the type
   * @return the value
   * @throws IOException when the bytes do not map to the type
   */
  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  /**
   * @param tree a parsed tree
   * @param type the target type
   * @param <T> the type
   * @return the value
   * @throws IOException when the tree does not map to the type
   */
  public static <T> T convert(JsonNode tree, Class<T> type) throws IOException {
    return MAPPER.treeToValue(tree, type);
  }

  /**
   * @param value a DTO
   * @return its JSON bytes
   */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * @param value a DTO
   * @return it as a tree
   */
  public static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }
}
