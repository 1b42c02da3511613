package io.soci4j.api;

/**
 * A layer blob is not valid: corrupt or truncated compressed data, a bad tar header, trailing
 * garbage. Carries the compressed offset (and uncompressed offset and tar entry when known).
 */
public class LayerFormatException extends SociException {
  private static final long serialVersionUID = 1L;
  private final long compressedOffset;
  private final long uncompressedOffset;
  private final String entryName;

  /**
   * @param problem what is wrong
   * @param compressedOffset offset in the layer blob where it was found, or -1
   * @param uncompressedOffset offset in the uncompressed tar stream, or -1
   * @param entryName the tar entry concerned, or null
   */
  public LayerFormatException(String problem, long compressedOffset, long uncompressedOffset, String entryName) {
    super(format(problem, compressedOffset, uncompressedOffset, entryName));
    this.compressedOffset = compressedOffset;
    this.uncompressedOffset = uncompressedOffset;
    this.entryName = entryName;
  }

  private static String format(String problem, long compressed, long uncompressed, String entry) {
    StringBuilder sb = new StringBuilder(problem);
    String sep = " (";
    if (compressed >= 0) {
      sb.append(sep).append("compressed offset ").append(compressed);
      sep = ", ";
    }
    if (uncompressed >= 0) {
      sb.append(sep).append("uncompressed offset ").append(uncompressed);
      sep = ", ";
    }
    if (entry != null) {
      sb.append(sep).append("entry '").append(entry).append('\'');
      sep = ", ";
    }
    if (!sep.equals(" (")) {
      sb.append(')');
    }
    return sb.toString();
  }

  /** {@return offset in the layer blob where the problem was found, or -1} */
  public long compressedOffset() {
    return compressedOffset;
  }

  /** {@return offset in the uncompressed tar stream, or -1} */
  public long uncompressedOffset() {
    return uncompressedOffset;
  }

  /** {@return the tar entry concerned, or null} */
  public String entryName() {
    return entryName;
  }
}
