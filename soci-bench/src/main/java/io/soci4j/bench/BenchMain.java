package io.soci4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and prints a table of ratios to the baselines of each benchmark class (the
 * methods named {@code baseline*}, same parameters, same session). A method is compared with the
 * baselines whose names end with its own name ({@code parse} with {@code baselineJacksonParse}),
 * or with all baselines of its class when none does.
 *
 * <pre>
 * java -jar soci-bench/target/benchmarks.jar             # short profile (about 10 minutes on 2 cores)
 * java -jar soci-bench/target/benchmarks.jar --long      # all layer variants, more iterations and forks
 * java -jar soci-bench/target/benchmarks.jar --gc        # adds JMH's GC profiler: allocation columns
 * java -jar soci-bench/target/benchmarks.jar --gc --only 'SpanDecompress.*spanBits|ZtocBuild'
 * java -jar soci-bench/target/benchmarks.jar [--gc] --jmh ARGS   # plain JMH command line, same table
 * java -jar soci-bench/target/benchmarks.jar -l | -h | REGEX [JMH options]   # JMH's own conventions
 * java -cp soci-bench/target/benchmarks.jar io.soci4j.bench.HeapHarness         # peak heap of a build
 * java -cp soci-bench/target/benchmarks.jar io.soci4j.bench.IndexCreateHarness  # index create vs gunzip
 * </pre>
 *
 * <p>The profiles set the number of iterations and forks (short: 1 warm-up and 3 measurement
 * iterations, 1 fork; long: 3, 5 and 2 forks, all layer variants); the iteration times come from
 * each benchmark's warm-up and measurement annotations: 5 s and 8 s where one operation takes a
 * whole layer (a second or more), 3 s and 3 s where it takes milliseconds. All run in one JMH
 * session, so JMH's machine-wide lock is taken once.
 *
 * <p>With {@code --gc} (or {@code -prof gc} after {@code --jmh}) the table adds {@code
 * gc.alloc.rate.norm}, the bytes allocated per operation, and the same per MB of output (for
 * benchmarks with a {@code bytes} counter: bytes per operation are {@code bytes/s} over {@code
 * ops/s}) or of uncompressed layer ({@link ZtocBuildBenchmark}).
 */
public final class BenchMain {
  private static final String ALL = "io\\.soci4j\\.bench\\..*Benchmark.*";
  /** Left out of the short profile (each builds large data of its own): reader reads, zstd spans. */
  private static final String SHORT_PROFILE_EXCLUDES = "ReaderBenchmark\\.Reads|ZstdSpanBenchmark";
  private static final String NORM = "gc.alloc.rate.norm";

  private static final String USAGE = "usage: benchmarks.jar [--long] [--gc] [--only REGEX]   (ratio table)\n"
      + "       benchmarks.jar [--gc] --jmh JMH_ARGS                (JMH's options, ratio table)\n"
      + "       benchmarks.jar -l | -h | REGEX [JMH_OPTIONS]         (JMH's own conventions: list, help, run)";

  private BenchMain() {}

  /**
   * @param args {@code --long}, {@code --gc}, {@code --only REGEX}, or {@code --jmh} followed by
   *     JMH arguments
   * @throws Exception when a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && !args[0].startsWith("--")) { // JMH's command line: -l, -h, a regex, -wi 1 ...
      CommandLineOptions jmh = parse(args);
      if (jmh.shouldHelp() || jmh.shouldList() || jmh.shouldListWithParams() || jmh.shouldListProfilers()
          || jmh.shouldListResultFormats()) {
        org.openjdk.jmh.Main.main(args);
        return;
      }
      print(run(new OptionsBuilder().parent(jmh)));
      return;
    }
    boolean longProfile = false;
    boolean gc = false;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help" -> {
          System.out.println(USAGE);
          return;
        }
        case "--long" -> longProfile = true;
        case "--gc" -> gc = true;
        case "--only" -> {
          if (i + 1 == args.length) {
            usage("--only needs a regular expression");
          }
          only = args[++i];
        }
        case "--jmh" -> {
          ChainedOptionsBuilder opts = new OptionsBuilder().parent(parse(Arrays.copyOfRange(args, i + 1, args.length)));
          if (gc) {
            opts.addProfiler(GCProfiler.class);
          }
          print(run(opts));
          return;
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
    }
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include(only == null ? ALL : "^(?=.*(?:" + only + "))(?:" + ALL + ")")
        .shouldFailOnError(true);
    if (gc) {
      opts.addProfiler(GCProfiler.class);
    }
    if (longProfile) {
      opts.param("layer", "gz1", "gz6", "gz9", "multi")
          .param("spanSize", "1048576", "4194304")
          .warmupIterations(3).measurementIterations(5).forks(2);
    } else {
      opts.param("layer", "gz6", "multi")
          .param("spanSize", "1048576", "4194304")
          .warmupIterations(1).measurementIterations(3).forks(1);
      if (only == null) {
        // keeps the short profile near 10 minutes: these run in --long and with --only
        opts.exclude(SHORT_PROFILE_EXCLUDES);
      }
    }
    Collection<RunResult> results;
    try {
      results = run(opts);
    } catch (NoBenchmarksException e) {
      usage("no benchmark matches --only " + only);
      return;
    }
    print(results);
  }

  private static void usage(String problem) {
    System.err.println(problem + "\n" + USAGE);
    System.exit(2);
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
    Set<String> classes = new LinkedHashSet<>();
    boolean gc = false;
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String cls = bench.substring(0, bench.lastIndexOf('.'));
      classes.add(cls);
      groups.computeIfAbsent(cls + " " + params(r), k -> new ArrayList<>()).add(r);
      gc |= r.getSecondaryResults().get(NORM) != null;
    }
    System.out.printf(Locale.ROOT, "%n%-50s %-22s %12s %8s%s  %s%n", "benchmark", "params", "score", "unit",
        gc ? String.format(Locale.ROOT, " %14s %14s", "alloc B/op", "alloc B/MB") : "",
        "ratio to baseline (throughput or time; > 1 = faster)");
    for (List<RunResult> group : groups.values()) {
      for (RunResult r : group) {
        StringBuilder ratios = new StringBuilder();
        for (RunResult b : baselinesOf(r, group)) {
          ratios.append(String.format(Locale.ROOT, "%.2fx vs %s  ", ratio(r, b), method(b)));
        }
        Result<?> bytes = r.getSecondaryResults().get("bytes");
        double score = bytes != null ? bytes.getScore() / 1e6 : r.getPrimaryResult().getScore();
        String unit = bytes != null ? "MB/s" : r.getPrimaryResult().getScoreUnit();
        System.out.printf(Locale.ROOT, "%-50s %-22s %12.3f %8s%s  %s%n", shortName(r), params(r), score, unit,
            gc ? allocation(r) : "", ratios.toString().trim());
      }
    }
    for (String cls : classes) {
      String note = note(cls, results);
      if (note != null) {
        System.out.println(note);
      }
    }
  }

  /** The baselines a method is compared with; none for a baseline itself. */
  static List<RunResult> baselinesOf(RunResult r, List<RunResult> group) {
    if (method(r).startsWith("baseline")) {
      return List.of();
    }
    List<RunResult> all = group.stream().filter(b -> method(b).startsWith("baseline")).toList();
    String name = method(r);
    String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    List<RunResult> paired = all.stream().filter(b -> method(b).endsWith(suffix)).toList();
    return paired.isEmpty() ? all : paired;
  }

