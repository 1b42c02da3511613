package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.Response;

/**
 * {@code GET} of a blob from an offset to its end ({@code Range: bytes=offset-}), to resume a
 * whole-blob download that was cut: a 206 must start at the offset and end at the blob's end; a
 * 200 (the server ignores Range) is the whole body, whose first {@code offset} bytes are skipped,
 * so the download restarts. The stream is raw: the caller goes on hashing it.
 */
final class BlobTailGet implements Operation<InputStream> {
  private final Endpoint endpoint;
  private final String repository;
  private final Descriptor blob;
  private final long offset;

  BlobTailGet(Endpoint endpoint, String repository, Descriptor blob, long offset) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.blob = blob;
    this.offset = offset;
  }

  private String what() {
    return "bytes " + offset + "- of blob " + blob.digest() + " in " + endpoint.registry() + "/" + repository;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("fetch", what(), endpoint, repository, "GET", endpoint.blob(repository, blob.digest()),
        ScopeSet.of(Scope.pull(repository))).withHeader("Range", "bytes=" + offset + "-")
        .withHeader("Accept-Encoding", "identity");
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 206;
  }

  @Override
  public InputStream handle(Response response) throws IOException {
    InputStream in = response.body().byteStream();
    if (response.code() == 200) {
      long length = response.body().contentLength();
      if (length >= 0 && length != blob.size()) {
        throw new SociException(what() + ": the server sends " + length + " bytes, the blob has " + blob.size());
      }
      in.skipNBytes(offset);
      return in;
    }
    ContentRange range = ContentRange.parse(response.header("Content-Range"));
    if (range.first() != offset || (range.last() >= 0 && range.last() != blob.size() - 1)
        || (range.total() >= 0 && range.total() != blob.size())) {
      throw new SociException(what() + ": the server answers with Content-Range "
          + response.header("Content-Range"));
    }
    return in;
  }

  @Override
  public boolean keepsResponseOpen() {
    return true;
  }
}
