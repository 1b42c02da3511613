package io.soci4j.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints a table of ratios to the baseline of each benchmark class (the
 * methods named {@code baseline*}, same parameters, same run).
 *
 * <pre>
 * java -jar soci-bench/target/benchmarks.jar            # short profile (about 10 minutes)
 * java -jar soci-bench/target/benchmarks.jar --long     # more iterations, all layer variants
 * java -jar soci-bench/target/benchmarks.jar --jmh ARGS # plain JMH command line
 * java -cp soci-bench/target/benchmarks.jar io.soci4j.bench.HeapHarness  # peak heap of a build
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  /**
   * @param args {@code --long}, or {@code --jmh} followed by JMH arguments
   * @throws Exception when a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--jmh")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      print(run(new OptionsBuilder().parent(parse(rest))));
      return;
    }
    boolean longProfile = args.length > 0 && args[0].equals("--long");
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include("io\\.soci4j\\.bench\\..*Benchmark.*")
        .shouldFailOnError(true);
    if (longProfile) {
      opts.param("layer", "gz1", "gz6", "gz9", "multi")
          .param("spanSize", "1048576", "4194304")
          .warmupIterations(3).measurementIterations(5).forks(2);
    } else {
      opts.param("layer", "gz6", "multi")
          .param("spanSize", "1048576", "4194304")
          .warmupIterations(1).measurementIterations(3).forks(1)
          .warmupTime(TimeValue.seconds(5)).measurementTime(TimeValue.seconds(8));
    }
    print(run(opts));
  }

  private static CommandLineOptions parse(String[] args) throws CommandLineOptionException {
    return new CommandLineOptions(args);
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder opts) throws RunnerException {
    return new Runner(opts.build()).run();
  }

  /** Prints score and ratio rows; a ratio above 1 means faster than the baseline. */
  static void print(Collection<RunResult> results) {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String cls = bench.substring(0, bench.lastIndexOf('.'));
      String key = cls + params(r);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    System.out.printf(Locale.ROOT, "%n%-58s %-22s %12s %8s  %s%n", "benchmark", "params", "score", "unit",
        "ratio to baseline (throughput or time; > 1 = faster)");
    for (List<RunResult> group : groups.values()) {
      List<RunResult> baselines = group.stream().filter(r -> method(r).startsWith("baseline")).toList();
      for (RunResult r : group) {
        StringBuilder ratios = new StringBuilder();
        if (!method(r).startsWith("baseline")) {
          for (RunResult b : baselines) {
            ratios.append(String.format(Locale.ROOT, "%.2fx vs %s  ", ratio(r, b), method(b)));
          }
        }
        var bytes = r.getSecondaryResults().get("bytes");
        double score = bytes != null ? bytes.getScore() / 1e6 : r.getPrimaryResult().getScore();
        String unit = bytes != null ? "MB/s" : r.getPrimaryResult().getScoreUnit();
        System.out.printf(Locale.ROOT, "%-58s %-22s %12.3f %8s  %s%n", shortName(r), params(r), score, unit,
            ratios.toString().trim());
      }
    }
  }

  /**
   * Speed of {@code r} relative to {@code baseline}: by the {@code bytes} counter (a rate) when
   * both have it, else by time per operation.
   */
  static double ratio(RunResult r, RunResult baseline) {
    var rb = r.getSecondaryResults().get("bytes");
    var bb = baseline.getSecondaryResults().get("bytes");
    if (rb != null && bb != null) {
      return rb.getScore() / bb.getScore();
    }
    return baseline.getPrimaryResult().getScore() / r.getPrimaryResult().getScore();
  }

  private static String method(RunResult r) {
    String b = r.getParams().getBenchmark();
    return b.substring(b.lastIndexOf('.') + 1);
  }

  private static String shortName(RunResult r) {
    return r.getParams().getBenchmark().replace("io.soci4j.bench.", "");
  }

  private static String params(RunResult r) {
    StringBuilder sb = new StringBuilder();
    for (String k : r.getParams().getParamsKeys()) {
      sb.append(k).append('=').append(r.getParams().getParam(k)).append(' ');
    }
    return sb.toString().trim();
  }
}
