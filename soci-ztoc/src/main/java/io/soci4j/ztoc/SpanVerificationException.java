package io.soci4j.ztoc;

import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;

/** A span's compressed bytes, as read from the layer, do not match the span digest in the zTOC. */
public final class SpanVerificationException extends DigestMismatchException {
  private static final long serialVersionUID = 1L;
  private final int spanId;
  private final long compressedStart;
  private final long compressedEnd;

  /**
   * @param spanId the span
   * @param compressedStart first byte of its compressed range
   * @param compressedEnd end of its compressed range
   * @param expected digest in the zTOC
   * @param actual digest of the bytes read
   */
  public SpanVerificationException(int spanId, long compressedStart, long compressedEnd, Digest expected,
      Digest actual) {
    super("span " + spanId + " (compressed bytes [" + compressedStart + ", " + compressedEnd + "))", expected,
        actual);
    this.spanId = spanId;
    this.compressedStart = compressedStart;
    this.compressedEnd = compressedEnd;
  }

  /** {@return the span id} */
  public int spanId() {
    return spanId;
  }

  /** {@return first byte of the span's compressed range} */
  public long compressedStart() {
    return compressedStart;
  }

  /** {@return end (exclusive) of the span's compressed range} */
  public long compressedEnd() {
    return compressedEnd;
  }
}
