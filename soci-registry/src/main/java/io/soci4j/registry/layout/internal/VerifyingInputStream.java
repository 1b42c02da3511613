package io.soci4j.registry.layout.internal;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Hashes and counts every byte read through it; at end of stream, checks size and digest against
 * a descriptor and throws {@link DigestMismatchException} instead of returning end-of-stream on a
 * mismatch (also on every read after that). Skipping reads through, so nothing escapes the hash.
 */
public final class VerifyingInputStream extends InputStream {
  private final InputStream in;
  private final Descriptor expected;
  private final String what;
  private final MessageDigest sha256 = Digest.newSha256();
  private long count;
  private boolean verified;
  private DigestMismatchException failure;

  /**
   * @param in the stream to read; closed with this one
   * @param expected the digest and size the bytes must have
   * @param what what the bytes are, for the exception message
   */
  public VerifyingInputStream(InputStream in, Descriptor expected, String what) {
    this.in = Objects.requireNonNull(in, "in");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.what = Objects.requireNonNull(what, "what");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure;
    }
    if (verified) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    sha256.update(b, off, n);
    count += n;
    return n;
  }

  private void verify() throws DigestMismatchException {
    Digest actual = Digest.of(sha256);
    if (count != expected.size() || !actual.equals(expected.digest())) {
      failure = new DigestMismatchException(what + " (read " + count + " bytes, descriptor size "
          + expected.size() + ")", expected.digest(), actual);
      throw failure;
    }
    verified = true;
  }

  @Override
  public int available() throws IOException {
    return failure != null || verified ? 0 : in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
