package io.soci4j.api;

/** Media types and annotation keys of OCI images and SOCI artifacts (SOCI format spec §4). */
public final class MediaTypes {
  private MediaTypes() {}

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  /** OCI image config. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  /** OCI uncompressed tar layer. */
  public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  /** OCI gzip tar layer. */
  public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  /** OCI zstd tar layer. */
  public static final String OCI_LAYER_TAR_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  /** Docker schema 2 manifest. */
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  /** Docker manifest list. */
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  /** Docker gzip tar layer. */
  public static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** Docker container config. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** SOCI index artifact type, v1 (published with a subject, found by the referrers API). */
  public static final String SOCI_INDEX_V1 = "application/vnd.amazon.soci.index.v1+json";
  /** SOCI index artifact type, v2 (inside a SOCI-enabled image index). */
  public static final String SOCI_INDEX_V2 = "application/vnd.amazon.soci.index.v2+json";
  /** Media type of zTOC blobs. */
  public static final String ZTOC = "application/octet-stream";
  /** Media type of prefetch artifacts. */
  public static final String SOCI_PREFETCH = "application/vnd.amazon.soci.prefetch.v1+json";

  /** zTOC annotation: digest of the layer the zTOC indexes. */
  public static final String ANNOTATION_LAYER_DIGEST = "com.amazon.soci.image-layer-digest";
  /** zTOC annotation: media type of the layer the zTOC indexes. */
  public static final String ANNOTATION_LAYER_MEDIA_TYPE = "com.amazon.soci.image-layer-mediaType";
  /** zTOC annotation: span size, decimal. */
  public static final String ANNOTATION_SPAN_SIZE = "com.amazon.soci.span-size";
  /** zTOC annotation: the layer has no extended attributes ({@code true}). */
  public static final String ANNOTATION_DISABLE_XATTRS = "com.amazon.soci.disable-xattrs";
  /** Index annotation: the tool that built it. */
  public static final String ANNOTATION_BUILD_TOOL = "com.amazon.soci.build-tool-identifier";
  /** v2: image manifest annotation naming its SOCI index. */
  public static final String ANNOTATION_INDEX_DIGEST = "com.amazon.soci.index-digest";
  /** v2: index descriptor annotation naming its image manifest. */
  public static final String ANNOTATION_IMAGE_MANIFEST_DIGEST = "com.amazon.soci.image-manifest-digest";

  /**
   * Whether a media type is served by the manifests endpoint of a registry (image manifests and
   * indexes, OCI and Docker).
   *
   * @param mediaType the media type
   * @return true for the four manifest and index types
   */
  public static boolean isManifest(String mediaType) {
    return mediaType.equals(OCI_MANIFEST) || mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_MANIFEST)
        || mediaType.equals(DOCKER_MANIFEST_LIST);
  }

  /**
   * Whether a media type is an index of manifests (OCI image index or Docker manifest list).
   *
   * @param mediaType the media type
   * @return true for the two index types
   */
  public static boolean isIndex(String mediaType) {
    return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_MANIFEST_LIST);
  }
}
