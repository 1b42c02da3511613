package io.soci4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci inspect}: manifest digest, platforms, layers and referrers of an image. */
@Command(name = "inspect", description = "Show an image: manifest digest, platforms, the chosen platform's layers "
    + "(digest, size, media type) and the referrers of its manifest.")
final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<ref>].")
  String ref;

  @Override
  public Integer call() throws Exception {
    try (StoreOptions.Opened image = store.open(ref)) {
      ImageStore s = image.store();
      Descriptor top = s.resolve(image.reference());
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("reference", ref);
      result.put("digest", top.digest().toString());
      result.put("mediaType", top.mediaType());
      Descriptor manifest = top;
      List<Map<String, Object>> platforms = new ArrayList<>();
      if (MediaTypes.isIndex(top.mediaType())) {
        Platform wanted = store.platform();
        manifest = null;
        for (JsonNode m : MAPPER.readTree(s.fetch(top)).path("manifests")) {
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("digest", m.path("digest").asText());
          p.put("mediaType", m.path("mediaType").asText());
          p.put("platform", platformText(m.path("platform")));
          if (m.hasNonNull("artifactType")) {
            p.put("artifactType", m.path("artifactType").asText());
          }
          platforms.add(p);
          if (manifest == null && !m.hasNonNull("artifactType") && m.path("platform").isObject()
              && wanted.matches(Platform.parse(platformText(m.path("platform"))))) {
            manifest = Descriptor.of(m.path("mediaType").asText(), Digest.parse(m.path("digest").asText()),
                m.path("size").asLong());
          }
        }
        result.put("platforms", platforms);
        if (manifest == null) {
          throw new io.soci4j.api.ContentNotFoundException("manifest for platform " + wanted + " in " + ref);
        }
        result.put("manifest", manifest.digest().toString());
      }
      JsonNode doc = MAPPER.readTree(s.fetch(manifest));
      List<Map<String, Object>> layers = new ArrayList<>();
      for (JsonNode l : doc.path("layers")) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", l.path("digest").asText());
        m.put("size", l.path("size").asLong());
        m.put("mediaType", l.path("mediaType").asText());
        layers.add(m);
      }
      result.put("config", doc.path("config").path("digest").asText());
      result.put("layers", layers);
      result.put("referrers", s.referrers(manifest.digest(), "").stream().map(Json::descriptor).toList());
      print(result, platforms, layers);
    }
    return 0;
  }

  private void print(Map<String, Object> result, List<Map<String, Object>> platforms, List<Map<String, Object>> layers)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(result));
      return;
    }
    out.printf(Locale.ROOT, "digest:     %s (%s)%n", result.get("digest"), result.get("mediaType"));
    for (Map<String, Object> p : platforms) {
      out.printf(Locale.ROOT, "platform:   %-16s %s%s%n", p.get("platform"), p.get("digest"),
          p.containsKey("artifactType") ? " " + p.get("artifactType") : "");
    }
    if (result.containsKey("manifest")) {
      out.printf(Locale.ROOT, "manifest:   %s%n", result.get("manifest"));
    }
    out.printf(Locale.ROOT, "config:     %s%n", result.get("config"));
    for (Map<String, Object> l : layers) {
      out.printf(Locale.ROOT, "layer:      %s %12d %s%n", l.get("digest"), l.get("size"), l.get("mediaType"));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> refs = (List<Map<String, Object>>) result.get("referrers");
    for (Map<String, Object> r : refs) {
      out.printf(Locale.ROOT, "referrer:   %s %s%n", r.get("digest"), r.getOrDefault("artifactType", ""));
    }
  }

  private static String platformText(JsonNode p) {
    String os = p.path("os").asText("");
    String arch = p.path("architecture").asText("");
    String variant = p.path("variant").asText("");
    return os.isEmpty() ? "" : os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
  }
}
