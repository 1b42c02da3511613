package io.soci4j.registry;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An image manifest: OCI ({@value MediaTypes#OCI_MANIFEST}) or Docker schema 2
 * ({@value MediaTypes#DOCKER_MANIFEST}). Also the shape of OCI artifacts such as SOCI v1 indexes.
 *
 * <pre>{@code
 * ImageManifest m = ImageManifest.parse(bytes);
 * Descriptor firstLayer = m.layers().get(0);
 *
 * ImageManifest artifact = ImageManifest.of(emptyConfig, List.of(blob))
 *     .withArtifactType("application/vnd.example+json")
 *     .withSubject(imageManifestDescriptor);
 * byte[] toPush = artifact.toBytes();   // push these exact bytes; their digest names the manifest
 * }</pre>
 *
 * <p>Parsed manifests keep no bytes: digests are always computed over the bytes as fetched, never
 * over a re-serialization.
 *
 * @param mediaType the manifest media type
 * @param artifactType the artifact type; empty when none
 * @param config the config descriptor
 * @param layers the layers (or artifact blobs), in order
 * @param subject the manifest this one refers to (OCI 1.1 referrers); null when none
 * @param annotations the manifest's annotations, sorted by key; empty when none
 */
public record ImageManifest(String mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
    Descriptor subject, Map<String, String> annotations) {

  /**
   * Validates and copies.
   *
   * @param mediaType see the record component
   * @param artifactType see the record component
   * @param config see the record component
   * @param layers see the record component
   * @param subject see the record component
   * @param annotations see the record component
   */
  public ImageManifest {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(config, "config");
    if (!mediaType.equals(MediaTypes.OCI_MANIFEST) && !mediaType.equals(MediaTypes.DOCKER_MANIFEST)) {
      throw new IllegalArgumentException("not an image manifest media type: " + mediaType);
    }
    artifactType = artifactType == null ? "" : artifactType;
    layers = List.copyOf(layers);
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /**
   * An OCI manifest with a config and layers, no artifact type, subject or annotations.
   *
   * @param config the config descriptor
   * @param layers the layers
   * @return the manifest
   */
  public static ImageManifest of(Descriptor config, List<Descriptor> layers) {
    return new ImageManifest(MediaTypes.OCI_MANIFEST, "", config, layers, null, Map.of());
  }

  /**
   * Parses manifest bytes. The media type comes from the {@code mediaType} field; when it is
   * absent (allowed by OCI), the document is taken as an OCI manifest.
   *
   * @param json the bytes
   * @return the manifest
   * @throws InvalidManifestException when the bytes are not an image manifest
   */
  public static ImageManifest parse(byte[] json) throws InvalidManifestException {
    return ManifestCodec.parseManifest(json, null, "image manifest");
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

  /**
   * The artifact type a referrers listing reports: {@link #artifactType()} when set, else the
   * config's media type (image-spec "Guidelines for Artifact Usage").
   *
   * @return the effective artifact type
   */
  public String effectiveArtifactType() {
    return artifactType.isEmpty() ? config.mediaType() : artifactType;
  }

  /**
   * @param type the artifact type, or empty for none
   * @return a copy with this artifact type
   */
  public ImageManifest withArtifactType(String type) {
    return new ImageManifest(mediaType, type, config, layers, subject, annotations);
  }

  /**
   * @param newSubject the subject descriptor, or null for none
   * @return a copy with this subject
   */
  public ImageManifest withSubject(Descriptor newSubject) {
    return new ImageManifest(mediaType, artifactType, config, layers, newSubject, annotations);
  }

  /**
   * @param newAnnotations the annotations
   * @return a copy with exactly these annotations
   */
  public ImageManifest withAnnotations(Map<String, String> newAnnotations) {
    return new ImageManifest(mediaType, artifactType, config, layers, subject, newAnnotations);
  }
}
