package io.soci4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark jar follows JMH's conventions ({@code -l} lists, {@code -h} helps, a regex
 * selects) besides its own ratio-table options; run as a process, as a user runs the jar.
 */
class BenchMainCommandLineTest {
  static String[] run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), BenchMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {Integer.toString(p.exitValue()), out, err};
  }

  @Test
  void listHelpAndUsageErrors() throws Exception {
    String[] list = run("-l");
    assertThat(list[0]).isEqualTo("0");
    assertThat(list[1]).contains("Benchmarks:").contains("io.soci4j.bench.ZtocBuildBenchmark.")
        .contains("io.soci4j.bench.SpanDecompressBenchmark.");
    String[] filtered = run("-l", "ZtocCodec");
    assertThat(filtered[1]).contains("ZtocCodecBenchmark").doesNotContain("ZtocBuildBenchmark");
    String[] help = run("-h");
    assertThat(help[1]).contains("Usage: java -jar ... [regexp*] [options]");
    String[] ours = run("--help");
    assertThat(ours[0]).isEqualTo("0");
    assertThat(ours[1]).contains("--only REGEX").contains("-l | -h | REGEX");
    String[] bad = run("--bogus");
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[2]).contains("unknown argument '--bogus'");
  }
}
