package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.internal.json.ManifestJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * zTOCs that can stand in for building one, by layer digest, for one span size (upstream's
 * artifact database plays this part): those built earlier in the same run, and, unless zTOCs are
 * forced to be rebuilt, those listed by SOCI indexes already in the store: the v2 indexes of the
 * image being converted, the v1 indexes referring to a manifest, and, looked up once when a layer
 * is not found among those, the v2 indexes of the SOCI-enabled images tagged in the repository or
 * layout (the first {@value #MAX_TAGS} tags). A zTOC counts only when its span-size annotation
 * matches and its blob is in the store. Thread-safe.
 */
final class ReusableZtocs {
  /** Tags looked at for SOCI-enabled images. */
  static final int MAX_TAGS = 100;

  private final ImageStore store;
  private final long spanSize;
  private final boolean lookInStore;
  /** zTOCs whose blob is known to be in the store. */
  private final Map<Digest, Descriptor> known = new ConcurrentHashMap<>();
  /** zTOCs listed by indexes, blob not checked yet. */
  private final Map<Digest, Descriptor> listed = new ConcurrentHashMap<>();
  private boolean tagsScanned;

  private ReusableZtocs(ImageStore store, long spanSize, boolean lookInStore) {
    this.store = store;
    this.spanSize = spanSize;
    this.lookInStore = lookInStore;
  }

  /** {@return an empty set for these options} */
  static ReusableZtocs forOptions(ImageStore store, IndexOptions options) {
    return new ReusableZtocs(store, options.spanSize(), !options.forceRecreate());
  }

  /**
   * The set for a conversion: with the zTOCs of the image's own SOCI index entries.
   *
   * @param entries the entries of the image being converted
   */
  static ReusableZtocs of(ImageStore store, List<Descriptor> entries, IndexOptions options) throws IOException {
    ReusableZtocs r = forOptions(store, options);
    if (r.lookInStore) {
      r.addSociEntries(entries);
    }
    return r;
  }

  /** Adds the zTOCs of the v1 SOCI indexes referring to a manifest (unless rebuilding is forced). */
  void addReferrersOf(Digest manifest) throws IOException {
    if (lookInStore) {
      for (Descriptor ref : store.referrers(manifest, MediaTypes.SOCI_INDEX_V1)) {
        addIndex(ref);
      }
    }
  }

  private void addSociEntries(List<Descriptor> entries) throws IOException {
    for (Descriptor d : entries) {
      if (SociConverter.isSociIndex(d)) {
        addIndex(d);
      }
    }
  }

  private void addIndex(Descriptor ref) throws IOException {
    SociIndex index;
    try {
      index = SociIndex.parse(store.fetch(ref));
    } catch (SociException e) {
      return; // not a usable index (or not stored): build fresh zTOCs
    }
    for (Descriptor z : index.ztocs()) {
      String layer = z.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST);
      String span = z.annotations().get(MediaTypes.ANNOTATION_SPAN_SIZE);
      if (layer != null && String.valueOf(spanSize).equals(span)) {
        try {
          listed.putIfAbsent(Digest.parse(layer), Descriptor.of(MediaTypes.ZTOC, z.digest(), z.size()));
        } catch (IllegalArgumentException e) {
          // an unparsable layer digest annotation: ignore this zTOC
        }
      }
    }
  }

  /** Lists the zTOCs of the SOCI-enabled images among the store's first tags, once. */
  private synchronized void scanTags() throws IOException {
    if (tagsScanned || !lookInStore) {
      return;
    }
    tagsScanned = true;
    for (String tag : store.tags(MAX_TAGS)) {
      Descriptor image;
      try {
        image = store.resolve(tag);
        if (MediaTypes.isIndex(image.mediaType())) {
          addSociEntries(ManifestJson.parse(image, store.fetch(image)).manifests());
        }
      } catch (SociException e) {
        // a tag that vanished or holds something unreadable: nothing to reuse there
      }
    }
  }

  /** {@return the zTOC to reuse for a layer, or null} */
  Descriptor get(Digest layer) throws IOException {
    Descriptor d = known.get(layer);
    if (d == null && lookInStore) {
      d = checked(layer);
      if (d == null) {
        scanTags();
        d = checked(layer);
      }
    }
    return d;
  }

  private Descriptor checked(Digest layer) throws IOException {
    Descriptor candidate = listed.remove(layer);
    if (candidate != null && store.exists(candidate)) {
      known.putIfAbsent(layer, candidate);
      return candidate;
    }
    return null;
  }

  /** Records a zTOC just built for a layer. */
  void add(Digest layer, Descriptor ztoc) {
    known.putIfAbsent(layer, Descriptor.of(MediaTypes.ZTOC, ztoc.digest(), ztoc.size()));
  }
}
