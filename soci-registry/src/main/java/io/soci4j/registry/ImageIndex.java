package io.soci4j.registry;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An image index: OCI ({@value MediaTypes#OCI_INDEX}) or a Docker manifest list
 * ({@value MediaTypes#DOCKER_MANIFEST_LIST}). Also the body of a referrers listing.
 *
 * <pre>{@code
 * ImageIndex index = ImageIndex.parse(bytes);
 * List<Platform> platforms = index.platforms();
 * Descriptor mine = index.select(Platform.parse("linux/arm64")).orElseThrow();
 * }</pre>
 *
 * @param mediaType the index media type
 * @param artifactType the artifact type; empty when none
 * @param manifests the descriptors of the manifests it lists, in order
 * @param subject the manifest this index refers to; null when none
 * @param annotations the index's annotations, sorted by key; empty when none
 */
public record ImageIndex(String mediaType, String artifactType, List<Descriptor> manifests, Descriptor subject,
    Map<String, String> annotations) {

  /**
   * Validates and copies.
   *
   * @param mediaType see the record component
   * @param artifactType see the record component
   * @param manifests see the record component
   * @param subject see the record component
   * @param annotations see the record component
   */
  public ImageIndex {
    Objects.requireNonNull(mediaType, "mediaType");
    if (!MediaTypes.isIndex(mediaType)) {
      throw new IllegalArgumentException("not an image index media type: " + mediaType);
    }
    artifactType = artifactType == null ? "" : artifactType;
    manifests = List.copyOf(manifests);
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /**
   * An OCI index listing these manifests.
   *
   * @param manifests the descriptors
   * @return the index
   */
  public static ImageIndex of(List<Descriptor> manifests) {
    return new ImageIndex(MediaTypes.OCI_INDEX, "", manifests, null, Map.of());
  }

  /**
   * Parses index bytes. Without a {@code mediaType} field, the document is taken as an OCI index.
   *
   * @param json the bytes
   * @return the index
   * @throws InvalidManifestException when the bytes are not an image index
   */
  public static ImageIndex parse(byte[] json) throws InvalidManifestException {
    return ManifestCodec.parseIndex(json, null, "image index");
  }

  /**
   * Serializes for pushing: {@code schemaVersion} 2, a top-level {@code mediaType}, empty fields
   * omitted.
   *
   * @return JSON bytes
   */
  public byte[] toBytes() {
    return ManifestCodec.write(this);
  }

  /** {@return the platforms of the listed manifests that name one, in order, without duplicates} */
  public List<Platform> platforms() {
    return manifests.stream().map(Descriptor::platform).filter(Objects::nonNull).distinct().toList();
  }

  /**
   * Picks the manifest for a platform: the first whose platform matches (same os and
   * architecture, and variant when both name one), preferring an exact variant match.
   *
   * @param wanted the platform to run on
   * @return the descriptor, or empty when no manifest matches
   */
  public Optional<Descriptor> select(Platform wanted) {
    Objects.requireNonNull(wanted, "platform");
    Descriptor loose = null;
    for (Descriptor d : manifests) {
      Platform p = d.platform();
      if (p == null || !MediaTypes.isManifest(d.mediaType()) || !wanted.matches(p)) {
        continue;
      }
      if (p.variant().equals(wanted.variant())) {
        return Optional.of(d);
      }
      if (loose == null) {
        loose = d;
      }
    }
    return Optional.ofNullable(loose);
  }

  /**
   * @param descriptor a manifest descriptor to append
   * @return a copy listing it last
   */
  public ImageIndex withManifest(Descriptor descriptor) {
    List<Descriptor> all = new java.util.ArrayList<>(manifests);
    all.add(Objects.requireNonNull(descriptor, "descriptor"));
    return new ImageIndex(mediaType, artifactType, all, subject, annotations);
  }
}
