package io.soci4j.api;

/** Bytes did not hash to the digest they were expected to have. */
public class DigestMismatchException extends SociException {
  private static final long serialVersionUID = 1L;
  private final Digest expected;
  private final Digest actual;

  /**
   * @param what which bytes were checked (e.g. "span 3 of layer sha256:...")
   * @param expected the digest the bytes should have
   * @param actual the digest they have
   */
  public DigestMismatchException(String what, Digest expected, Digest actual) {
    super("digest mismatch for " + what + ": expected " + expected + ", got " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** {@return the digest the bytes should have} */
  public Digest expected() {
    return expected;
  }

  /** {@return the digest the bytes have} */
  public Digest actual() {
    return actual;
  }
}
