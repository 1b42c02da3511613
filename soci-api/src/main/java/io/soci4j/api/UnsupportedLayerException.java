package io.soci4j.api;

/**
 * A valid layer that SOCI cannot index (like upstream, which refuses it): a GNU sparse member, a
 * PAX global header, a contiguous-file member, or a sparse member in PAX form. Callers skip such
 * layers; they are not corrupt.
 */
public class UnsupportedLayerException extends LayerFormatException {
  private static final long serialVersionUID = 1L;

  /**
   * @param problem why the layer cannot be indexed
   * @param uncompressedOffset offset of the entry's header in the tar stream
   * @param entryName the entry concerned
   */
  public UnsupportedLayerException(String problem, long uncompressedOffset, String entryName) {
    super(problem, -1, uncompressedOffset, entryName);
  }
}
