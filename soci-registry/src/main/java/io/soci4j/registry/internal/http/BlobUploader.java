package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.registry.RegistryException;
import io.soci4j.registry.RegistryNotFoundException;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads blobs to one repository (distribution spec "Push"): POST, then either one monolithic
 * PUT, or PATCHes of {@code chunkSize} bytes with {@code Content-Range} then an empty PUT, or (for
 * streams without chunking) one streaming PATCH then an empty PUT, always following the newest
 * {@code Location}. Contents are checked against the descriptor before they are committed. An
 * upload from an array that fails transiently is restarted from the POST (after checking whether
 * the blob arrived anyway); a stream can be read once, so its upload is not.
 */
public final class BlobUploader {
  private static final Logger LOG = LoggerFactory.getLogger(BlobUploader.class);
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final RegistryCaller caller;
  private final Endpoint endpoint;
  private final String repository;
  private final long chunkSize;

  /**
   * @param caller runs the requests
   * @param endpoint the registry
   * @param repository the repository
   * @param chunkSize chunk size for chunked uploads; 0 for monolithic (arrays) and streaming (streams)
   */
  public BlobUploader(RegistryCaller caller, Endpoint endpoint, String repository, long chunkSize) {
    this.caller = caller;
    this.endpoint = endpoint;
    this.repository = repository;
    this.chunkSize = chunkSize;
  }

  private String what(Descriptor blob) {
    return "blob " + blob.digest() + " to " + endpoint.registry() + "/" + repository;
  }

  /**
   * Uploads bytes after checking them against the descriptor.
   *
   * @param blob the descriptor
   * @param content the bytes
   * @throws IOException when the bytes do not match or the upload fails
   */
  public void upload(Descriptor blob, byte[] content) throws IOException {
    VerifyingInputStream.check(blob, content.length, Digest.sha256(content), what(blob));
    for (int attempt = 0; ; attempt++) {
      try {
        uploadOnce(blob, content);
        return;
      } catch (RegistryException e) {
        if (attempt >= caller.policy().maxRetries() || !isTransient(e)) {
          throw e;
        }
        LOG.debug("upload of {} failed ({}); restarting it", blob.digest(), e.getMessage());
        caller.pause(attempt);
        if (caller.call(new BlobHead(endpoint, repository, blob, true))) {
          return;
        }
      }
    }
  }

  private static boolean isTransient(RegistryException e) {
    return e.status() == 0 || RetryPolicy.retryable(e.status(), Retry.IDEMPOTENT);
  }

  private void uploadOnce(Descriptor blob, byte[] content) throws IOException {
    UploadSession session = caller.call(new UploadStart(endpoint, repository, blob.digest(), null));
    long chunk = effectiveChunk(session);
    if (chunk == 0 || content.length <= chunk) {
      caller.call(new UploadFinish(endpoint, repository, what(blob), session.location(), blob.digest(),
          RequestBody.create(content, OCTET_STREAM)));
      return;
    }
    HttpUrl location = session.location();
    for (int off = 0; off < content.length; off += (int) chunk) {
      int n = (int) Math.min(chunk, content.length - off);
      location = caller.call(new UploadChunk(endpoint, repository, what(blob), location,
          RequestBody.create(content, OCTET_STREAM, off, n), off));
    }
    caller.call(new UploadFinish(endpoint, repository, what(blob), location, blob.digest(), null));
  }

  private long effectiveChunk(UploadSession session) {
    return chunkSize == 0 ? 0 : Math.max(chunkSize, session.minChunk());
  }

  /**
   * Uploads a stream of exactly {@code blob.size()} bytes, checking its digest before committing.
   *
   * @param blob the descriptor
   * @param content the bytes; read to {@code blob.size()}, not closed
   * @throws IOException when the bytes do not match, the stream ends early, or the upload fails
   */
  public void upload(Descriptor blob, InputStream content) throws IOException {
    UploadSession session = caller.call(new UploadStart(endpoint, repository, blob.digest(), null));
    MessageDigest sha256 = Digest.newSha256();
    HttpUrl location = session.location();
    try {
      long chunk = effectiveChunk(session);
      if (chunk == 0) {
        location = caller.call(new UploadChunk(endpoint, repository, what(blob), location,
            streaming(content, blob.size(), sha256), -1));
      } else {
        byte[] buf = new byte[(int) Math.min(chunk, Math.max(1, blob.size()))];
        for (long off = 0; off < blob.size(); ) {
          int n = content.readNBytes(buf, 0, (int) Math.min(buf.length, blob.size() - off));
          if (n == 0) {
            throw new EOFException(what(blob) + ": the stream ended after " + off + " of " + blob.size() + " bytes");
          }
          sha256.update(buf, 0, n);
          location = caller.call(new UploadChunk(endpoint, repository, what(blob), location,
              RequestBody.create(buf.clone(), OCTET_STREAM, 0, n), off));
          off += n;
        }
      }
      Digest actual = Digest.of(sha256);
      if (!actual.equals(blob.digest())) {
        throw new DigestMismatchException(what(blob), blob.digest(), actual);
      }
    } catch (IOException | RuntimeException e) {
      cancelQuietly(location);
      throw e;
    }
    caller.call(new UploadFinish(endpoint, repository, what(blob), location, blob.digest(), null));
  }

  private static RequestBody streaming(InputStream in, long size, MessageDigest sha256) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return OCTET_STREAM;
      }

      @Override
      public long contentLength() {
        return size;
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (long left = size; left > 0; ) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new EOFException("the blob stream ended " + left + " bytes before its size of " + size);
          }
          sha256.update(buf, 0, n);
          sink.write(buf, 0, n);
          left -= n;
        }
      }
    };
  }

  private void cancelQuietly(HttpUrl location) {
    try {
      caller.call(new UploadCancel(endpoint, repository, location));
    } catch (IOException e) {
      LOG.debug("cancelling an upload to {}/{} failed: {}", endpoint.registry(), repository, e.getMessage());
    }
  }

  /**
   * Tries a cross-repository mount.
   *
   * @param blob the blob
   * @param fromRepository the source repository in the same registry
   * @return true when mounted; false when the registry opened an upload instead (cancelled here)
   *     or refused the mount, so the caller uploads
   * @throws IOException on transport failures
   */
  public boolean mount(Descriptor blob, String fromRepository) throws IOException {
    UploadSession session;
    try {
      session = caller.call(new UploadStart(endpoint, repository, blob.digest(), fromRepository));
    } catch (RegistryNotFoundException e) {
      return false;
    } catch (RegistryException e) {
      if (e.status() == 0) {
        throw e;
      }
      LOG.debug("mount of {} from {} refused ({}); uploading instead", blob.digest(), fromRepository, e.status());
      return false;
    }
    if (!session.mounted()) {
      cancelQuietly(session.location());
    }
    return session.mounted();
  }
}
