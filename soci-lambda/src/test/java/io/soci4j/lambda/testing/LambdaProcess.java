package io.soci4j.lambda.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The handler in a JVM of its own, started the way Lambda's Java runtime starts it: the runtime
 * interface client's loop ({@code AWSLambda <handler>}) talking to {@code AWS_LAMBDA_RUNTIME_API},
 * with Lambda's reserved environment variables, an empty task root, home and Docker config (so
 * nothing of this machine's is used) and a temporary directory of its own.
 */
public final class LambdaProcess implements AutoCloseable {
  /** The handler, as the function's configuration names it. */
  public static final String HANDLER = "io.soci4j.lambda.IndexOnPush::handleRequest";

  private final Process process;
  private final Path stdout;
  private final long startedNanos;

  private LambdaProcess(Process process, Path stdout, long startedNanos) {
    this.process = process;
    this.stdout = stdout;
    this.startedNanos = startedNanos;
  }

  /**
   * @param dir a directory for the process's own directories and output
   * @param classpath the function's classpath
   * @param runtimeApi {@code host:port} of the Runtime API
   * @param jvmOptions options before the main class (heap size...)
   * @param env the function's environment variables
   * @return the started process
   * @throws IOException when it cannot start
   */
  public static LambdaProcess start(Path dir, String classpath, String runtimeApi, List<String> jvmOptions,
      Map<String, String> env) throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classpath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(empty.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SOCI_") || k.startsWith("DOCKER_"));
    e.put("HOME", empty.toString());
    e.put("DOCKER_CONFIG", empty.toString());
    e.put("AWS_EC2_METADATA_DISABLED", "true");
    e.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    e.put("_HANDLER", HANDLER);
    e.put("LAMBDA_TASK_ROOT", empty.toString());
    e.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    e.put("AWS_LAMBDA_FUNCTION_NAME", "soci-index-on-push");
    e.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769");
    e.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/soci-index-on-push");
    e.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/03/[$LATEST]0123456789abcdef");
    e.putAll(env);
    Path out = dir.resolve("stdout.log");
    long started = System.nanoTime();
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    return new LambdaProcess(p, out, started);
  }

  /** {@return {@link System#nanoTime} just before the process was started} */
  public long startedNanos() {
    return startedNanos;
  }

  /**
   * @return what the process wrote so far (standard output and error)
   * @throws IOException when it cannot be read
   */
  public String output() throws IOException {
    return Files.readString(stdout);
  }

  /** {@return whether it is still running} */
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
