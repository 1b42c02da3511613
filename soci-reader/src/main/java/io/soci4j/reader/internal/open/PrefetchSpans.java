package io.soci4j.reader.internal.open;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.util.TreeSet;

/**
 * Reads a prefetch artifact (SOCI format spec §4):
 * {@code {"version":"1.0","prefetch_spans":[{"start_span":S,"end_span":E}]}}.
 */
public final class PrefetchSpans {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrefetchSpans() {}

  /**
   * The span ids an artifact names.
   *
   * @param json the artifact
   * @param spanCount spans of the layer (ids at or beyond are an error)
   * @return the ids, ascending
   * @throws SociException when the artifact is malformed
   */
  public static int[] parse(byte[] json, int spanCount) throws SociException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new SociException("prefetch artifact is not valid JSON: " + e.getMessage());
    }
    JsonNode list = root == null ? null : root.get("prefetch_spans");
    if (list == null || !list.isArray()) {
      throw new SociException("prefetch artifact has no prefetch_spans array");
    }
    TreeSet<Integer> ids = new TreeSet<>();
    for (JsonNode r : list) {
      int start = r.path("start_span").asInt(-1);
      int end = r.path("end_span").asInt(-1);
      if (start < 0 || end < start || end >= spanCount) {
        throw new SociException("prefetch artifact names spans " + start + ".." + end + " of a layer with "
            + spanCount + " spans");
      }
      for (int s = start; s <= end; s++) {
        ids.add(s);
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }
}
