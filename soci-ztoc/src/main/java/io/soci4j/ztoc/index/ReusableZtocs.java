package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * zTOCs that can stand in for building one, by layer digest, for one span size (upstream's
 * artifact database plays this part): those built earlier in the same run, and, unless zTOCs are
 * forced to be rebuilt, those listed by SOCI indexes already in the store (the v2 indexes of a
 * SOCI-enabled image being converted again, the v1 indexes referring to a manifest). Only zTOCs
 * whose blob is in the store and whose span-size annotation matches count. Thread-safe.
 */
final class ReusableZtocs {
  private final long spanSize;
  private final boolean lookInStore;
  private final Map<Digest, Descriptor> known = new ConcurrentHashMap<>();

  private ReusableZtocs(long spanSize, boolean lookInStore) {
    this.spanSize = spanSize;
    this.lookInStore = lookInStore;
  }

  /** {@return an empty set for these options} */
  static ReusableZtocs forOptions(IndexOptions options) {
    return new ReusableZtocs(options.spanSize(), !options.forceRecreate());
  }

  /**
   * The set for a conversion: with the zTOCs of the image's own SOCI index entries.
   *
   * @param entries the entries of the image being converted
   */
  static ReusableZtocs of(ImageStore store, List<Descriptor> entries, IndexOptions options) throws IOException {
    ReusableZtocs r = forOptions(options);
    if (r.lookInStore) {
      for (Descriptor d : entries) {
        if (SociConverter.isSociIndex(d)) {
          r.addIndex(store, d);
        }
      }
    }
    return r;
  }

  /** Adds the zTOCs of the v1 SOCI indexes referring to a manifest (unless rebuilding is forced). */
  void addReferrersOf(ImageStore store, Digest manifest) throws IOException {
    if (lookInStore) {
      for (Descriptor ref : store.referrers(manifest, MediaTypes.SOCI_INDEX_V1)) {
        addIndex(store, ref);
      }
    }
  }

  private void addIndex(ImageStore store, Descriptor ref) throws IOException {
    SociIndex index;
    try {
      index = SociIndex.parse(store.fetch(ref));
    } catch (SociException e) {
      return; // not a usable index (or not stored): build fresh zTOCs
    }
    for (Descriptor z : index.ztocs()) {
      String layer = z.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST);
      String span = z.annotations().get(MediaTypes.ANNOTATION_SPAN_SIZE);
      if (layer != null && String.valueOf(spanSize).equals(span) && store.exists(z)) {
        try {
          known.putIfAbsent(Digest.parse(layer), Descriptor.of(MediaTypes.ZTOC, z.digest(), z.size()));
        } catch (IllegalArgumentException e) {
          // an unparsable layer digest annotation: ignore this zTOC
        }
      }
    }
  }

  /** {@return the zTOC to reuse for a layer, or null} */
  Descriptor get(Digest layer) {
    return known.get(layer);
  }

  /** Records a zTOC just built for a layer. */
  void add(Digest layer, Descriptor ztoc) {
    known.putIfAbsent(layer, Descriptor.of(MediaTypes.ZTOC, ztoc.digest(), ztoc.size()));
  }
}
