package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import io.soci4j.api.SociException;
import java.io.IOException;
import java.nio.ByteBuffer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET} of one byte range of a blob ({@code Range: bytes=first-last},
 * {@code Accept-Encoding: identity}), following redirects. A 206 must cover the range (a wider
 * range is trimmed; a {@code multipart/byteranges} 206 is searched for the part). A 200 means the
 * server ignored {@code Range}: the full body follows, so the wanted bytes are taken from it by
 * skipping to the offset and the rest is dropped with the connection. The result is the URL the
 * bytes came from, so the caller may reuse a redirect target.
 */
public final class BlobRangeGet implements Operation<HttpUrl> {
  private static final Logger LOG = LoggerFactory.getLogger(BlobRangeGet.class);

  /** Keeps a full body (read from its first byte) as a local copy, or returns null to decline. */
  @FunctionalInterface
  interface KeepWhole {
    WholeBlobCopy keep(java.io.InputStream body) throws IOException;
  }

  private final Endpoint endpoint;
  private final String repository;
  private final Descriptor blob;
  private final HttpUrl url;
  private final long offset;
  private final ByteBuffer dst;
  private final int start;
  private final KeepWhole keepWhole;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param blob the blob
   * @param url where to send the request: the registry's blob URL, or a redirect target seen before
   * @param offset the first byte
   * @param dst where the bytes go: exactly {@code dst.remaining()} of them, at least one
   */
  public BlobRangeGet(Endpoint endpoint, String repository, Descriptor blob, HttpUrl url, long offset,
      ByteBuffer dst) {
    this(endpoint, repository, blob, url, offset, dst, null);
  }

  /**
   * As the other constructor, and when the server ignores {@code Range}, the full body goes to
   * {@code keepWhole} (which may return null to decline), and the range is served from the copy.
   *
   * @param keepWhole stores a full body read from its first byte, or null
   */
  BlobRangeGet(Endpoint endpoint, String repository, Descriptor blob, HttpUrl url, long offset, ByteBuffer dst,
      KeepWhole keepWhole) {
    this.keepWhole = keepWhole;
    this.endpoint = endpoint;
    this.repository = repository;
    this.blob = blob;
    this.url = url;
    this.offset = offset;
    this.dst = dst;
    this.start = dst.position();
  }

  private long last() {
    return offset + (dst.limit() - start) - 1;
  }

  private String what() {
    return "bytes " + offset + "-" + last() + " of blob " + blob.digest() + " in " + endpoint.registry() + "/"
        + repository;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("read", what(), endpoint, repository, "GET", url, ScopeSet.of(Scope.pull(repository)))
        .withHeader("Range", "bytes=" + offset + "-" + last())
        .withHeader("Accept-Encoding", "identity");
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 206 || status == 416;
  }

  @Override
  public HttpUrl handle(Response response) throws IOException {
    dst.position(start); // a retried attempt starts over
    BufferedSource source = response.body().source();
    if (response.code() == 416) {
      throw new SociException(what() + ": the server says the range is not satisfiable ("
          + response.header("Content-Range", "no Content-Range") + ")");
    }
    if (response.code() == 200) {
      long length = response.body().contentLength();
      if (length >= 0 && length != blob.size()) {
        throw new SociException(what() + ": the server ignored Range and sends " + length
            + " bytes, the blob has " + blob.size());
      }
      WholeBlobCopy copy = keepWhole == null ? null : keepWhole.keep(source.inputStream());
      if (copy != null) {
        LOG.debug("{} ignored Range for {}; kept the full body", response.request().url().host(), blob.digest());
        copy.read(offset, dst);
        return response.request().url();
      }
      LOG.debug("{} ignored Range for {}; skipping {} bytes of the full body", response.request().url().host(),
          blob.digest(), offset);
      source.skip(offset);
      RangeBodies.readFully(source, dst);
      return response.request().url();
    }
    MediaType type = response.body().contentType();
    if (type != null && type.type().equals("multipart") && type.subtype().equals("byteranges")) {
      MultipartByteRanges.read(source, type.parameter("boundary"), offset, dst);
      return response.request().url();
    }
    ContentRange range = ContentRange.parse(response.header("Content-Range"));
    if (range.total() >= 0 && range.total() != blob.size()) {
      throw new SociException(what() + ": the server's Content-Range says the blob has " + range.total()
          + " bytes, the descriptor says " + blob.size());
    }
    if (range.first() > offset || range.last() < last()) {
      throw new SociException(what() + ": the server sent bytes " + range.first() + "-" + range.last()
          + " instead");
    }
    source.skip(offset - range.first());
    RangeBodies.readFully(source, dst);
    return response.request().url();
  }
}
