package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.internal.json.GoJsonWriter;
import io.soci4j.ztoc.internal.zinfo.SpanGeometry;
import io.soci4j.ztoc.internal.zinfo.ZtocGeometry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A prefetch artifact (SOCI format spec §4, experimental upstream): the spans of a layer that
 * hold the given files, as {@code {"version":"1.0","prefetch_spans":[{"start_span":S,"end_span":E}]}}
 * with runs of consecutive spans merged, annotated with the layer digest.
 *
 * @param descriptor the artifact's descriptor
 * @param json its bytes
 */
record PrefetchArtifact(Descriptor descriptor, byte[] json) {

  static Optional<PrefetchArtifact> build(Ztoc ztoc, Descriptor layer, List<String> paths) {
    if (paths.isEmpty()) {
      return Optional.empty();
    }
    Set<String> wanted = paths.stream().map(PrefetchArtifact::clean).collect(Collectors.toSet());
    SpanGeometry spans = ZtocGeometry.of(ztoc);
    TreeSet<Integer> ids = new TreeSet<>();
    for (TocEntry e : ztoc.toc()) {
      if (e.uncompressedSize() > 0 && wanted.contains(clean(e.name()))) {
        for (int s = spans.spanOf(e.uncompressedOffset()); s < spans.spanCount()
            && spans.uncompressedStart(s) < e.uncompressedEnd(); s++) {
          ids.add(s);
        }
      }
    }
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("version").value("1.0");
    w.name("prefetch_spans").beginArray();
    Integer start = null;
    int prev = -2;
    for (int id : ids) {
      if (start != null && id != prev + 1) {
        w.beginObject().name("start_span").value(start).name("end_span").value(prev).endObject();
        start = null;
      }
      if (start == null) {
        start = id;
      }
      prev = id;
    }
    w.beginObject().name("start_span").value(start).name("end_span").value(prev).endObject();
    byte[] json = w.endArray().endObject().toBytes();
    Descriptor d = Descriptor.of(MediaTypes.SOCI_PREFETCH, json)
        .withAnnotation(MediaTypes.ANNOTATION_LAYER_DIGEST, layer.digest().toString());
    return Optional.of(new PrefetchArtifact(d, json));
  }

  /** Paths compare without leading "/" or "./" and without a trailing "/". */
  static String clean(String path) {
    String p = path;
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
