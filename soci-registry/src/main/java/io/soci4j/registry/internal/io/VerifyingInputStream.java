package io.soci4j.registry.internal.io;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A blob stream that checks size and digest as it is read: more bytes than the descriptor's
 * size, an early end (a truncated body or file) or a digest mismatch at the end fail the read that
 * finds them, and every read after it, with a {@link DigestMismatchException}, so a caller never
 * sees end-of-stream on bad content. Other read failures become a {@link SociException} saying how
 * far the stream got. Skipping reads through, so nothing escapes the hash. {@link #check} is the
 * same test for content read whole.
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
   * @param in the raw stream; closed with this one
   * @param expected the size and digest the bytes must have
   * @param what the bytes, for messages
   */
  public VerifyingInputStream(InputStream in, Descriptor expected, String what) {
    this.in = Objects.requireNonNull(in, "in");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.what = Objects.requireNonNull(what, "what");
  }

  /**
   * Checks content against the descriptor it was given with.
   *
   * @param expected the size and digest it must have
   * @param size its size
   * @param actual its digest
   * @param what the content, for the message
   * @throws DigestMismatchException when the size or the digest differs
   */
  public static void check(Descriptor expected, long size, Digest actual, String what)
      throws DigestMismatchException {
    if (size != expected.size() || !actual.equals(expected.digest())) {
      throw new DigestMismatchException(what + " (" + size + " bytes, descriptor size " + expected.size() + ")",
          expected.digest(), actual);
    }
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
    int n;
    try {
      n = in.read(b, off, len);
    } catch (SociException e) {
      throw e;
    } catch (IOException e) {
      throw new SociException("reading " + what + " failed after " + count + " of " + expected.size() + " bytes: "
          + e.getMessage(), e);
    }
    if (n > 0) {
      sha256.update(b, off, n);
      count += n;
    }
    if (n < 0 || count > expected.size()) { // the end, or too long: check(...) fails on the latter
      try {
        check(expected, count, Digest.of(sha256), what);
      } catch (DigestMismatchException e) {
        failure = e;
        throw e;
      }
      verified = true;
      return -1;
    }
    return n;
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
