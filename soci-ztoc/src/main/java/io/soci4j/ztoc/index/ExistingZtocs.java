package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * zTOCs already stored for an image manifest's layers, found through the v1 SOCI indexes that
 * refer to it, keyed by {@link #key(Digest, long)}. Only zTOCs still present in the store and
 * annotated with the span size count.
 */
final class ExistingZtocs {
  private ExistingZtocs() {}

  static String key(Digest layer, long spanSize) {
    return layer + "@" + spanSize;
  }

  static Map<String, Descriptor> find(ImageStore store, Digest manifest, long spanSize) throws IOException {
    Map<String, Descriptor> out = new HashMap<>();
    for (Descriptor ref : store.referrers(manifest, MediaTypes.SOCI_INDEX_V1)) {
      SociIndex index;
      try {
        index = SociIndex.parse(store.fetch(ref));
      } catch (SociException e) {
        continue; // not a usable index: build fresh zTOCs
      }
      for (Descriptor z : index.ztocs()) {
        String layer = z.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST);
        String span = z.annotations().get(MediaTypes.ANNOTATION_SPAN_SIZE);
        if (layer != null && String.valueOf(spanSize).equals(span) && store.exists(z)) {
          try {
            out.putIfAbsent(key(Digest.parse(layer), spanSize), z);
          } catch (IllegalArgumentException e) {
            // an unparsable layer digest annotation: ignore this zTOC
          }
        }
      }
    }
    return out;
  }
}
