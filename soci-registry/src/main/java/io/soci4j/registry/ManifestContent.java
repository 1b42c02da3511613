package io.soci4j.registry;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.util.Objects;

/**
 * A manifest or index exactly as stored: its bytes, and the descriptor (media type, digest and
 * size) computed from those bytes. The digest is always the sha256 of {@link #bytes()}, never of a
 * re-serialization.
 *
 * <pre>{@code
 * ManifestContent m = store.manifest("latest");
 * if (m.isIndex()) {
 *   ImageIndex index = m.asImageIndex();
 * } else {
 *   ImageManifest manifest = m.asImageManifest();
 * }
 * }</pre>
 */
public final class ManifestContent {
  private final Descriptor descriptor;
  private final byte[] bytes;

  private ManifestContent(Descriptor descriptor, byte[] bytes) {
    this.descriptor = descriptor;
    this.bytes = bytes;
  }

  /**
   * Wraps bytes, computing their digest.
   *
   * @param mediaType one of the four manifest and index media types
   * @param bytes the bytes (copied)
   * @return the content
   * @throws IllegalArgumentException when the media type is not a manifest or index type
   */
  public static ManifestContent of(String mediaType, byte[] bytes) {
    Objects.requireNonNull(mediaType, "mediaType");
    if (!MediaTypes.isManifest(mediaType)) {
      throw new IllegalArgumentException("not a manifest or index media type: " + mediaType);
    }
    byte[] copy = bytes.clone();
    return new ManifestContent(Descriptor.of(mediaType, Digest.sha256(copy), copy.length), copy);
  }

  /**
   * Wraps a manifest for pushing.
   *
   * @param manifest the manifest
   * @return its serialized content
   */
  public static ManifestContent of(ImageManifest manifest) {
    return of(manifest.mediaType(), manifest.toBytes());
  }

  /**
   * Wraps an index for pushing.
   *
   * @param index the index
   * @return its serialized content
   */
  public static ManifestContent of(ImageIndex index) {
    return of(index.mediaType(), index.toBytes());
  }

  /** {@return media type, digest and size of the bytes} */
  public Descriptor descriptor() {
    return descriptor;
  }

  /** {@return a copy of the bytes} */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** {@return whether this is an image index or manifest list} */
  public boolean isIndex() {
    return MediaTypes.isIndex(descriptor.mediaType());
  }

  /**
   * @return the parsed manifest
   * @throws InvalidManifestException when this is an index or not a valid manifest
   */
  public ImageManifest asImageManifest() throws InvalidManifestException {
    return ManifestCodec.parseManifest(bytes, descriptor.mediaType(), "manifest " + descriptor.digest());
  }

  /**
   * @return the parsed index
   * @throws InvalidManifestException when this is a manifest or not a valid index
   */
  public ImageIndex asImageIndex() throws InvalidManifestException {
    return ManifestCodec.parseIndex(bytes, descriptor.mediaType(), "index " + descriptor.digest());
  }

  /** {@return the descriptor} */
  @Override
  public String toString() {
    return "ManifestContent[" + descriptor.mediaType() + ", " + descriptor.digest() + ", " + descriptor.size()
        + " bytes]";
  }
}
