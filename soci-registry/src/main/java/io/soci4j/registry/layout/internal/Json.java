package io.soci4j.registry.layout.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of the storage implementations (thread-safe once configured). */
public final class Json {
  /** Lenient on unknown fields: OCI documents carry fields we do not model. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}
}
