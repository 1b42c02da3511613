package io.soci4j.registry.layout.internal;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;

/** How a manifest that names a subject appears in a referrers listing (distribution-spec 1.1). */
public final class Referrers {
  private Referrers() {}

  /**
   * The referrer descriptor of a manifest, or null when it does not refer to {@code subject} or
   * does not match the artifact type filter.
   *
   * @param manifest media type, digest and size of the manifest
   * @param summary the parsed manifest
   * @param subject the subject asked about
   * @param artifactType the filter, empty for none
   * @return the descriptor with artifact type and the manifest's annotations, or null
   */
  public static Descriptor referrer(Descriptor manifest, ManifestSummary summary, Digest subject,
      String artifactType) {
    if (!summary.subjectDigest().map(subject::equals).orElse(false)) {
      return null;
    }
    String type = summary.effectiveArtifactType();
    if (!artifactType.isEmpty() && !artifactType.equals(type)) {
      return null;
    }
    return Descriptor.of(manifest.mediaType(), manifest.digest(), manifest.size())
        .withArtifactType(type)
        .withAnnotations(summary.annotationsOrEmpty());
  }
}
