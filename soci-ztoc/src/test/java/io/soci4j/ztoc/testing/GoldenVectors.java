package io.soci4j.ztoc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden zTOC vectors made with upstream soci-snapshotter, in {@code ../shared/testdata/ztoc}
 * next to the repository (override with the environment variable {@code SOCI4J_SHARED_TESTDATA}
 * or the system property {@code soci4j.shared.testdata}). They are not committed: several layers
 * are over 1 MB. When they are missing the tests fail (they never skip).
 */
public final class GoldenVectors {
  /** Build tool identifier every vector was made with. */
  public static final String TOOL = "AWS SOCI CLI v0.2";

  private static final ObjectMapper JSON = new ObjectMapper();

  private GoldenVectors() {}

  /** One line of vectors.psv. */
  public record Vector(String name, Path layer, String algorithm, long spanSize) {
    public Path ztoc() {
      return dir().resolve("expected").resolve(name + ".ztoc");
    }

    public Path json() {
      return dir().resolve("expected").resolve(name + ".json");
    }

    public Path err() {
      return dir().resolve("expected").resolve(name + ".err");
    }

    public boolean isError() {
      return name.startsWith("error-");
    }

    public JsonNode expected() {
      try {
        return JSON.readTree(json().toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public byte[] ztocBytes() {
      return read(ztoc());
    }

    public byte[] layerBytes() {
      return read(layer);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** @return the ztoc vectors directory; fails when absent */
  public static Path dir() {
    String[] found = root(System.getenv("SOCI4J_SHARED_TESTDATA"), System.getProperty("soci4j.shared.testdata"),
        System.getProperty("soci4j.shared.testdata.default"));
    Path p = Path.of(found[0], "ztoc");
    if (!Files.isRegularFile(p.resolve("vectors.psv"))) {
      throw new IllegalStateException("golden vectors not found: no ztoc/vectors.psv in " + Path.of(found[0])
          .toAbsolutePath() + " (taken from " + found[1] + ")" + (found[1].startsWith("SOCI4J")
          ? "; point it at the shared testdata directory (the one holding ztoc/ and v2/)"
          : "; set SOCI4J_SHARED_TESTDATA to the shared testdata directory (the one holding ztoc/ and v2/)"));
    }
    return p;
  }

  /**
   * Where the shared test data is, and why: the environment variable first, then the system
   * property, then the build's default (the checkout's sibling {@code ../shared/testdata}).
   *
   * @return {directory, where it came from}
   */
  static String[] root(String env, String property, String buildDefault) {
    if (env != null && !env.isBlank()) {
      return new String[] {env, "SOCI4J_SHARED_TESTDATA"};
    }
    if (property != null && !property.isBlank()) {
      return new String[] {property, "the system property soci4j.shared.testdata"};
    }
    if (buildDefault != null && !buildDefault.isBlank()) {
      return new String[] {buildDefault, "the build's default, next to the checkout"};
    }
    return new String[] {Path.of("..", "..", "shared", "testdata").toString(), "the default next to the checkout"};
  }

  /** @return every vector, in file order */
  public static List<Vector> all() {
    List<Vector> out = new ArrayList<>();
    Path d = dir();
    try {
      for (String line : Files.readAllLines(d.resolve("vectors.psv"))) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\\|");
        out.add(new Vector(f[0], d.resolve("layers").resolve(f[1]), f[2], Long.parseLong(f[3])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** @return vectors upstream builds a zTOC for */
  public static List<Vector> buildable() {
    return all().stream().filter(v -> !v.isError()).toList();
  }

  /** @return vectors upstream refuses */
  public static List<Vector> refused() {
    return all().stream().filter(Vector::isError).toList();
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
