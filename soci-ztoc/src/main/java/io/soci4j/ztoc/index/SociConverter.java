package io.soci4j.ztoc.index;

import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.internal.json.ManifestJson;
import io.soci4j.ztoc.internal.json.OciDocuments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Converts an image into a SOCI-enabled image (SOCI index v2, format spec §4), byte for byte as
 * upstream soci-snapshotter's {@code soci convert} does:
 *
 * <ul>
 *   <li>The platforms converted are the requested ones ({@link SociIndexBuilder#withPlatforms},
 *       deduplicated after normalization, first spelling kept), every platform of the image
 *       ({@link SociIndexBuilder#withAllPlatforms}: the index entries' platforms as written,
 *       {@code unknown} ones left out), or by default the JVM's platform; a single manifest
 *       converts for its config's platform, normalized ({@code arm64/v8} is {@code arm64}).
 *       A platform selects the first index entry that strictly matches it (containerd's {@code
 *       platforms.OnlyStrict}); a platform whose layers are all skipped is passed over, and
 *       when none is left the conversion fails with upstream's message.
 *   <li>The result is an OCI image index: the image's index (any Docker manifest list becomes an
 *       OCI index, its {@code artifactType}, {@code subject} and annotations kept) or a new index
 *       around a single manifest. Every image manifest in it is re-serialized as an OCI manifest
 *       (OCI media types for the manifest and its config; layers keep theirs), converted ones
 *       with the annotation {@code com.amazon.soci.index-digest}, and each entry's annotations
 *       become the manifest's own; platform, URLs and data of the entries are kept.
 *   <li>Each SOCI index is listed with the requested platform and {@code
 *       com.amazon.soci.image-manifest-digest}, replacing an existing SOCI index entry of the
 *       same platform (so converting a SOCI-enabled image again with the same options gives the
 *       same digest) or appended after the existing entries.
 * </ul>
 *
 * <p>Two deliberate differences from upstream, both where upstream writes broken content: SOCI
 * index entries of platforms not converted again are kept as they are (upstream rewrites them as
 * if they were images, so they point at manifests with the wrong config media type) with their
 * image-manifest-digest updated if that manifest's digest changed; and nested indexes are kept
 * as they are. Layers are shared with the original, which is left untouched. zTOCs already in
 * the store for the same layer and span size (built earlier in the run, listed by a SOCI index
 * of the image, or by a v1 index of its manifests) are reused, and reported {@link
 * LayerReport.Status#REUSED}.
 *
 * <pre>{@code
 * ConvertedImage converted = SociConverter.of(SociIndexBuilder.create()).convert(store, "1.0", "1.0-soci");
 * }</pre>
 */
public final class SociConverter {
  private final SociIndexBuilder builder;

  private SociConverter(SociIndexBuilder builder) {
    this.builder = builder;
  }

  /**
   * @param builder options for the zTOCs and indexes; its platforms choose what to convert (the
   *     JVM's platform when none are set)
   * @return a converter
   */
  public static SociConverter of(SociIndexBuilder builder) {
    return new SociConverter(Objects.requireNonNull(builder, "builder"));
  }

  /**
   * The result of a conversion.
   *
   * @param index descriptor of the new image index
   * @param platforms the SOCI indexes built, one per converted platform, in request order
   */
  public record ConvertedImage(Descriptor index, List<PlatformIndex> platforms) {
    /**
     * Copies.
     *
     * @param index see the record component
     * @param platforms see the record component
     */
    public ConvertedImage {
      platforms = List.copyOf(platforms);
    }
  }

  /**
   * Converts an image and tags the SOCI-enabled index.
   *
   * @param store the store holding the image; results are pushed there
   * @param reference tag or digest of the image
   * @param newTag tag for the SOCI-enabled image
   * @return what was built
   * @throws IndexBuildException when a layer fails, or no platform has a layer to index
   * @throws ContentNotFoundException when no manifest matches a requested platform
   * @throws IOException on store failures
   */
  public ConvertedImage convert(ImageStore store, String reference, String newTag) throws IOException {
    ConvertedImage converted = convert(store, reference);
    store.tag(converted.index(), newTag);
    return converted;
  }

  /**
   * Converts an image without tagging the result: every blob is pushed to the store, and the
   * returned index descriptor is the only way to the SOCI-enabled image.
   *
   * @param store the store holding the image; results are pushed there
   * @param reference tag or digest of the image
   * @return what was built
   * @throws IndexBuildException when a layer fails, or no platform has a layer to index
   * @throws ContentNotFoundException when no manifest matches a requested platform
   * @throws IOException on store failures
   */
  public ConvertedImage convert(ImageStore store, String reference) throws IOException {
    return convert(store, reference, SociConverter::unchanged);
  }

  /**
   * A platform manifest as the SOCI index is built for it: the original, or a rewritten copy (the
   * zstd converter's recompressed layers) that is not stored itself.
   *
   * @param manifest its descriptor
   * @param json its parsed content
   * @param stored whether it is the stored original (existing zTOCs may be reused)
   * @param ztocs zTOCs built while rewriting, by layer digest
   */
  record Rewritten(Descriptor manifest, ManifestJson json, boolean stored, Map<Digest, Ztoc> ztocs) {}

  /** Rewrites a platform manifest before its SOCI index is built. */
  @FunctionalInterface
  interface ManifestRewrite {
    Rewritten rewrite(ImageStore store, Descriptor manifest) throws IOException;
  }

  private static Rewritten unchanged(ImageStore store, Descriptor manifest) throws IOException {
    return new Rewritten(manifest, imageManifest(store, manifest), true, Map.of());
  }

  /** One converted platform: what was asked, the entry it selected, and what was built. */
  private record Built(Platform platform, Descriptor entry, Rewritten manifest, PlatformIndex index) {}

  /** {@link #convert(ImageStore, String)} with each converted manifest rewritten first. */
  ConvertedImage convert(ImageStore store, String reference, ManifestRewrite rewrite) throws IOException {
    SourceImage image = SourceImage.load(store, reference);
    IndexOptions options = builder.options();
    List<Platform> requested = options.allPlatforms() ? ImagePlatforms.all(store, image.target())
        : !options.platforms().isEmpty() ? options.platforms()
        : List.of(image.isIndex() ? Platform.current() : image.target().platform());
    requested = ImagePlatforms.dedupe(requested);
    if (requested.isEmpty()) {
      throw new SociException("image " + image.target().digest() + " does not support any platforms");
    }
    ReusableZtocs reusable = ReusableZtocs.of(store, image.entries(), options);
    List<Built> built = new ArrayList<>();
    List<LayerReport> skipped = new ArrayList<>();
    for (Platform p : requested) {
      Descriptor entry = ImagePlatforms.select(p, image.target(), image.entries());
      Rewritten m = rewrite.rewrite(store, entry);
      PlatformIndex index;
      try {
        index = builder.buildFor(store, m.manifest(), m.json(), p, IndexVersion.V2, m.stored(), m.ztocs(),
            reusable);
      } catch (IndexBuildException e) {
        if (e.reports().stream().anyMatch(r -> r.status() == LayerReport.Status.FAILED)) {
          throw e;
        }
        skipped.addAll(e.reports()); // nothing to index for this platform: try the others, as upstream
        continue;
      }
      built.add(new Built(p, entry, m, index));
    }
    if (built.isEmpty()) {
      throw new IndexBuildException("no ztocs created, all layers either skipped or produced errors", skipped);
    }
    Map<Digest, Digest> renamed = new HashMap<>();
    List<Descriptor> manifests = rewriteManifests(store, image.entries(), built, renamed);
    addSociIndexes(manifests, built, renamed);
    byte[] json = OciDocuments.ociIndex(image.schemaVersion(), image.artifactType(), manifests, image.root(),
        image.annotations());
    Descriptor newIndex = Descriptor.of(MediaTypes.OCI_INDEX, json);
    store.push(newIndex, json);
    return new ConvertedImage(newIndex, built.stream().map(Built::index).toList());
  }

  /**
   * Upstream's {@code annotateImages}: every image manifest of the index re-serialized with OCI
   * media types (converted ones annotated with their SOCI index), each entry's annotations
   * replaced by the manifest's. Entries whose manifest is missing from the store, SOCI indexes
   * and nested indexes stay as they are.
   *
   * @param renamed filled with each rewritten manifest's old and new digest
   */
  private static List<Descriptor> rewriteManifests(ImageStore store, List<Descriptor> entries, List<Built> built,
      Map<Digest, Digest> renamed) throws IOException {
    List<Descriptor> out = new ArrayList<>(entries.size());
    for (Descriptor entry : entries) {
      Built converted = built.stream().filter(b -> b.entry().digest().equals(entry.digest())).findFirst().orElse(null);
      if (converted == null && (isSociIndex(entry) || !MediaTypes.isManifest(entry.mediaType())
          || MediaTypes.isIndex(entry.mediaType()))) {
        out.add(entry);
        continue;
      }
      ManifestJson m;
      if (converted != null) {
        m = converted.manifest().json();
      } else {
        try {
          m = imageManifest(store, entry);
        } catch (ContentNotFoundException e) {
          out.add(entry); // a platform not pulled into this store: left as it is, as upstream
          continue;
        }
      }
      Map<String, String> annotations = new TreeMap<>(m.annotations());
      if (converted != null) {
        annotations.put(MediaTypes.ANNOTATION_INDEX_DIGEST, converted.index().indexDescriptor().digest().toString());
      }
      byte[] json = OciDocuments.ociManifest(m, m.layers(), annotations);
      Descriptor pushed = Descriptor.of(MediaTypes.OCI_MANIFEST, json);
      store.push(pushed, json);
      renamed.putIfAbsent(entry.digest(), pushed.digest());
      out.add(new Descriptor(MediaTypes.OCI_MANIFEST, pushed.digest(), pushed.size(), annotations,
          entry.artifactType(), entry.platform(), entry.urls(), entry.data()));
    }
    // SOCI entries kept from an earlier conversion follow their image manifests' new digests
    for (int i = 0; i < out.size(); i++) {
      Descriptor d = out.get(i);
      String image = d.annotations().get(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST);
      Digest now = image == null || !isSociIndex(d) ? null : renamed.get(parseOrNull(image));
      if (now != null) {
        out.set(i, d.withAnnotation(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST, now.toString()));
      }
    }
    return out;
  }

  /**
   * Upstream's {@code addSociIndexes}: each SOCI index descriptor, with the requested platform
   * and the digest of its rewritten image manifest, replaces the first SOCI index entry whose
   * platform strictly matches it, or is appended.
   */
  private static void addSociIndexes(List<Descriptor> manifests, List<Built> built, Map<Digest, Digest> renamed) {
    for (int i = 0; i < built.size(); i++) {
      Built b = built.get(i);
      Descriptor desc = b.index().indexDescriptor().withPlatform(b.platform());
      Digest image = renamed.get(b.entry().digest());
      boolean first = built.subList(0, i).stream().noneMatch(o -> o.entry().digest().equals(b.entry().digest()));
      if (image != null && first) { // upstream annotates only the first index of a manifest
        desc = desc.withAnnotation(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST, image.toString());
      }
      Platform wanted = b.platform().normalize();
      int at = -1;
      for (int j = 0; j < manifests.size() && at < 0; j++) {
        Descriptor d = manifests.get(j);
        if (isSociIndex(d) && d.platform() != null && wanted.matchesStrictly(d.platform())) {
          at = j;
        }
      }
      if (at >= 0) {
        manifests.set(at, desc);
      } else {
        manifests.add(desc);
      }
    }
  }

  static boolean isSociIndex(Descriptor d) {
    return d.artifactType().equals(MediaTypes.SOCI_INDEX_V2);
  }

  private static Digest parseOrNull(String digest) {
    try {
      return Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Fetches an image manifest, refusing an index under a manifest media type. */
  static ManifestJson imageManifest(ImageStore store, Descriptor manifest) throws IOException {
    ManifestJson m = ManifestJson.parse(manifest, store.fetch(manifest));
    if (m.isIndex()) {
      throw new SociException("manifest " + manifest.digest() + " is typed " + manifest.mediaType()
          + " but is an index");
    }
    return m;
  }
}
