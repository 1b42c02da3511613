package io.soci4j.registry.layout.internal;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Visits every manifest and index reachable from a set of descriptors, each once, descending into
 * the children of indexes. Descriptors of other media types are ignored, as the image-layout spec
 * asks; manifests whose blob is missing are skipped (a layout may lack blobs).
 */
public final class ManifestWalk {
  private final BlobFiles blobs;
  private final Path root;

  /** What is done with each manifest. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * @param manifest media type, digest and size as its parent described it
     * @param summary the parsed manifest
     * @throws IOException on failure
     */
    void visit(Descriptor manifest, ManifestSummary summary) throws IOException;
  }

  /**
   * @param blobs where manifests are read from
   * @param root the layout directory, for error messages
   */
  public ManifestWalk(BlobFiles blobs, Path root) {
    this.blobs = blobs;
    this.root = root;
  }

  /**
   * Walks breadth first, in the order of {@code roots} and of each index's {@code manifests}.
   *
   * @param roots where to start
   * @param visitor called once per reachable manifest or index
   * @throws IOException when a manifest cannot be read, is corrupt or is not valid JSON
   */
  public void walk(List<Descriptor> roots, Visitor visitor) throws IOException {
    Deque<Descriptor> queue = new ArrayDeque<>(roots);
    Set<Digest> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      Descriptor d = queue.removeFirst();
      if (!MediaTypes.isManifest(d.mediaType()) || !seen.add(d.digest()) || !blobs.exists(d.digest())) {
        continue;
      }
      ManifestSummary summary = ManifestSummary.parse(blobs.fetch(d),
          "manifest " + d.digest() + " in OCI layout " + root);
      visitor.visit(d, summary);
      if (MediaTypes.isIndex(d.mediaType()) && summary.manifests() != null) {
        for (ContentRef child : summary.manifests()) {
          Descriptor c = toDescriptor(child);
          if (c != null) {
            queue.addLast(c);
          }
        }
      }
    }
  }

  private static Descriptor toDescriptor(ContentRef ref) {
    if (ref.mediaType() == null || ref.mediaType().isEmpty() || ref.digest() == null || ref.size() == null
        || ref.size() < 0 || !ref.digest().startsWith(Digest.SHA256 + ":")) {
      return null;
    }
    try {
      return Descriptor.of(ref.mediaType(), Digest.parse(ref.digest()), ref.size());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
