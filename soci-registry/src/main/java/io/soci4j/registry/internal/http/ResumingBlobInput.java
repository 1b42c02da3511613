package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw body of a whole-blob download that resumes when it is cut: a read failure (reset,
 * stall, early end of the body) before the blob's last byte opens {@code bytes=<received>-} and
 * goes on from there, at most {@value #MAX_RESUMES} times; the bytes already received are never
 * fetched again (a server that ignores Range sends the whole body, whose head is skipped). What
 * comes out is checked against the blob's digest by the {@code VerifyingInputStream} around it,
 * so a resumed download is as verified as a single one.
 */
final class ResumingBlobInput extends InputStream {
  /** Resumes of one download. */
  static final int MAX_RESUMES = 5;
  private static final Logger LOG = LoggerFactory.getLogger(ResumingBlobInput.class);

  private final RegistryCaller caller;
  private final Endpoint endpoint;
  private final String repository;
  private final Descriptor blob;
  private InputStream in;
  private long received;
  private int resumes;

  ResumingBlobInput(InputStream first, RegistryCaller caller, Endpoint endpoint, String repository, Descriptor blob) {
    this.in = first;
    this.caller = caller;
    this.endpoint = endpoint;
    this.repository = repository;
    this.blob = blob;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      IOException cut;
      try {
        int n = in.read(b, off, len);
        if (n > 0) {
          received += n;
          return n;
        }
        if (n < 0 && received >= blob.size()) {
          return -1;
        }
        if (n == 0) {
          return 0;
        }
        cut = new IOException("the body ended after " + received + " of " + blob.size() + " bytes");
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e; // the caller gave up: not a fault of the server
        }
        cut = e; // a read timeout: the connection stalled
      } catch (SociException e) {
        throw e;
      } catch (IOException e) {
        cut = e;
      }
      if (resumes >= MAX_RESUMES || received >= blob.size()) {
        throw cut;
      }
      resumes++;
      caller.counters().resume(received);
      LOG.debug("blob {} cut after {} bytes ({}); resuming ({} of {})", blob.digest(), received, cut.getMessage(),
          resumes, MAX_RESUMES);
      try {
        in.close();
      } catch (IOException ignored) {
        // the cut connection
      }
      in = caller.call(new BlobTailGet(endpoint, repository, blob, received));
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
