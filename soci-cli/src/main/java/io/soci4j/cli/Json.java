package io.soci4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.soci4j.api.Descriptor;
import io.soci4j.ztoc.index.LayerReport;
import io.soci4j.ztoc.index.PlatformIndex;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** JSON output of the CLI: plain maps and lists through Jackson, indented. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String write(Object value) throws JsonProcessingException {
    return MAPPER.writeValueAsString(value);
  }

  static Map<String, Object> descriptor(Descriptor d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mediaType", d.mediaType());
    m.put("digest", d.digest().toString());
    m.put("size", d.size());
    if (!d.artifactType().isEmpty()) {
      m.put("artifactType", d.artifactType());
    }
    if (d.platform() != null) {
      m.put("platform", d.platform().toString());
    }
    if (!d.annotations().isEmpty()) {
      m.put("annotations", d.annotations());
    }
    return m;
  }

  static Map<String, Object> platformIndex(PlatformIndex p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("platform", p.platform() == null ? null : p.platform().toString());
    m.put("manifest", p.manifest().digest().toString());
    m.put("index", descriptor(p.indexDescriptor()));
    m.put("layers", p.layers().stream().map(Json::report).toList());
    return m;
  }

  static Map<String, Object> report(LayerReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layer", r.layer().digest().toString());
    m.put("mediaType", r.layer().mediaType());
    m.put("size", r.layer().size());
    m.put("status", r.status().name().toLowerCase(Locale.ROOT));
    if (!r.reason().isEmpty()) {
      m.put("reason", r.reason());
    }
    if (r.ztoc() != null) {
      m.put("ztoc", r.ztoc().digest().toString());
    }
    return m;
  }
}
