package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob stream that checks size and digest: reading past the descriptor's size, ending early
 * (a truncated body), or a digest mismatch at the end all fail the read that finds them, so a
 * caller never sees end-of-stream on bad content.
 */
public final class VerifyingInputStream extends InputStream {
  private final InputStream in;
  private final Descriptor blob;
  private final String what;
  private final MessageDigest sha256 = Digest.newSha256();
  private long count;
  private boolean verified;

  /**
   * @param in the raw stream; closed with this one
   * @param blob the expected size and digest
   * @param what the blob, for messages
   */
  public VerifyingInputStream(InputStream in, Descriptor blob, String what) {
    this.in = in;
    this.blob = blob;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n;
    try {
      n = in.read(b, off, len);
    } catch (SociException e) {
      throw e;
    } catch (IOException e) {
      throw new SociException("reading " + what + " failed after " + count + " of " + blob.size() + " bytes: "
          + e.getMessage(), e);
    }
    if (n < 0) {
      finish();
      return -1;
    }
    count += n;
    if (count > blob.size()) {
      throw new SociException(what + " is longer than its descriptor's " + blob.size() + " bytes");
    }
    sha256.update(b, off, n);
    return n;
  }

  private void finish() throws IOException {
    if (verified) {
      return;
    }
    if (count != blob.size()) {
      throw new SociException(what + " is truncated: the stream ended after " + count + " of " + blob.size()
          + " bytes");
    }
    Digest actual = Digest.of(sha256);
    if (!actual.equals(blob.digest())) {
      throw new DigestMismatchException(what, blob.digest(), actual);
    }
    verified = true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
