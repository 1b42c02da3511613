package io.soci4j.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a blob or manifest is, its digest and size, and optional
 * annotations, artifact type, platform and URLs.
 *
 * <pre>{@code
 * Descriptor ztoc = Descriptor.of(MediaTypes.ZTOC, digest, size)
 *     .withAnnotation(MediaTypes.ANNOTATION_SPAN_SIZE, "4194304");
 * }</pre>
 *
 * @param mediaType the media type of the content
 * @param digest the content's digest
 * @param size the content's size in bytes, never negative
 * @param annotations annotations, sorted by key; empty when none
 * @param artifactType the artifact type (referrers, SOCI indexes); empty when none
 * @param platform the platform of an image manifest listed in an index; null when none
 * @param urls alternate download URLs; empty when none
 * @param data the embedded content ({@code data}), base64 with the standard alphabet and padding
 *     as JSON carries it; empty when none
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
    String artifactType, Platform platform, List<String> urls, String data) {

  /**
   * Validates and copies.
   *
   * @param mediaType see the record component
   * @param digest see the record component
   * @param size see the record component
   * @param annotations see the record component
   * @param artifactType see the record component
   * @param platform see the record component
   * @param urls see the record component
   * @param data see the record component
   */
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (mediaType.isEmpty()) {
      throw new IllegalArgumentException("descriptor media type is empty");
    }
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size is negative: " + size + " for " + digest);
    }
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
    artifactType = artifactType == null ? "" : artifactType;
    urls = List.copyOf(urls);
    data = data == null ? "" : data;
  }

  /**
   * A descriptor without embedded data.
   *
   * @param mediaType the media type
   * @param digest the digest
   * @param size the size
   * @param annotations the annotations
   * @param artifactType the artifact type, or empty
   * @param platform the platform, or null
   * @param urls the URLs
   */
  public Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
      String artifactType, Platform platform, List<String> urls) {
    this(mediaType, digest, size, annotations, artifactType, platform, urls, "");
  }

  /**
   * A descriptor with only media type, digest and size.
   *
   * @param mediaType media type
   * @param digest digest
   * @param size size in bytes
   * @return the descriptor
   */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), "", null, List.of(), "");
  }

  /**
   * A descriptor of bytes.
   *
   * @param mediaType media type
   * @param content the bytes
   * @return the descriptor with their sha256 digest and length
   */
  public static Descriptor of(String mediaType, byte[] content) {
    return of(mediaType, Digest.sha256(content), content.length);
  }

  /**
   * A copy with one more annotation (replacing one with the same key).
   *
   * @param key annotation key
   * @param value annotation value
   * @return the new descriptor
   */
  public Descriptor withAnnotation(String key, String value) {
    Map<String, String> copy = new TreeMap<>(annotations);
    copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new Descriptor(mediaType, digest, size, copy, artifactType, platform, urls, data);
  }

  /**
   * @param newAnnotations the annotations
   * @return a copy with exactly these annotations
   */
  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, newAnnotations, artifactType, platform, urls, data);
  }

  /**
   * @param type the artifact type, or empty for none
   * @return a copy with this artifact type
   */
  public Descriptor withArtifactType(String type) {
    return new Descriptor(mediaType, digest, size, annotations, type, platform, urls, data);
  }

  /**
   * @param p the platform, or null for none
   * @return a copy with this platform
   */
  public Descriptor withPlatform(Platform p) {
    return new Descriptor(mediaType, digest, size, annotations, artifactType, p, urls, data);
  }

  /**
   * @param mediaTypeValue the media type
   * @return a copy with this media type
   */
  public Descriptor withMediaType(String mediaTypeValue) {
    return new Descriptor(mediaTypeValue, digest, size, annotations, artifactType, platform, urls, data);
  }

  /**
   * @param newUrls the URLs
   * @return a copy with exactly these URLs
   */
  public Descriptor withUrls(List<String> newUrls) {
    return new Descriptor(mediaType, digest, size, annotations, artifactType, platform, newUrls, data);
  }

  /**
   * @param base64 the embedded content in base64, or empty for none
   * @return a copy with this embedded content
   */
  public Descriptor withData(String base64) {
    return new Descriptor(mediaType, digest, size, annotations, artifactType, platform, urls, base64);
  }

  /** {@return whether the media type is one of an image manifest or index} */
  public boolean isManifest() {
    return MediaTypes.isManifest(mediaType);
  }
}
