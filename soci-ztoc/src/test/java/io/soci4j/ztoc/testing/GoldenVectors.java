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
    String root = System.getProperty("soci4j.shared.testdata", System.getenv("SOCI4J_SHARED_TESTDATA"));
    Path p = root != null ? Path.of(root, "ztoc") : Path.of("..", "..", "shared", "testdata", "ztoc");
    if (!Files.isRegularFile(p.resolve("vectors.psv"))) {
      throw new IllegalStateException("golden vectors not found at " + p.toAbsolutePath()
          + ": set SOCI4J_SHARED_TESTDATA to the shared testdata directory");
    }
    return p;
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
