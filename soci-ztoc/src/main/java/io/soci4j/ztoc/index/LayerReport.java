package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;

/**
 * What the index builder did with one layer.
 *
 * @param layer the image layer
 * @param status built, reused, skipped or failed
 * @param reason why it was skipped or failed; when built or reused, empty or a note (a zstd layer
 *     that is a single frame gets one span: reads are not lazy)
 * @param ztoc the zTOC descriptor (built or reused), or null
 */
public record LayerReport(Descriptor layer, Status status, String reason, Descriptor ztoc) {

  /** Outcome for a layer. */
  public enum Status {
    /** A zTOC was built and stored. */
    BUILT,
    /** An existing zTOC for the same layer and span size was reused. */
    REUSED,
    /** No zTOC: the layer is too small or in a format SOCI cannot index. */
    SKIPPED,
    /** Building the zTOC failed: the layer is corrupt or could not be read. */
    FAILED
  }

  /** {@return whether a zTOC is part of the index for this layer} */
  public boolean indexed() {
    return status == Status.BUILT || status == Status.REUSED;
  }
}
