package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.internal.tar.TarText;
import io.soci4j.ztoc.internal.zinfo.GzipCheckpoints;
import io.soci4j.ztoc.internal.zinfo.TarZinfo;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import io.soci4j.ztoc.testing.GoldenJson;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every zTOC upstream built reads field for field as its JSON says and writes back identically. */
class ZtocCodecGoldenVectorTest {

  static List<Vector> vectors() {
    return GoldenVectors.buildable();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parseReadsEveryFieldUpstreamWrote(Vector v) throws Exception {
    JsonNode json = v.expected();
    Ztoc z = ZtocCodec.parse(v.ztocBytes());

    assertThat(z.version()).isEqualTo(json.get("version").asText());
    assertThat(z.buildToolIdentifier()).isEqualTo(json.get("build_tool_identifier").asText());
    assertThat(z.compressedArchiveSize()).isEqualTo(json.get("compressed_archive_size").asLong());
    assertThat(z.uncompressedArchiveSize()).isEqualTo(json.get("uncompressed_archive_size").asLong());
    assertThat(z.compression()).isEqualTo(GoldenJson.compression(json));
    assertThat(z.compression().label()).isEqualTo(v.algorithm());
    assertThat(z.maxSpanId()).isEqualTo(json.get("max_span_id").asInt());
    assertThat(z.spanDigests()).isEqualTo(GoldenJson.spanDigests(json));
    assertCheckpoints(z, json.get("checkpoints_blob"), v.spanSize());
    assertEntries(z.toc(), json.get("entries"));
    assertThat(z.toc()).isEqualTo(GoldenJson.entries(json));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void serializeOfParsedZtocGivesUpstreamBytes(Vector v) throws Exception {
    byte[] upstream = v.ztocBytes();
    byte[] ours = ZtocCodec.serialize(ZtocCodec.parse(upstream));
    assertThat(ours.length).isEqualTo(upstream.length);
    assertThat(ours).isEqualTo(upstream);
    assertThat(Digest.sha256(ours).toString()).isEqualTo(v.expected().get("ztoc_digest").asText());
    java.nio.ByteBuffer view = ZtocCodec.serializeToBuffer(ZtocCodec.parse(upstream));
    assertThat(Digest.sha256(view)).as("the buffer view, its position untouched").isEqualTo(Digest.sha256(upstream));
    byte[] viewed = new byte[view.remaining()];
    view.get(viewed);
    assertThat(viewed).isEqualTo(upstream);
    try (InputStream in = new io.soci4j.api.internal.ByteBufferInputStream(
        ZtocCodec.serializeToBuffer(ZtocCodec.parse(upstream)))) {
      in.mark(0);
      assertThat(in.read()).isEqualTo(upstream[0] & 0xff);
      in.reset();
      assertThat(in.readAllBytes()).isEqualTo(upstream);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  /** Repeated owner, group, time and link texts are one instance per layer once parsed. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void repeatedTextsAreSharedOnceParsed(Vector v) throws Exception {
    List<TocEntry> toc = ZtocCodec.parse(v.ztocBytes()).toc();
    java.util.Map<String, String> first = new java.util.HashMap<>();
    for (TocEntry e : toc) {
      for (String s : List.of(e.uname(), e.gname(), e.modTime(), e.linkName())) {
        assertThat(first.computeIfAbsent(s, k -> s)).as("'%s' in entry '%s'", s, e.name()).isSameAs(s);
      }
    }
  }

  /** The writer does not depend on the parser: a zTOC made from the JSON and the layer matches. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void ztocBuiltFromJsonAndLayerSerializesToUpstreamBytes(Vector v) throws Exception {
    JsonNode json = v.expected();
    JsonNode blobJson = json.get("checkpoints_blob");
    byte[] blob = GoldenJson.compression(json) == Compression.UNCOMPRESSED
        ? TarZinfo.encode(blobJson.get("span_size").asLong(), blobJson.get("size").asLong())
        : gzipBlob(blobJson, v.layerBytes());
    assertThat(Digest.sha256(blob).hex()).isEqualTo(blobJson.get("blob_sha256").asText());

    Ztoc z = new Ztoc(json.get("version").asText(), json.get("build_tool_identifier").asText(),
        json.get("compressed_archive_size").asLong(), json.get("uncompressed_archive_size").asLong(),
        GoldenJson.entries(json), GoldenJson.compression(json), GoldenJson.spanDigests(json), blob);

    assertThat(ZtocCodec.serialize(z)).isEqualTo(v.ztocBytes());
  }

  private static void assertCheckpoints(Ztoc z, JsonNode blobJson, long spanSize) {
    byte[] blob = z.checkpoints();
    assertThat(blob).hasSize(blobJson.get("blob_size").asInt());
    assertThat(Digest.sha256(blob).hex()).isEqualTo(blobJson.get("blob_sha256").asText());
    assertThat(blobJson.get("span_size").asLong()).isEqualTo(spanSize);
    if (z.compression() == Compression.UNCOMPRESSED) {
      TarZinfo tar = (TarZinfo) ZtocGeometry.of(z);
      assertThat(TarZinfo.VERSION).isEqualTo(blobJson.get("version").asInt());
      assertThat(tar.spanSize()).isEqualTo(spanSize);
      assertThat(tar.size()).isEqualTo(blobJson.get("size").asLong());
      assertThat(tar.spanCount()).isEqualTo(z.spanDigests().size());
      return;
    }
    GzipCheckpoints gz = (GzipCheckpoints) ZtocGeometry.of(z);
    assertThat(blobJson.get("blob_version").asInt()).isEqualTo(2);
    assertThat(gz.spanSize()).isEqualTo(spanSize);
    assertThat(gz.spanCount()).isEqualTo(blobJson.get("count").asInt());
    byte[] window = new byte[GzipCheckpoints.WINDOW_SIZE];
    for (JsonNode c : blobJson.get("checkpoints")) {
      int i = c.get("index").asInt();
      assertThat(gz.in(i)).as("in of checkpoint %d", i).isEqualTo(c.get("in").asLong());
      assertThat(gz.uncompressedStart(i)).as("out of checkpoint %d", i).isEqualTo(c.get("out").asLong());
      assertThat(gz.bits(i)).as("bits of checkpoint %d", i).isEqualTo(c.get("bits").asInt());
      gz.copyWindow(i, window, 0);
      assertThat(Digest.sha256(window).hex()).as("window of checkpoint %d", i)
          .isEqualTo(c.get("window_sha256").asText());
    }
  }

  private static void assertEntries(List<TocEntry> actual, JsonNode expected) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < actual.size(); i++) {
      TocEntry a = actual.get(i);
      JsonNode e = expected.get(i);
      String at = "entry " + i + " (" + a.name() + ")";
      assertThat(TarText.encode(a.name())).as(at + " name").isEqualTo(GoldenJson.bytes(e.get("name")));
      assertThat(a.type().wireName()).as(at + " type").isEqualTo(e.get("type").asText());
      assertThat(a.uncompressedOffset()).as(at).isEqualTo(e.get("uncompressed_offset").asLong());
      assertThat(a.uncompressedSize()).as(at).isEqualTo(e.get("uncompressed_size").asLong());
      assertThat(TarText.encode(a.linkName())).as(at).isEqualTo(GoldenJson.bytes(e.get("linkname")));
      assertThat(a.mode()).as(at + " mode").isEqualTo(e.get("mode").asLong());
      assertThat(a.uid()).as(at + " uid").isEqualTo(e.get("uid").asLong());
      assertThat(a.gid()).as(at + " gid").isEqualTo(e.get("gid").asLong());
      assertThat(a.uname()).as(at + " uname").isEqualTo(GoldenJson.text(e.get("uname")));
      assertThat(a.gname()).as(at + " gname").isEqualTo(GoldenJson.text(e.get("gname")));
      assertThat(a.modTime()).as(at + " mod_time").isEqualTo(e.get("mod_time").asText());
      assertThat(a.devMajor()).as(at).isEqualTo(e.get("devmajor").asLong());
      assertThat(a.devMinor()).as(at).isEqualTo(e.get("devminor").asLong());
      JsonNode pax = e.get("pax_records");
      assertThat(a.paxRecords()).as(at + " pax records").hasSize(pax.size());
      for (int j = 0; j < pax.size(); j++) {
        PaxRecord r = a.paxRecords().get(j);
        assertThat(TarText.encode(r.key())).as(at + " pax key " + j)
            .isEqualTo(GoldenJson.bytes(pax.get(j).get(0)));
        assertThat(r.value()).as(at + " pax value of " + r.key())
            .isEqualTo(GoldenJson.bytes(pax.get(j).get(1)));
      }
    }
  }

  /**
   * Rebuilds a gzip checkpoint blob from the JSON's offsets and the layer itself: each window is
   * the 32 KiB of the decompressed stream before the checkpoint, zeros in front.
   */
  private static byte[] gzipBlob(JsonNode blobJson, byte[] layer) throws IOException {
    byte[] tar;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
      tar = in.readAllBytes();
    }
    List<GzipCheckpoints.Checkpoint> checkpoints = new ArrayList<>();
    for (JsonNode c : blobJson.get("checkpoints")) {
      long out = c.get("out").asLong();
      byte[] window = new byte[GzipCheckpoints.WINDOW_SIZE];
      int have = (int) Math.min(out, window.length);
      System.arraycopy(tar, (int) out - have, window, window.length - have, have);
      checkpoints.add(new GzipCheckpoints.Checkpoint(c.get("in").asLong(), out,
          c.get("bits").asInt(), window));
    }
    assertThat(checkpoints).hasSize(blobJson.get("count").asInt());
    return GzipCheckpoints.encode(blobJson.get("span_size").asLong(), checkpoints);
  }

}
