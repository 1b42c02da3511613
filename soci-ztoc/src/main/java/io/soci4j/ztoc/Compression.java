package io.soci4j.ztoc;

/**
 * How a layer blob is compressed, as recorded in a zTOC's {@code compression_algorithm} field.
 */
public enum Compression {
  /** gzip (one or more members); checkpoints are deflate block boundaries. */
  GZIP((byte) 1, "gzip"),
  /** plain tar; spans are fixed slices of the blob. */
  UNCOMPRESSED((byte) 2, "uncompressed");

  private final byte wireValue;
  private final String label;

  Compression(byte wireValue, String label) {
    this.wireValue = wireValue;
    this.label = label;
  }

  /** {@return the flatbuffers enum value} */
  public byte wireValue() {
    return wireValue;
  }

  /** {@return the lower-case name used by the CLI and upstream ("gzip", "uncompressed")} */
  public String label() {
    return label;
  }

  /**
   * The value for a flatbuffers enum byte.
   *
   * @param wire the stored byte
   * @return the compression, or null when unknown
   */
  public static Compression fromWire(byte wire) {
    for (Compression c : values()) {
      if (c.wireValue == wire) {
        return c;
      }
    }
    return null;
  }
}
