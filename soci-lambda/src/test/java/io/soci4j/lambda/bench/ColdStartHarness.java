package io.soci4j.lambda.bench;

import io.soci4j.lambda.testing.EcrApiStandIn;
import io.soci4j.lambda.testing.LambdaProcess;
import io.soci4j.lambda.testing.RuntimeApiStandIn;
import io.soci4j.lambda.testing.TestImages;
import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.registry.Credential;
import io.soci4j.registry.CredentialsProvider;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.testing.RegistryExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Cold start of the deployment package (not a test; run by hand after packaging):
 *
 * <pre>
 * ./mvnw -q -pl soci-lambda -am package -DskipTests -Pcold-start [-Drounds=5]
 * </pre>
 *
 * <p>Starts {@code target/soci-lambda.jar} as Lambda's Java runtime does (AWS's runtime interface
 * client loop, {@link LambdaProcess}) against {@link RuntimeApiStandIn} (the Lambda service cannot
 * run here), with docker-registry (basic auth) standing in for ECR and {@link EcrApiStandIn} for
 * ECR's token, and times, for each round in a new JVM: init (process start to the runtime's first
 * request for an event), the first invocation and a second one in the same JVM (both an image
 * already indexed, the redelivery path: registry reads, no indexing, so the difference is the cost
 * of a cold JVM), with the JVM's defaults and with {@code -XX:TieredStopAtLevel=1}. Prints medians.
 */
public final class ColdStartHarness {
  private ColdStartHarness() {}

  /**
   * @param args none
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("rounds", 5);
    Path jar = Path.of("target", "soci-lambda.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw -pl soci-lambda -am package -DskipTests");
    }
    String runtime = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("aws-lambda-java-runtime-interface-client") || e.contains("aws-lambda-java-serialization"))
        .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
    String classpath = jar + File.pathSeparator + runtime;
    String password = "harness";
    RegistryExtension registry = RegistryExtension.basicAuth("AWS", password);
    Path dir = Files.createTempDirectory(Path.of("target"), "cold-start");
    registry.start(dir.resolve("registry"));
    try (EcrApiStandIn ecr = EcrApiStandIn.start("AWS", password)) {
      byte[] big = new byte[12 << 20];
      new Random(1).nextBytes(big);
      TestImages.push(dir, registry.registry(), "AWS:" + password, "app", "1.0",
          TestImages.gzip(new TarBuilder().file("./opt/data.bin", big, 0644).tar()));
      String digest;
      try (RegistryClient c = RegistryClient.builder().plainHttp(registry.registry())
          .credentials(CredentialsProvider.of(registry.registry(), Credential.basic("AWS", password))).build()) {
        digest = TestImages.digestOf(c, registry.registry(), "app", "1.0");
      }
      byte[] event = TestImages.event("eu-west-1", "app", digest, "1.0");
      Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
          "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "AWS_ENDPOINT_URL_ECR", ecr.url(),
          "SOCI_REGISTRY", registry.registry(), "SOCI_PLAIN_HTTP", "true");
      once(dir.resolve("warm-up"), classpath, List.of(), env, event); // indexes the image; page cache warm
      System.out.printf(Locale.ROOT, "jar: %,d bytes%n", Files.size(jar));
      for (List<String> options : List.of(List.<String>of(), List.of("-XX:+TieredCompilation",
          "-XX:TieredStopAtLevel=1"))) {
        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          runs.add(once(dir.resolve("r" + runs.size() + options.size()), classpath, options, env, event));
        }
        System.out.printf(Locale.ROOT, "%s: init %.0f ms, first invocation %.0f ms, second %.0f ms (medians of %d)%n",
            options.isEmpty() ? "JVM defaults" : String.join(" ", options), median(runs, 0), median(runs, 1),
            median(runs, 2), rounds);
      }
    } finally {
      registry.stop();
    }
  }

  private static double[] once(Path dir, String classpath, List<String> options, Map<String, String> env,
      byte[] event) throws Exception {
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
    jvm.addAll(options);
    try (RuntimeApiStandIn fresh = RuntimeApiStandIn.start();
        LambdaProcess p = LambdaProcess.start(dir, classpath, fresh.address(), jvm, env)) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (fresh.firstNextNanos() == 0) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          throw new IllegalStateException("the runtime did not ask for an event:\n" + p.output());
        }
        Thread.sleep(1);
      }
      double[] ms = new double[3];
      ms[0] = (fresh.firstNextNanos() - p.startedNanos()) / 1e6;
      for (int i = 1; i <= 2; i++) {
        long sent = System.nanoTime();
        RuntimeApiStandIn.Result r = fresh.await(fresh.invoke(event, Duration.ofMinutes(15)), Duration.ofMinutes(5));
        if (r.error()) {
          throw new IllegalStateException("invocation failed: " + r.body() + "\n" + p.output());
        }
        ms[i] = (System.nanoTime() - sent) / 1e6;
      }
      return ms;
    }
  }

  private static double median(List<double[]> runs, int column) {
    double[] v = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
