package io.soci4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.RegistryStore;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.ztoc.testing.V2Registry;
import io.soci4j.ztoc.testing.V2Vectors;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project outside the build ({@code examples/bom-consumer}: imports {@code soci4j-bom},
 * names soci-reader and soci-registry without versions) compiled against the artifacts this build
 * installs ({@code ./mvnw install} of the library modules, run here) and run: the README's Java
 * example converts an image in Debian's docker-registry and reads a file of it.
 */
class BomConsumerTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();
  @TempDir Path tmp;

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static String run(Path dir, List<String> cmd, int minutes) throws IOException, InterruptedException {
    Path log = Files.createTempFile("soci4j-bom-consumer", ".log");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false)
          .redirectError(log.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(minutes, TimeUnit.MINUTES)).as("%s still runs", cmd).isTrue();
      assertThat(p.exitValue()).as("%s failed:%n%s", cmd, Files.readString(log)).isZero();
      return new String(out, StandardCharsets.ISO_8859_1);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void aProjectUsingTheBomBuildsAgainstTheInstalledArtifactsAndRunsTheReadmeExample() throws Exception {
    V2Vectors.Case c = V2Vectors.named("default-min-size-skips-small-layers");
    Map.Entry<String, byte[]> expected;
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = client.store(ImageReference.parse(REGISTRY.registry() + "/bom/app:1.0"));
      V2Registry.pushAll(store, c.inputBlobs());
      store.tag(store.resolve(c.root().toString()), "1.0");
      expected = V2Registry.topmostFile(store, store.imageManifest("1.0").layers());
    }
    String mvnw = ROOT.resolve("mvnw").toString();
    run(ROOT, List.of(mvnw, "-q", "-B", "install", "-DskipTests", "-Dmaven.javadoc.skip=true",
        "-Dmaven.source.skip=true", "-pl", "soci4j-bom,soci-api,soci-ztoc,soci-registry,soci-reader", "-am"), 10);

    Path project = tmp.resolve("bom-consumer");
    copy(ROOT.resolve("examples/bom-consumer"), project);
    run(project, List.of(mvnw, "-q", "-B", "package", "dependency:build-classpath",
        "-Dmdep.outputFile=" + project.resolve("cp.txt")), 10);
    String classpath = project.resolve("target/classes") + File.pathSeparator
        + Files.readString(project.resolve("cp.txt")).trim();
    assertThat(classpath).contains("soci-reader-0.1.0-SNAPSHOT.jar").contains("soci-registry-0.1.0-SNAPSHOT.jar")
        .as("the BOM and the two modules bring the rest").contains("soci-ztoc-0.1.0-SNAPSHOT.jar");
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "com.example.ReadmeExample", REGISTRY.registry(), "bom/app", "/" + expected.getKey()));
    String out = run(project, java, 5);
    assertThat(out.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(expected.getValue());
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(f);
        if (rel.toString().startsWith("target")) {
          continue;
        }
        Path t = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
  }
}
