package io.soci4j.ztoc.internal.json;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Platform;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON exactly as Go's {@code encoding/json} {@code Marshal} does (Go 1.22 and later), so
 * documents upstream soci-snapshotter writes can be reproduced byte for byte: no whitespace,
 * struct fields in declaration order with {@code omitempty} fields left out, map keys sorted
 * byte-wise, {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped as {@code \}{@code uXXXX},
 * control characters as {@code \b \f \n \r \t} or {@code \}{@code u00xx}, lone surrogates (which
 * Go sees as invalid UTF-8) as {@code \}{@code ufffd}.
 */
public final class GoJsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final Comparator<String> GO_STRING_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final StringBuilder out = new StringBuilder(512);
  /** Whether the next member or element needs a comma before it, per open container. */
  private final boolean[] needComma = new boolean[64];
  private int depth;

  /** {@return the document as UTF-8 bytes} */
  public byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** @return this, after opening an object */
  public GoJsonWriter beginObject() {
    separate();
    out.append('{');
    needComma[++depth] = false;
    return this;
  }

  /** @return this, after closing an object */
  public GoJsonWriter endObject() {
    out.append('}');
    depth--;
    return this;
  }

  /** @return this, after opening an array */
  public GoJsonWriter beginArray() {
    separate();
    out.append('[');
    needComma[++depth] = false;
    return this;
  }

  /** @return this, after closing an array */
  public GoJsonWriter endArray() {
    out.append(']');
    depth--;
    return this;
  }

  /**
   * @param name member name
   * @return this, ready for the member's value
   */
  public GoJsonWriter name(String name) {
    separate();
    string(name);
    out.append(':');
    needComma[depth] = false;
    return this;
  }

  /**
   * @param value a string value
   * @return this
   */
  public GoJsonWriter value(String value) {
    separate();
    string(value);
    return this;
  }

  /** @return this, after writing {@code null} */
  public GoJsonWriter nullValue() {
    separate();
    out.append("null");
    return this;
  }

  /**
   * @param value a number
   * @return this
   */
  public GoJsonWriter value(long value) {
    separate();
    out.append(value);
    return this;
  }

  /**
   * Writes a string map with keys in Go's order.
   *
   * @param map the map
   * @return this
   */
  public GoJsonWriter value(Map<String, String> map) {
    beginObject();
    map.keySet().stream().sorted(GO_STRING_ORDER).forEach(k -> name(k).value(map.get(k)));
    return endObject();
  }

  /**
   * Writes an OCI descriptor as image-spec's Go struct: mediaType, digest, size, urls,
   * annotations, data, platform, artifactType (empty optional fields left out).
   *
   * @param d the descriptor
   * @return this
   */
  public GoJsonWriter value(Descriptor d) {
    beginObject();
    name("mediaType").value(d.mediaType());
    name("digest").value(d.digest().toString());
    name("size").value(d.size());
    if (!d.urls().isEmpty()) {
      name("urls").beginArray();
      d.urls().forEach(this::value);
      endArray();
    }
    if (!d.annotations().isEmpty()) {
      name("annotations").value(d.annotations());
    }
    if (!d.data().isEmpty()) {
      name("data").value(d.data());
    }
    if (d.platform() != null) {
      name("platform").value(d.platform());
    }
    if (!d.artifactType().isEmpty()) {
      name("artifactType").value(d.artifactType());
    }
    return endObject();
  }

  /**
   * Writes an image-spec platform: architecture, os, os.version, os.features, variant (empty
   * optional fields left out).
   *
   * @param p the platform
   * @return this
   */
  public GoJsonWriter value(Platform p) {
    beginObject();
    name("architecture").value(p.architecture());
    name("os").value(p.os());
    if (!p.osVersion().isEmpty()) {
      name("os.version").value(p.osVersion());
    }
    if (!p.osFeatures().isEmpty()) {
      name("os.features").beginArray();
      p.osFeatures().forEach(this::value);
      endArray();
    }
    if (!p.variant().isEmpty()) {
      name("variant").value(p.variant());
    }
    return endObject();
  }

  /**
   * Writes descriptors as an array.
   *
   * @param descriptors the descriptors
   * @return this
   */
  public GoJsonWriter value(List<Descriptor> descriptors) {
    beginArray();
    descriptors.forEach(this::value);
    return endArray();
  }

  private void separate() {
    if (depth > 0) {
      if (needComma[depth]) {
        out.append(',');
      }
      needComma[depth] = true;
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
          out.append(c);
          continue;
        }
        switch (c) {
          case '"', '\\' -> out.append('\\').append(c);
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
      } else if (c == '\u2028' || c == '\u2029') {
        out.append("\\u202").append(HEX[c & 0xF]);
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append("\\ufffd");
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