  /**
   * Speed of {@code r} relative to {@code baseline}: by the {@code bytes} counter (a rate) when
   * both have it, else by time per operation.
   */
  static double ratio(RunResult r, RunResult baseline) {
    Result<?> rb = r.getSecondaryResults().get("bytes");
    Result<?> bb = baseline.getSecondaryResults().get("bytes");
    if (rb != null && bb != null) {
      return rb.getScore() / bb.getScore();
    }
    return baseline.getPrimaryResult().getScore() / r.getPrimaryResult().getScore();
  }

  private static String allocation(RunResult r) {
    Result<?> norm = r.getSecondaryResults().get(NORM);
    if (norm == null) {
      return String.format(Locale.ROOT, " %14s %14s", "-", "-");
    }
    double perOp = norm.getScore();
    double mb = bytesPerOp(r) / 1e6;
    return String.format(Locale.ROOT, " %14.0f %14s", perOp,
        mb > 0 ? String.format(Locale.ROOT, "%.0f", perOp / mb) : "-");
  }

  /** Bytes one operation produces or processes, when known; else 0. */
  private static double bytesPerOp(RunResult r) {
    Result<?> bytes = r.getSecondaryResults().get("bytes");
    if (bytes != null && r.getPrimaryResult().getScoreUnit().startsWith("ops/")) {
      return bytes.getScore() / r.getPrimaryResult().getScore();
    }
    if (shortName(r).startsWith("ZtocBuildBenchmark.")) {
      Path tar = BenchData.dir().resolve("jdk.tar");
      try {
        return Files.isRegularFile(tar) ? Files.size(tar) : 0;
      } catch (IOException e) {
        return 0;
      }
    }
    return 0;
  }

  /** A line printed under the table for some benchmark classes, or null. */
  private static String note(String cls, Collection<RunResult> results) {
    if (cls.endsWith(".ZtocCodecBenchmark")) {
      Set<String> sizes = new LinkedHashSet<>();
      for (RunResult r : results) {
        if (r.getParams().getBenchmark().startsWith(cls + ".")) {
          sizes.add(r.getParams().getParam("entries"));
        }
      }
      StringBuilder sb = new StringBuilder();
      for (String entries : sizes) {
        try {
          sb.append(ZtocCodecBenchmark.describe(Integer.parseInt(entries))).append('\n');
        } catch (IOException | RuntimeException e) {
          sb.append("ZtocCodecBenchmark: cannot describe the zTOC of ").append(entries).append(" entries: ")
              .append(e).append('\n');
        }
      }
      return sb.toString().trim();
    }
    if (cls.endsWith(".ZtocBuildBenchmark")) {
      Path tar = BenchData.dir().resolve("jdk.tar");
      try {
        if (Files.isRegularFile(tar)) {
          return String.format(Locale.ROOT, "ZtocBuildBenchmark: every layer is %s (%d bytes uncompressed)"
              + " compressed as the layer parameter says; alloc B/MB is per MB of that tar", tar, Files.size(tar));
        }
      } catch (IOException e) {
        return null;
      }
    }
    return null;
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
