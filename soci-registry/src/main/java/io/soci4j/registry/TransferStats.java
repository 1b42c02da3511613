package io.soci4j.registry;

import java.util.Locale;

/**
 * What a {@link RegistryClient} had to do beyond plain requests, since it was built: requests
 * retried (resets, 5xx, 429, stalls, cut bodies), whole-blob downloads resumed from where they
 * were cut, and blobs read whole because the registry ignored a Range request.
 *
 * @param retries requests sent again after a failed attempt
 * @param resumes cut whole-blob downloads continued with a Range request for the rest
 * @param resumedBytes bytes those resumes kept (received before the cut, not fetched again)
 * @param rangeIgnoredBlobs blobs whose Range request was answered with the whole blob, copied
 *     once locally and read from there afterwards
 */
public record TransferStats(long retries, long resumes, long resumedBytes, long rangeIgnoredBlobs) {
  /** {@return one line for a terminal, e.g. {@code registry: 2 retries, 1 resume (4,096 bytes kept), ...}} */
  public String format() {
    return String.format(Locale.ROOT, "registry: %,d retr%s, %,d resume%s (%,d bytes kept), %,d blob%s read whole "
        + "(Range ignored)%n", retries, retries == 1 ? "y" : "ies", resumes, resumes == 1 ? "" : "s", resumedBytes,
        rangeIgnoredBlobs, rangeIgnoredBlobs == 1 ? "" : "s");
  }
}
