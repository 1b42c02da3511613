package io.soci4j.ztoc.internal.gzip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.internal.build.LayerScan;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checkpoints and span digests of every gzip golden vector, against upstream's. */
class GzipLayerScannerGoldenTest {

  static Stream<Vector> gzipVectors() {
    return GoldenVectors.all().stream().filter(v -> v.algorithm().equals("gzip"));
  }

  @ParameterizedTest
  @MethodSource("gzipVectors")
  void checkpointsAndSpanDigestsMatchUpstream(Vector v) throws Exception {
    byte[] layer = v.layerBytes();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerScan scan = new GzipLayerScanner(v.spanSize(), tar::write).scan(new ByteArrayInputStream(layer));

    assertThat(tar.toByteArray()).isEqualTo(new GZIPInputStream(new ByteArrayInputStream(layer)).readAllBytes());
    assertThat(scan.bytesRead()).isEqualTo(layer.length);
    assertThat(scan.compressedSize()).isEqualTo(layer.length);
    if (v.isError()) {
      return; // the tar content is refused; the gzip pass itself is fine
    }
    JsonNode expected = v.expected();
    JsonNode cps = expected.get("checkpoints_blob");
    GzipCheckpoints parsed = GzipCheckpoints.decode(scan.checkpointBlob(), scan.spanDigests().size(),
        layer.length, scan.uncompressedSize());
    assertThat(parsed.spanCount()).as("checkpoint count").isEqualTo(cps.get("count").asInt());
    byte[] window = new byte[GzipCheckpoints.WINDOW_SIZE];
    for (JsonNode cp : cps.get("checkpoints")) {
      int i = cp.get("index").asInt();
      assertThat(parsed.in(i)).as("in of checkpoint %d", i).isEqualTo(cp.get("in").asLong());
      assertThat(parsed.uncompressedStart(i)).as("out of checkpoint %d", i).isEqualTo(cp.get("out").asLong());
      assertThat(parsed.bits(i)).as("bits of checkpoint %d", i).isEqualTo(cp.get("bits").asInt());
      parsed.copyWindow(i, window, 0);
      assertThat(Digest.sha256(window).hex()).as("window of checkpoint %d", i)
          .isEqualTo(cp.get("window_sha256").asText());
    }
    assertThat(Digest.sha256(scan.checkpointBlob()).hex()).isEqualTo(cps.get("blob_sha256").asText());
    List<String> digests = scan.spanDigests().stream().map(Digest::toString).toList();
    assertThat(digests).containsExactlyElementsOf(
        expected.get("span_digests").valueStream().map(JsonNode::asText).toList());
  }
}
