package io.soci4j.ztoc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Digest;
import io.soci4j.api.Platform;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The golden SOCI index v2 vectors ({@code ../shared/testdata/v2}, see its README): upstream's
 * {@code soci convert} run on small OCI layouts, with the flags and every blob it produced. Found
 * as {@link GoldenVectors} finds the zTOC vectors; missing vectors fail the tests.
 */
public final class V2Vectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private V2Vectors() {}

  /** One case of {@code cases.json}. */
  public record Case(String name, JsonNode json) {
    /** {@return upstream's flags} */
    public List<String> flags() {
      List<String> out = new ArrayList<>();
      json.get("flags").forEach(f -> out.add(f.asText()));
      return out;
    }

    /** {@return the expected top index digest, or null for an error case} */
    public Digest expectedIndex() {
      JsonNode e = json.path("expected").path("image_index");
      return e.isMissingNode() ? null : Digest.parse(e.get("digest").asText());
    }

    /** {@return the expected top index size} */
    public long expectedIndexSize() {
      return json.path("expected").path("image_index").path("size").asLong();
    }

    /** {@return upstream's error message, or null} */
    public String expectedError() {
      JsonNode e = json.path("expected_error");
      return e.isMissingNode() ? null : e.get("message").asText();
    }

    /** {@return the digests of the input layout's blobs} */
    public List<Digest> inputBlobs() {
      List<Digest> out = new ArrayList<>();
      json.path("input").get("blobs").forEach(b -> out.add(Digest.parse(b.asText())));
      return out;
    }

    /** {@return the input root's digest} */
    public Digest root() {
      return Digest.parse(json.path("input").path("root").get("digest").asText());
    }

    /** {@return every new blob upstream writes that is reachable from the top index} */
    public List<Digest> reachableNewBlobs() {
      List<Digest> out = new ArrayList<>();
      json.path("expected").path("blobs_by_kind").forEach(kind -> kind.forEach(b -> {
        if (b.path("reachable").asBoolean() && b.path("new").asBoolean()) {
          out.add(Digest.parse(b.get("digest").asText()));
        }
      }));
      return out;
    }

    /** {@return the case's input directory ({@code oci-layout} and {@code index.json})} */
    public Path inputDir() {
      return dir().resolve(json.path("input").get("dir").asText());
    }

    /** {@return upstream's output {@code index.json}, or null for an error case} */
    public Path expectedLayoutIndex() {
      Path p = dir().resolve(name).resolve("out").resolve("index.json");
      return Files.isRegularFile(p) ? p : null;
    }

    /**
     * Writes the input OCI layout: {@code oci-layout}, {@code index.json} and exactly the
     * input's blobs.
     *
     * @param layout an empty or missing directory
     * @return the directory
     */
    public Path writeInput(Path layout) {
      try {
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.copy(inputDir().resolve("oci-layout"), layout.resolve("oci-layout"));
        Files.copy(inputDir().resolve("index.json"), layout.resolve("index.json"));
        for (JsonNode d : json.path("input").get("blobs")) {
          Digest digest = Digest.parse(d.asText());
          Files.write(layout.resolve("blobs/sha256/" + digest.hex()), blob(digest));
        }
        return layout;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The builder upstream's flags describe, with this build tool identifier; without a platform
     * flag an index converts linux/amd64, the host the vectors were made on.
     *
     * @return the builder
     */
    public SociIndexBuilder builder() {
      SociIndexBuilder b = SociIndexBuilder.create().withBuildToolIdentifier(GoldenVectors.TOOL);
      List<String> f = flags();
      List<Platform> platforms = new ArrayList<>();
      List<String> prefetch = new ArrayList<>();
      for (int i = 0; i < f.size(); i++) {
        switch (f.get(i)) {
          case "--min-layer-size" -> b = b.withMinLayerSize(Long.parseLong(f.get(++i)));
          case "--span-size" -> b = b.withSpanSize(Long.parseLong(f.get(++i)));
          case "--all-platforms" -> b = b.withAllPlatforms();
          case "--platform" -> platforms.add(Platform.parse(f.get(++i)));
          case "--optimizations" -> b = b.withXattrOptimization(f.get(++i).equals("xattr"));
          case "--prefetch-file" -> prefetch.add(f.get(++i));
          default -> throw new AssertionError("flag " + f.get(i) + " of case " + name + " is not mapped");
        }
      }
      boolean index = json.path("input").path("root").get("mediaType").asText().contains("index")
          || json.path("input").path("root").get("mediaType").asText().contains("list");
      if (platforms.isEmpty() && index && !f.contains("--all-platforms")) {
        platforms.add(Platform.parse("linux/amd64"));
      }
      return b.withPlatforms(platforms).withPrefetchPaths(prefetch);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** {@return the v2 vectors directory; fails when absent} */
  public static Path dir() {
    Path p = GoldenVectors.dir().resolveSibling("v2");
    if (!Files.isRegularFile(p.resolve("cases.json"))) {
      throw new IllegalStateException("v2 golden vectors not found at " + p.toAbsolutePath()
          + ": set SOCI4J_SHARED_TESTDATA to the shared testdata directory");
    }
    return p;
  }

  /** {@return every case, in file order} */
  public static List<Case> all() {
    List<Case> out = new ArrayList<>();
    for (JsonNode c : cases().get("cases")) {
      out.add(new Case(c.get("name").asText(), c));
    }
    return out;
  }

  /** {@return one case by name} */
  public static Case named(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no v2 case " + name));
  }

  /**
   * The bytes of any blob of the vectors (inputs and outputs), gunzipped where stored so.
   *
   * @param digest its digest
   * @return the bytes, checked against the digest
   */
  public static byte[] blob(Digest digest) {
    JsonNode b = cases().get("blobs").get(digest.toString());
    if (b == null) {
      throw new IllegalArgumentException("blob " + digest + " is not in cases.json");
    }
    Path p = dir().resolve(b.get("path").asText());
    try {
      byte[] bytes;
      if (b.path("stored").asText().equals("gzip")) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          bytes = in.readAllBytes();
        }
      } else {
        bytes = Files.readAllBytes(p);
      }
      if (!Digest.sha256(bytes).equals(digest)) {
        throw new IllegalStateException("vector blob " + p + " does not have digest " + digest);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static volatile JsonNode cases;

  private static JsonNode cases() {
    if (cases == null) {
      try {
        cases = JSON.readTree(dir().resolve("cases.json").toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cases;
  }
}
