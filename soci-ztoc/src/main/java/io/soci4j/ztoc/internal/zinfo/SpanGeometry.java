package io.soci4j.ztoc.internal.zinfo;

/**
 * Immutable span layout of a layer decoded from a zTOC's checkpoint blob: where each span starts
 * and ends, compressed and uncompressed. One implementation per compression format.
 */
public interface SpanGeometry {

  /** @return number of spans (max_span_id + 1) */
  int spanCount();

  /** @param span span id @return first compressed byte needed for the span */
  long compressedStart(int span);

  /** @param span span id @return end (exclusive) of the span's compressed bytes */
  long compressedEnd(int span);

  /** @param span span id @return first uncompressed byte of the span */
  long uncompressedStart(int span);

  /** @param span span id @return end (exclusive) of the span's uncompressed bytes */
  long uncompressedEnd(int span);

  /** @param span span id @return bits of the first compressed byte that belong to the span */
  int bits(int span);

  /**
   * The span containing an uncompressed offset.
   *
   * @param uncompressedOffset offset in the tar stream, {@code 0 <= offset < uncompressed size}
   * @return the span id
   */
  default int spanOf(long uncompressedOffset) {
    int lo = 0;
    int hi = spanCount() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (uncompressedStart(mid) <= uncompressedOffset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
