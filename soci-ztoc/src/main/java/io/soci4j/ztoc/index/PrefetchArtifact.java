package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.internal.json.GoJsonWriter;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.TarZinfo;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prefetch artifact (SOCI format spec §4, experimental upstream): the spans of a layer that
 * hold the given files, as {@code {"version":"1.0","prefetch_spans":[{"start_span":S,"end_span":E}]}}
 * with overlapping and adjacent runs merged, annotated with the layer digest.
 *
 * @param descriptor the artifact's descriptor
 * @param json its bytes
 */
record PrefetchArtifact(Descriptor descriptor, byte[] json) {

  /** A run of spans, both ends included. */
  private record Run(int start, int end) {}

  /**
   * The prefetch artifacts of an image, as upstream builds them: each path (cleaned, leading
   * {@code /} dropped) is looked up from the topmost indexed layer down, and the first entry
   * whose name, cleaned the same way, is that path (any type, even empty) contributes the spans
   * from the one holding its first byte to the one holding the offset just past its last byte; a
   * path found nowhere is ignored. One artifact per layer with spans, in layer order (a layer
   * listed twice gets it twice). One deliberate difference: upstream compares the stored name as
   * it is, so entries stored as {@code ./etc/os-release} (tars made with {@code tar -C dir .})
   * never match there and such images silently get no prefetch artifact.
   *
   * @param layers the manifest's layers, in order
   * @param ztocs the zTOCs of the indexed layers, by layer digest
   * @param paths the prefetch paths
   * @return the artifacts
   */
  static List<PrefetchArtifact> forImage(List<Descriptor> layers, Map<Digest, Ztoc> ztocs, List<String> paths) {
    Map<Digest, List<Run>> runs = new LinkedHashMap<>();
    for (String path : paths) {
      String wanted = clean(path);
      search:
      for (int i = layers.size() - 1; i >= 0; i--) {
        Digest layer = layers.get(i).digest();
        Ztoc ztoc = ztocs.get(layer);
        if (ztoc == null) {
          continue;
        }
        for (TocEntry e : ztoc.toc()) {
          if (clean(e.name()).equals(wanted)) {
            int start = spanOf(ztoc, e.uncompressedOffset());
            int end = Math.max(start, spanOf(ztoc, e.uncompressedOffset() + e.uncompressedSize()));
            runs.computeIfAbsent(layer, k -> new ArrayList<>()).add(new Run(start, end));
            break search;
          }
        }
      }
    }
    List<PrefetchArtifact> out = new ArrayList<>();
    for (Descriptor layer : layers) {
      List<Run> r = runs.get(layer.digest());
      if (r != null) {
        out.add(artifact(layer, merged(r)));
      }
    }
    return out;
  }

  private static PrefetchArtifact artifact(Descriptor layer, List<Run> runs) {
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("version").value("1.0");
    w.name("prefetch_spans").beginArray();
    for (Run r : runs) {
      w.beginObject().name("start_span").value(r.start()).name("end_span").value(r.end()).endObject();
    }
    byte[] json = w.endArray().endObject().toBytes();
    Descriptor d = Descriptor.of(MediaTypes.SOCI_PREFETCH, json)
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_DIGEST, layer.digest().toString());
    return new PrefetchArtifact(d, json);
  }

  /** Upstream's {@code normalizePrefetchSpans}: sorted, overlapping or adjacent runs merged. */
  private static List<Run> merged(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingInt(Run::start).thenComparingInt(Run::end));
    Deque<Run> out = new ArrayDeque<>();
    for (Run r : sorted) {
      Run last = out.peekLast();
      if (last != null && r.start() <= last.end() + 1) {
        out.pollLast();
        out.add(new Run(last.start(), Math.max(last.end(), r.end())));
      } else {
        out.add(r);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Upstream's {@code UncompressedOffsetToSpanID}: for tar the offset divided by the span size
   * (not capped at the last span), otherwise the last span starting at or before the offset.
   */
  private static int spanOf(Ztoc ztoc, long offset) {
    SpanGeometry spans = ZtocGeometry.of(ztoc);
    if (spans instanceof TarZinfo tar) {
      return (int) Math.min(Integer.MAX_VALUE, offset / tar.spanSize());
    }
    return spans.spanOf(offset);
  }

  /** Go's {@code strings.TrimPrefix(filepath.Clean("/" + path), "/")}. */
  static String clean(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        parts.pollLast();
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }
}
