package io.soci4j.registry.layout.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.model.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the stores need from an image manifest or index: its own media type, artifact type,
 * config media type, subject, annotations and (for an index) its children. Unknown fields are
 * ignored.
 *
 * @param schemaVersion the {@code schemaVersion} field, or null when absent
 * @param mediaType the document's {@code mediaType} field, or null when absent
 * @param artifactType the {@code artifactType} field, or null when absent
 * @param config the {@code config} descriptor of an image manifest, or null
 * @param subject the {@code subject} descriptor, or null
 * @param annotations the document's annotations, or null when absent
 * @param manifests the {@code manifests} of an index, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ManifestSummary(Integer schemaVersion, String mediaType, String artifactType, ContentRef config,
    ContentRef subject,
    Map<String, String> annotations, List<ContentRef> manifests) {

  /**
   * Parses a manifest or index.
   *
   * @param json the document's bytes
   * @param what what it is, for error messages (e.g. "manifest sha256:... in /path")
   * @return the summary
   * @throws SociException when the bytes are not a JSON object
   */
  public static ManifestSummary parse(byte[] json, String what) throws SociException {
    try {
      ManifestSummary s = Json.read(json, ManifestSummary.class);
      if (s == null) {
        throw new SociException(what + " is not a JSON object");
      }
      return s;
    } catch (JacksonException e) {
      throw new SociException(what + " is not a valid manifest: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SociException(what + " could not be parsed: " + e.getMessage(), e);
    }
  }

  /** {@return the subject's digest, when the document has a valid {@code subject}} */
  public Optional<Digest> subjectDigest() {
    if (subject == null || subject.digest() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(subject.digest()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The media type of a document with {@code schemaVersion} 2: its {@code mediaType} field, or
   * without one, the type its shape implies: a {@code manifests} array makes an OCI index, a
   * {@code config} descriptor (with a digest: an image config's {@code config} object has none)
   * an OCI image manifest.
   *
   * @return the manifest media type, or empty when it is not a manifest or index
   */
  public Optional<String> manifestMediaType() {
    if (schemaVersion == null || schemaVersion != 2) {
      return Optional.empty();
    }
    if (mediaType != null) {
      return MediaTypes.isManifest(mediaType) ? Optional.of(mediaType) : Optional.empty();
    }
    if (manifests != null) {
      return Optional.of(MediaTypes.OCI_INDEX);
    }
    if (config != null && config.digest() != null) {
      return Optional.of(MediaTypes.OCI_MANIFEST);
    }
    return Optional.empty();
  }

  /**
   * The artifact type a referrers listing reports for this document (image-spec 1.1): its own
   * {@code artifactType}, else for an image manifest the config media type, else empty.
   *
   * @return the artifact type, possibly empty
   */
  public String effectiveArtifactType() {
    if (artifactType != null && !artifactType.isEmpty()) {
      return artifactType;
    }
    if (config != null && config.mediaType() != null) {
      return config.mediaType();
    }
    return "";
  }

  /** {@return the annotations, empty when absent} */
  public Map<String, String> annotationsOrEmpty() {
    return annotations == null ? Map.of() : annotations;
  }
}
