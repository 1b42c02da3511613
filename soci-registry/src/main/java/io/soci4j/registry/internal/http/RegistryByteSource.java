package io.soci4j.registry.internal.http;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.registry.RegistryException;
import io.soci4j.registry.internal.auth.Origins;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import okhttp3.HttpUrl;

/**
 * Random access to a registry blob: each read is one HTTP range request. When the registry
 * redirects blob reads (to object storage), the redirect target is reused for later reads, as
 * soci-snapshotter does, and dropped (reads go back to the registry) when it answers 401, 403 or
 * 404 (an expired signed URL). Thread-safe: reads run in parallel on the client's connection pool.
 * Range reads cannot be checked against the blob digest: callers verify them (span digests).
 *
 * <p>A server that ignores {@code Range} (answers 200 with the full body) is detected on the first
 * such answer: that body is kept whole in a verified local copy ({@link WholeBlobCopy}) and every
 * later read of this source is served from it, so the blob is downloaded once, not once per read.
 */
public final class RegistryByteSource implements ByteSource {
  private final RegistryCaller caller;
  private final Endpoint endpoint;
  private final String repository;
  private final Descriptor blob;
  private volatile HttpUrl redirected;
  private volatile boolean closed;
  private volatile WholeBlobCopy whole;
  private final Object wholeLock = new Object();

  /**
   * @param caller runs the requests
   * @param endpoint the registry
   * @param repository the repository
   * @param blob the blob
   */
  public RegistryByteSource(RegistryCaller caller, Endpoint endpoint, String repository, Descriptor blob) {
    this.caller = caller;
    this.endpoint = endpoint;
    this.repository = repository;
    this.blob = blob;
  }

  @Override
  public long size() {
    return blob.size();
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws IOException {
    if (closed) {
      throw new IOException("the byte source of " + blob.digest() + " is closed");
    }
    if (offset < 0 || offset > blob.size() - dst.remaining()) {
      throw new EOFException("range [" + offset + ", " + (offset + dst.remaining()) + ") is outside blob "
          + blob.digest() + " of " + blob.size() + " bytes");
    }
    if (!dst.hasRemaining()) {
      return;
    }
    WholeBlobCopy copy = whole;
    if (copy != null) {
      copy.read(offset, dst);
      return;
    }
    int start = dst.position();
    HttpUrl target = redirected;
    if (target != null) {
      try {
        caller.call(new BlobRangeGet(endpoint, repository, blob, target, offset, dst, this::keepWhole));
        return;
      } catch (RegistryException e) {
        int s = e.status();
        if (s != 401 && s != 403) {
          throw e;
        }
      } catch (io.soci4j.registry.RegistryNotFoundException e) {
        // fall through: ask the registry again
      }
      redirected = null;
      dst.position(start);
    }
    HttpUrl from = caller.call(new BlobRangeGet(endpoint, repository, blob,
        endpoint.blob(repository, blob.digest()), offset, dst, this::keepWhole));
    if (!Origins.of(from).equals(endpoint.origin())) {
      redirected = from;
    }
  }

  /** Keeps the first full body as the local copy; null (skip to the range) when one exists. */
  private WholeBlobCopy keepWhole(java.io.InputStream body) throws IOException {
    synchronized (wholeLock) {
      if (whole != null || closed) {
        return null;
      }
      whole = WholeBlobCopy.of(blob, body, "blob " + blob.digest() + " in " + endpoint.registry() + "/"
          + repository);
      caller.counters().rangeIgnored();
      return whole;
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (wholeLock) {
      if (whole != null) {
        whole.close();
        whole = null;
      }
    }
  }

  @Override
  public String toString() {
    return "RegistryByteSource[" + endpoint.registry() + "/" + repository + "@" + blob.digest() + ", " + blob.size()
        + " bytes]";
  }
}
