package io.soci4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.ztoc.index.LayerReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress output: a line per layer that no other layer overwrites, plain lines for logs, no absurd rate. */
class ProgressTest {
  static final Descriptor A = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.sha256(new byte[] {1}), 100_000_000);
  static final Descriptor B = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, Digest.sha256(new byte[] {2}), 50_000_000);
  final AtomicLong now = new AtomicLong();
  final StringWriter out = new StringWriter();

  private void feed(Progress p) {
    p.read(A, 1_000_000);           // t = 0: no rate yet
    now.addAndGet(200_000_000L);
    p.read(B, 5_000_000);
    now.addAndGet(800_000_000L);
    p.read(A, 50_000_000);          // t = 1 s: 50 MB/s
    now.addAndGet(200_000_000L);
    p.done(new LayerReport(B, LayerReport.Status.SKIPPED, "size 5 is below the minimum layer size 10", null));
    now.addAndGet(200_000_000L);
    p.done(new LayerReport(A, LayerReport.Status.BUILT, "", null));
  }

  @Test
  void plainModePrintsOneFinishedLinePerLayerAndNoCarriageReturn() {
    feed(new Progress(new PrintWriter(out), false, now::get));
    assertThat(out.toString()).doesNotContain("\r").doesNotContain("\u001b");
    assertThat(out.toString().lines()).containsExactly(
        "layer " + B.digest().hex().substring(0, 12) + " skipped: size 5 is below the minimum layer size 10 "
            + "(50.0 MB, 1.0 s)",
        "layer " + A.digest().hex().substring(0, 12) + " built (100.0 MB, 1.4 s)");
  }

  @Test
  void ttyModeKeepsALinePerLayerAndRedrawsTheBlockInPlace() {
    feed(new Progress(new PrintWriter(out), true, now::get));
    String s = out.toString();
    assertThat(s).doesNotContain("\r");
    // every drawn line starts with a clear-line sequence and names exactly one layer
    List<String> drawn = s.lines().map(l -> l.replaceAll("\u001b\\[\\d+F", "")).toList();
    for (String l : drawn) {
      assertThat(l).startsWith("\u001b[2Klayer ");
      assertThat(l.contains(A.digest().hex().substring(0, 12)) ^ l.contains(B.digest().hex().substring(0, 12)))
          .as(l).isTrue();
    }
    assertThat(s).contains("   --.- MB/s").as("no rate in the first half second").contains("50.0 MB/s");
    assertThat(s).contains("\u001b[2F").as("the two-line block is redrawn from its first line");
    assertThat(drawn.subList(drawn.size() - 2, drawn.size())).as("the final block").containsExactly(
        "\u001b[2Klayer " + A.digest().hex().substring(0, 12) + " built (100.0 MB, 1.4 s)",
        "\u001b[2Klayer " + B.digest().hex().substring(0, 12) + " skipped: size 5 is below the minimum layer size 10 "
            + "(50.0 MB, 1.0 s)");
  }

  @Test
  void quietAndNoneShowNothing() {
    assertThat(Progress.of(Progress.Mode.TTY, true, new PrintWriter(out)))
        .isSameAs(io.soci4j.ztoc.index.BuildProgress.NONE);
    assertThat(Progress.of(Progress.Mode.NONE, false, new PrintWriter(out)))
        .isSameAs(io.soci4j.ztoc.index.BuildProgress.NONE);
  }
}
