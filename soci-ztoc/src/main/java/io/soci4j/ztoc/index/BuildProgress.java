package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;

/**
 * Receives progress of {@link SociIndexBuilder} per layer, from the builder's worker threads
 * (implementations must be thread-safe). Callbacks must be quick: they run on the hot path,
 * about once per MiB.
 */
public interface BuildProgress {
  /** Ignores everything. */
  BuildProgress NONE = new BuildProgress() {};

  /**
   * Compressed bytes of a layer read so far.
   *
   * @param layer the layer
   * @param bytesRead bytes read, up to {@code layer.size()}
   */
  default void read(Descriptor layer, long bytesRead) {}

  /**
   * A layer is done.
   *
   * @param report what happened to it
   */
  default void done(LayerReport report) {}
}
