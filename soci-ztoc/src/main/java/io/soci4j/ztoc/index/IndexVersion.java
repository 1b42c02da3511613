package io.soci4j.ztoc.index;

import io.soci4j.api.MediaTypes;

/** The two kinds of SOCI index (SOCI format spec §4). */
public enum IndexVersion {
  /** v1: published next to the image with a {@code subject}, found through the referrers API. */
  V1(MediaTypes.SOCI_INDEX_V1),
  /** v2: part of a SOCI-enabled image index, linked by annotations; no subject. */
  V2(MediaTypes.SOCI_INDEX_V2);

  private final String artifactType;

  IndexVersion(String artifactType) {
    this.artifactType = artifactType;
  }

  /** {@return the artifact type, also the media type of the index's config descriptor} */
  public String artifactType() {
    return artifactType;
  }

  /**
   * The version of an artifact type.
   *
   * @param artifactType the config media type or artifact type of an index
   * @return the version, or null when it is not a SOCI index type
   */
  public static IndexVersion fromArtifactType(String artifactType) {
    for (IndexVersion v : values()) {
      if (v.artifactType.equals(artifactType)) {
        return v;
      }
    }
    return null;
  }
}
