package io.soci4j.ztoc.index;

import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.internal.json.ManifestJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the SOCI index of an image.
 *
 * <p>The rule: resolve the reference; in a multi-platform image pick the manifest of the wanted
 * platform (default: the JVM's). Then, first, the v2 link: the manifest's {@code
 * com.amazon.soci.index-digest} annotation (a SOCI-enabled image). Otherwise the v1 indexes the
 * referrers API lists for the manifest (artifact type {@code application/vnd.amazon.soci.index.v1+json});
 * among several, the one with the most zTOCs wins, ties going to the lowest digest, so the choice
 * does not depend on the registry's listing order. The chosen index is validated against the
 * manifest: every zTOC must name a layer of the manifest by digest and media type.
 */
public final class SociIndexFinder {
  private final Platform platform;

  private SociIndexFinder(Platform platform) {
    this.platform = platform;
  }

  /**
   * @param platform the platform to pick in a multi-platform image
   * @return a finder for that platform
   */
  public static SociIndexFinder forPlatform(Platform platform) {
    return new SociIndexFinder(platform);
  }

  /** {@return a finder for the JVM's platform} */
  public static SociIndexFinder forCurrentPlatform() {
    return new SociIndexFinder(Platform.current());
  }

  /**
   * Finds, loads and validates the SOCI index of an image.
   *
   * @param store the store holding the image
   * @param reference tag or digest of the image
   * @return the index, or empty when the image has none
   * @throws SociException when the index found does not match the image
   * @throws IOException on store failures
   */
  public Optional<FoundIndex> find(ImageStore store, String reference) throws IOException {
    Descriptor image = store.resolve(reference);
    Descriptor manifest = image;
    Platform chosen = image.platform();
    List<Descriptor> siblings = List.of();
    if (MediaTypes.isIndex(image.mediaType())) {
      ManifestJson index = ManifestJson.parse(image, store.fetch(image));
      siblings = index.manifests();
      Descriptor match = null;
      for (Descriptor d : index.manifests()) {
        if (SociIndexBuilder.isImageManifest(d) && platform.matches(d.platform())) {
          match = d;
          break;
        }
      }
      if (match == null) {
        throw new ContentNotFoundException("manifest for platform " + platform + " in image " + image.digest(),
            "the image has " + index.manifests().stream().filter(SociIndexBuilder::isImageManifest)
                .map(d -> d.platform().toString()).distinct().toList() + " (choose one with --platform)");
      }
      manifest = match;
      chosen = match.platform();
    }
    ManifestJson m = ManifestJson.parse(manifest, store.fetch(manifest));
    Descriptor indexDescriptor = v2Link(store, siblings, manifest, m).orElse(null);
    SociIndex index;
    if (indexDescriptor != null) {
      index = SociIndex.parse(store.fetch(indexDescriptor));
    } else {
      Optional<Map.Entry<Descriptor, SociIndex>> v1 = pickV1(store, manifest.digest());
      if (v1.isEmpty()) {
        return Optional.empty();
      }
      indexDescriptor = v1.get().getKey();
      index = v1.get().getValue();
    }
    validate(index, manifest, m.layers());
    return Optional.of(new FoundIndex(chosen, manifest, indexDescriptor, index, m.layers()));
  }

  /**
   * The v2 link: in a SOCI-enabled image index, the descriptor of artifact type v2 annotated with
   * this manifest's digest (it carries the size); else the manifest's index-digest annotation,
   * resolved in the store.
   */
  private static Optional<Descriptor> v2Link(ImageStore store, List<Descriptor> siblings, Descriptor manifest,
      ManifestJson m) throws IOException {
    for (Descriptor d : siblings) {
      if (d.artifactType().equals(MediaTypes.SOCI_INDEX_V2) && manifest.digest().toString()
          .equals(d.annotations().get(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST))) {
        return Optional.of(d);
      }
    }
    String digest = m.annotations().get(MediaTypes.ANNOTATION_INDEX_DIGEST);
    if (digest == null) {
      return Optional.empty();
    }
    try {
      Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new SociException("image manifest annotation " + MediaTypes.ANNOTATION_INDEX_DIGEST + " is invalid: "
          + e.getMessage());
    }
    return Optional.of(store.resolve(digest));
  }

  /** The v1 index with the most zTOCs, ties to the lowest digest; fetched and parsed once. */
  private static Optional<Map.Entry<Descriptor, SociIndex>> pickV1(ImageStore store, Digest manifest)
      throws IOException {
    List<Map.Entry<Descriptor, SociIndex>> candidates = new ArrayList<>();
    for (Descriptor ref : store.referrers(manifest, MediaTypes.SOCI_INDEX_V1)) {
      try {
        candidates.add(Map.entry(ref, SociIndex.parse(store.fetch(ref))));
      } catch (SociException e) {
        // a referrer of the right type that is not a valid index: not a candidate
      }
    }
    return candidates.stream()
        .sorted(Comparator.<Map.Entry<Descriptor, SociIndex>>comparingInt(e -> e.getValue().ztocs().size()).reversed()
            .thenComparing(e -> e.getKey().digest().toString()))
        .findFirst();
  }

  static void validate(SociIndex index, Descriptor manifest, List<Descriptor> layers) throws SociException {
    if (index.subject() != null && !index.subject().digest().equals(manifest.digest())) {
      throw new SociException("SOCI index subject " + index.subject().digest() + " is not the image manifest "
          + manifest.digest());
    }
    for (Descriptor z : index.ztocs()) {
      String layerDigest = z.annotations().get(MediaTypes.ANNOTATION_LAYER_DIGEST);
      Descriptor layer = layers.stream().filter(l -> l.digest().toString().equals(layerDigest)).findFirst()
          .orElseThrow(() -> new SociException("zTOC " + z.digest() + " is for layer " + layerDigest
              + ", which is not a layer of manifest " + manifest.digest()));
      String type = z.annotations().get(MediaTypes.ANNOTATION_LAYER_MEDIA_TYPE);
      if (type != null && !type.equals(layer.mediaType())) {
        throw new SociException("zTOC " + z.digest() + " says layer " + layerDigest + " is " + type
            + " but the manifest says " + layer.mediaType());
      }
    }
  }
}
