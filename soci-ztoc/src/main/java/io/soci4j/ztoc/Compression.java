package io.soci4j.ztoc;

/**
 * How a layer blob is compressed, as recorded in a zTOC's {@code compression_algorithm} field.
 *
 * <p>{@link #GZIP} and {@link #UNCOMPRESSED} are upstream's values. {@link #ZSTD} is a soci4j
 * extension (wire value 3, checkpoint layout in {@code docs/zstd.md}): upstream soci-snapshotter
 * has no zstd value and rejects such zTOCs as an unsupported compression algorithm.
 */
public enum Compression {
  /** gzip (one or more members); checkpoints are deflate block boundaries. */
  GZIP((byte) 1, "gzip"),
  /** plain tar; spans are fixed slices of the blob. */
  UNCOMPRESSED((byte) 2, "uncompressed"),
  /**
   * zstd (one or more frames, skippable frames allowed); checkpoints are frame boundaries. A
   * soci4j extension that upstream readers reject.
   */
  ZSTD((byte) 3, "zstd");

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

  /** {@return the lower-case name used by the CLI and upstream ("gzip", "uncompressed", "zstd")} */
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
