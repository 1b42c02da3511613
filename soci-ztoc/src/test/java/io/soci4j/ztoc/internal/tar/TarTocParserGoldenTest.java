package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser against the TOCs upstream built for the golden vectors, under many chunkings. */
class TarTocParserGoldenTest {
  private static final int[] CHUNKS = {1, 7, 512, 4096, 65536, Integer.MAX_VALUE};

  static Stream<Arguments> buildable() {
    List<Arguments> out = new ArrayList<>();
    for (Vector v : GoldenVectors.buildable()) {
      for (int chunk : CHUNKS) {
        if (chunk == 1 && v.layer().toFile().length() > 1_000_000 && !v.algorithm().equals("uncompressed")) {
          // one-byte chunks of the big layers are covered by small.tar; keep the suite fast
          continue;
        }
        out.add(Arguments.of(v, chunk));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} in chunks of {1}")
  @MethodSource("buildable")
  void everyEntryFieldAndArchiveSizeMatchUpstream(Vector v, int chunk) throws Exception {
    byte[] tar = tarBytes(v);
    TarTocParser parser = new TarTocParser();
    feed(parser, tar, chunk);
    List<TocEntry> entries = parser.finish();
    JsonNode expected = v.expected();

    assertThat(parser.archiveSize()).isEqualTo(expected.get("uncompressed_archive_size").asLong());
    assertThat(parser.endOfArchiveSeen()).isTrue();
    JsonNode want = expected.get("entries");
    assertThat(entries).hasSize(want.size());
    for (int i = 0; i < entries.size(); i++) {
      assertEntry(entries.get(i), want.get(i), v + " entry " + i);
    }
  }

  static Stream<Vector> refused() {
    return GoldenVectors.refused().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedVectorsAreUnsupportedNamingEntryAndFlag(Vector v) throws Exception {
    String err = new String(java.nio.file.Files.readAllBytes(v.err()), StandardCharsets.UTF_8).trim();
    String flag = err.substring(err.lastIndexOf("unsupported input tar entry "));
    byte[] tar = tarBytes(v);
    for (int chunk : new int[] {7, 4096, Integer.MAX_VALUE}) {
      TarTocParser parser = new TarTocParser();
      assertThatThrownBy(() -> {
        feed(parser, tar, chunk);
        parser.finish();
      })
          .isInstanceOf(UnsupportedLayerException.class)
          .hasMessageContaining(flag)
          .satisfies(e -> assertThat(((LayerFormatException) e).entryName()).isNotBlank())
          .satisfies(e -> assertThat(e.getMessage()).contains("entry '" + ((LayerFormatException) e).entryName()));
    }
  }

  static void feed(TarTocParser parser, byte[] tar, int chunk) throws LayerFormatException {
    for (int off = 0; off < tar.length; off += chunk) {
      parser.accept(tar, off, Math.min(chunk, tar.length - off));
    }
  }

  static byte[] tarBytes(Vector v) {
    byte[] layer = v.layerBytes();
    if (v.algorithm().equals("uncompressed")) {
      return layer;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertEntry(TocEntry got, JsonNode want, String where) {
    assertThat(TarText.encode(got.name())).as(where + " name").isEqualTo(bytes(want.get("name")));
    assertThat(got.type().wireName()).as(where + " type").isEqualTo(want.get("type").asText());
    assertThat(got.uncompressedOffset()).as(where + " offset").isEqualTo(want.get("uncompressed_offset").asLong());
    assertThat(got.uncompressedSize()).as(where + " size").isEqualTo(want.get("uncompressed_size").asLong());
    assertThat(TarText.encode(got.linkName())).as(where + " linkname").isEqualTo(bytes(want.get("linkname")));
    assertThat(got.mode()).as(where + " mode").isEqualTo(want.get("mode").asLong());
    assertThat(got.uid()).as(where + " uid").isEqualTo(want.get("uid").asLong());
    assertThat(got.gid()).as(where + " gid").isEqualTo(want.get("gid").asLong());
    assertThat(TarText.encode(got.uname())).as(where + " uname").isEqualTo(bytes(want.get("uname")));
    assertThat(TarText.encode(got.gname())).as(where + " gname").isEqualTo(bytes(want.get("gname")));
    assertThat(got.modTime()).as(where + " mod_time").isEqualTo(want.get("mod_time").asText());
    assertThat(got.devMajor()).as(where + " devmajor").isEqualTo(want.get("devmajor").asLong());
    assertThat(got.devMinor()).as(where + " devminor").isEqualTo(want.get("devminor").asLong());
    JsonNode records = want.get("pax_records");
    assertThat(got.paxRecords()).as(where + " pax record count").hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      PaxRecord r = got.paxRecords().get(i);
      assertThat(TarText.encode(r.key())).as(where + " pax key " + i).isEqualTo(bytes(records.get(i).get(0)));
      assertThat(r.value()).as(where + " pax value of " + r.key()).isEqualTo(bytes(records.get(i).get(1)));
    }
  }

  /** A JSON string as UTF-8, or a {@code {"hex": ...}} object as its bytes. */
  private static byte[] bytes(JsonNode n) {
    if (n.isObject()) {
      return HexFormat.of().parseHex(n.get("hex").asText());
    }
    return n.asText().getBytes(StandardCharsets.UTF_8);
  }
}
