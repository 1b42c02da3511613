package io.soci4j.ztoc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.internal.tar.TarText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Turns the fields of a golden vector's {@code expected/<name>.json} into model values. */
public final class GoldenJson {
  private GoldenJson() {}

  /**
   * The bytes of a JSON text: a string (UTF-8) or {@code {"hex": "..."}} for bytes that are not
   * UTF-8.
   */
  public static byte[] bytes(JsonNode text) {
    if (text.isObject()) {
      return HexFormat.of().parseHex(text.get("hex").asText());
    }
    return text.asText().getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON text as the model keeps it (invalid UTF-8 bytes escaped, see {@link TarText}). */
  public static String text(JsonNode text) {
    byte[] b = bytes(text);
    return TarText.decode(b, 0, b.length);
  }

  /** The compression named in the JSON. */
  public static Compression compression(JsonNode json) {
    String label = json.get("compression_algorithm").asText();
    for (Compression c : Compression.values()) {
      if (c.label().equals(label)) {
        return c;
      }
    }
    throw new AssertionError("unknown compression " + label);
  }

  /** The span digests. */
  public static List<Digest> spanDigests(JsonNode json) {
    List<Digest> out = new ArrayList<>();
    json.get("span_digests").forEach(d -> out.add(Digest.parse(d.asText())));
    return out;
  }

  /** The TOC entries, in stored order. */
  public static List<TocEntry> entries(JsonNode json) {
    List<TocEntry> out = new ArrayList<>();
    for (JsonNode e : json.get("entries")) {
      List<PaxRecord> pax = new ArrayList<>();
      for (JsonNode r : e.get("pax_records")) {
        pax.add(new PaxRecord(text(r.get(0)), bytes(r.get(1))));
      }
      out.add(TocEntry.builder()
          .name(text(e.get("name")))
          .type(EntryType.fromWireName(e.get("type").asText()))
          .uncompressedOffset(e.get("uncompressed_offset").asLong())
          .uncompressedSize(e.get("uncompressed_size").asLong())
          .linkName(text(e.get("linkname")))
          .mode(e.get("mode").asLong())
          .uid(e.get("uid").asLong())
          .gid(e.get("gid").asLong())
          .uname(text(e.get("uname")))
          .gname(text(e.get("gname")))
          .modTime(text(e.get("mod_time")))
          .devMajor(e.get("devmajor").asLong())
          .devMinor(e.get("devminor").asLong())
          .paxRecords(pax)
          .build());
    }
    return out;
  }
}
