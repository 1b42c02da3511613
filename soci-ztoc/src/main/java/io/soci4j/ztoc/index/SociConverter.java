package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.internal.json.GoJsonWriter;
import io.soci4j.ztoc.internal.json.ManifestJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Converts an image into a SOCI-enabled image (v2, SOCI format spec §4): a new OCI image index
 * holding, per converted platform, a copy of the image manifest (media type forced to the OCI
 * manifest type, config media type to the OCI config type) annotated with {@code
 * com.amazon.soci.index-digest}, and a descriptor of its v2 SOCI index (artifact type v2, the
 * platform, annotation {@code com.amazon.soci.image-manifest-digest}). Layers are shared with the
 * original, which is left untouched; platforms not converted keep their original manifests.
 *
 * <pre>{@code
 * ConvertedImage converted = SociConverter.of(SociIndexBuilder.create()).convert(store, "app:1.0", "app:1.0-soci");
 * }</pre>
 */
public final class SociConverter {
  private final SociIndexBuilder builder;

  private SociConverter(SociIndexBuilder builder) {
    this.builder = builder;
  }

  /**
   * @param builder options for the zTOCs and indexes; its platforms choose what to convert (all
   *     platforms when none are set)
   * @return a converter
   */
  public static SociConverter of(SociIndexBuilder builder) {
    return new SociConverter(Objects.requireNonNull(builder, "builder"));
  }

  /**
   * The result of a conversion.
   *
   * @param index descriptor of the new image index, as tagged
   * @param platforms the SOCI indexes built, one per converted platform
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
   * @throws IndexBuildException when a platform cannot be indexed
   * @throws IOException on store failures
   */
  public ConvertedImage convert(ImageStore store, String reference, String newTag) throws IOException {
    return convert(store, reference, newTag, SociConverter::unchanged);
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
    return new Rewritten(manifest, ManifestJson.parse(manifest, store.fetch(manifest)), true, Map.of());
  }

  /** {@link #convert(ImageStore, String, String)} with each converted manifest rewritten first. */
  ConvertedImage convert(ImageStore store, String reference, String newTag, ManifestRewrite rewrite)
      throws IOException {
    Descriptor image = store.resolve(reference);
    List<Descriptor> entries;
    Map<String, String> indexAnnotations = Map.of();
    if (MediaTypes.isIndex(image.mediaType())) {
      ManifestJson index = ManifestJson.parse(image, store.fetch(image));
      entries = index.manifests();
      indexAnnotations = index.annotations();
      if (entries.stream().anyMatch(d -> d.artifactType().equals(MediaTypes.SOCI_INDEX_V2))) {
        throw new SociException("image " + image.digest() + " is already SOCI-enabled");
      }
    } else {
      entries = List.of(image.withPlatform(platformOf(store, image)));
    }
    IndexOptions options = builder.options();
    List<Descriptor> manifests = new ArrayList<>();
    List<Descriptor> sociIndexes = new ArrayList<>();
    List<PlatformIndex> built = new ArrayList<>();
    for (Descriptor entry : entries) {
      boolean convert = SociIndexBuilder.isImageManifest(entry)
          && (options.platforms().isEmpty() || options.platforms().stream().anyMatch(p -> p.matches(entry.platform())));
      if (!convert) {
        manifests.add(entry);
        continue;
      }
      Rewritten rewritten = rewrite.rewrite(store, entry);
      PlatformIndex pi = builder.buildFor(store, rewritten.manifest(), rewritten.json(), entry.platform(),
          IndexVersion.V2, rewritten.stored(), rewritten.ztocs());
      built.add(pi);
      byte[] converted = annotatedManifest(rewritten.json(), pi.indexDescriptor());
      Descriptor convertedDescriptor = Descriptor.of(MediaTypes.OCI_MANIFEST, converted)
          .withAnnotations(entry.annotations()).withPlatform(entry.platform());
      store.push(convertedDescriptor, converted);
      manifests.add(convertedDescriptor);
      sociIndexes.add(pi.indexDescriptor().withPlatform(entry.platform())
          .withAnnotation(MediaTypes.ANNOTATION_IMAGE_MANIFEST_DIGEST, convertedDescriptor.digest().toString()));
    }
    if (built.isEmpty()) {
      throw new SociException("image " + image.digest() + " has no manifest for the platforms " + options.platforms());
    }
    manifests.addAll(sociIndexes);
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(2);
    w.name("mediaType").value(MediaTypes.OCI_INDEX);
    w.name("manifests").value(manifests);
    if (!indexAnnotations.isEmpty()) {
      w.name("annotations").value(indexAnnotations);
    }
    byte[] json = w.endObject().toBytes();
    Descriptor newIndex = Descriptor.of(MediaTypes.OCI_INDEX, json);
    store.push(newIndex, json);
    store.tag(newIndex, newTag);
    return new ConvertedImage(newIndex, built);
  }

  /**
   * The image manifest rewritten as image-spec's Go struct would write it: OCI media types for
   * the manifest and its config, the index-digest annotation added; layers unchanged.
   */
  static byte[] annotatedManifest(ManifestJson m, Descriptor sociIndex) throws IOException {
    Map<String, String> annotations = new TreeMap<>(m.annotations());
    annotations.put(MediaTypes.ANNOTATION_INDEX_DIGEST, sociIndex.digest().toString());
    return ociManifest(m, m.layers(), annotations);
  }

  /**
   * A manifest as image-spec's Go struct writes it, with OCI media types for the manifest and its
   * config, these layers and these annotations.
   */
  static byte[] ociManifest(ManifestJson m, List<Descriptor> layers, Map<String, String> annotations)
      throws SociException {
    Descriptor config = m.config();
    if (config.mediaType().equals(MediaTypes.DOCKER_CONFIG)) {
      config = config.withMediaType(MediaTypes.OCI_CONFIG);
    }
    GoJsonWriter w = new GoJsonWriter().beginObject();
    w.name("schemaVersion").value(2);
    w.name("mediaType").value(MediaTypes.OCI_MANIFEST);
    String artifactType = m.root().path("artifactType").asText("");
    if (!artifactType.isEmpty()) {
      w.name("artifactType").value(artifactType);
    }
    w.name("config").value(config);
    w.name("layers").value(layers);
    if (m.root().hasNonNull("subject")) {
      w.name("subject").value(io.soci4j.ztoc.internal.json.OciJson.descriptor(m.root().get("subject"), "subject"));
    }
    if (!annotations.isEmpty()) {
      w.name("annotations").value(annotations);
    }
    return w.endObject().toBytes();
  }

  private static Platform platformOf(ImageStore store, Descriptor manifest) throws IOException {
    ManifestJson m = ManifestJson.parse(manifest, store.fetch(manifest));
    var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.fetch(m.config()));
    try {
      return new Platform(config.path("os").asText(""), config.path("architecture").asText(""),
          config.path("variant").asText(""));
    } catch (IllegalArgumentException e) {
      throw new SociException("config " + m.config().digest() + " of manifest " + manifest.digest()
          + " names no platform: " + e.getMessage());
    }
  }
}
