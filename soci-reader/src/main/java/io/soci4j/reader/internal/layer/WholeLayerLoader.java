package io.soci4j.reader.internal.layer;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.LayerFormatException;
import io.soci4j.reader.internal.fetch.RetryPolicy;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import java.io.BufferedInputStream;
import io.soci4j.reader.internal.cache.MetadataCache;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a layer that has no zTOC whole, once: streams the blob, checks its digest and size,
 * decompresses it (gzip, or plain tar), lists its entries, and keeps the tar for reads. A digest
 * mismatch is fetched again once; transient failures are retried by the {@link RetryPolicy}.
 */
public final class WholeLayerLoader {
  private static final int BUFFER = 1 << 16;

  private final ImageStore store;
  private final RetryPolicy retry;
  private final long memoryLimit;
  private final Path tempDir;
  private final MetadataCache cache;

  /** Layers up to this size are kept in the metadata cache (below the default zTOC threshold). */
  static final long CACHED_BYTES = 16L << 20;

  /**
   * @param store where the blob is
   * @param retry retry policy for the fetch
   * @param memoryLimit decompressed bytes kept in memory at most, the rest in a temporary file
   * @param tempDir where temporary files go
   * @param cache where small layers are kept for the next open (as metadata, since every open
   *     reads them whole to list them), or null
   */
  public WholeLayerLoader(ImageStore store, RetryPolicy retry, long memoryLimit, Path tempDir, MetadataCache cache) {
    this.store = store;
    this.retry = retry;
    this.memoryLimit = memoryLimit;
    this.tempDir = tempDir;
    this.cache = cache;
  }

  /**
   * Fetches and decompresses a layer.
   *
   * @param layer the layer descriptor
   * @param counters its statistics
   * @return the layer
   * @throws DigestMismatchException when the blob does not match its digest twice
   * @throws IOException on other failures
   */
  public WholeLayer load(Descriptor layer, LayerCounters counters) throws IOException {
    boolean cacheable = cache != null && layer.size() <= CACHED_BYTES;
    if (cacheable) {
      Optional<byte[]> hit = cache.blob(layer);
      if (hit.isPresent()) {
        counters.hit();
        return loadFrom(layer, counters, new ByteArrayInputStream(hit.get()), false);
      }
    }
    for (int attempt = 0; ; attempt++) {
      try {
        return retry.run(() -> loadOnce(layer, counters), counters::request, counters::retry);
      } catch (DigestMismatchException e) {
        if (attempt > 0) {
          throw e;
        }
        counters.retry();
      }
    }
  }

  private WholeLayer loadOnce(Descriptor layer, LayerCounters counters) throws IOException {
    InputStream fetched = store.open(layer);
    boolean cacheable = cache != null && layer.size() <= CACHED_BYTES;
    return loadFrom(layer, counters, cacheable ? cache.tee(layer, fetched) : fetched, true);
  }

  /** Reads a layer from a stream (the store's, or the cache's: then nothing is counted as fetched). */
  private WholeLayer loadFrom(Descriptor layer, LayerCounters counters, InputStream stream, boolean fetched)
      throws IOException {
    if (fetched) {
      counters.wholeFetch();
    }
    SpillBuffer tar = new SpillBuffer(memoryLimit, tempDir);
    boolean ok = false;
    try (InputStream raw = stream) {
      MessageDigest sha = Digest.newSha256();
      CountingInput counted = new CountingInput(raw, sha);
      BufferedInputStream in = new BufferedInputStream(counted, BUFFER);
      in.mark(4);
      byte[] magic = in.readNBytes(4);
      in.reset();
      InputStream plain;
      if (magic.length >= 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b) {
        plain = new GZIPInputStream(in, BUFFER);
      } else if (magic.length == 4 && (magic[0] & 0xFF) == 0x28 && (magic[1] & 0xFF) == 0xb5
          && (magic[2] & 0xFF) == 0x2f && (magic[3] & 0xFF) == 0xfd) {
        plain = new com.github.luben.zstd.ZstdInputStream(in); // every frame, skippable ones skipped
      } else {
        plain = in;
      }
      InputStream tee = new TeeInput(plain, tar);
      Ztoc toc;
      try {
        toc = ZtocBuilder.create().withCompression(Compression.UNCOMPRESSED).withSpanSize(1L << 40).build(tee);
        tee.transferTo(OutputStream.nullOutputStream());
      } catch (IOException decodeFailure) {
        // corrupt bytes usually fail decompression before the digest can be checked: read the
        // rest (a failure there is the store's, and retried) and tell a bad fetch from a bad layer
        in.transferTo(OutputStream.nullOutputStream());
        if (fetched) {
          counters.received(counted.count);
        }
        checkDigest(layer, counted.count, Digest.of(sha), decodeFailure);
        if (decodeFailure instanceof LayerFormatException) {
          throw decodeFailure;
        }
        LayerFormatException bad = new LayerFormatException("layer " + layer.digest() + " does not decompress: "
            + decodeFailure.getMessage(), -1, -1, null);
        bad.initCause(decodeFailure);
        throw bad;
      }
      in.transferTo(OutputStream.nullOutputStream());
      if (fetched) {
        counters.received(counted.count);
      }
      checkDigest(layer, counted.count, Digest.of(sha), null);
      tar.finish();
      ok = true;
      return new WholeLayer(layer, toc.toc(), counters, tar);
    } finally {
      if (!ok) {
        tar.close();
      }
    }
  }

  private static void checkDigest(Descriptor layer, long count, Digest actual, Exception cause)
      throws DigestMismatchException {
    if (!actual.equals(layer.digest()) || count != layer.size()) {
      DigestMismatchException e = new DigestMismatchException("layer " + layer.digest() + " (" + count + " of "
          + layer.size() + " bytes) fetched whole", layer.digest(), actual);
      if (cause != null) {
        e.initCause(cause);
      }
      throw e;
    }
  }

  /** Counts and hashes what passes. */
  private static final class CountingInput extends FilterInputStream {
    private final MessageDigest sha;
    private long count;

    CountingInput(InputStream in, MessageDigest sha) {
      super(in);
      this.sha = sha;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        sha.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        sha.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, BUFFER)];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }
  }

  /** Copies what passes into a buffer. */
  private static final class TeeInput extends FilterInputStream {
    private final OutputStream copy;

    TeeInput(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, BUFFER)];
      int r = read(buf, 0, buf.length);
      return Math.max(r, 0);
    }

    @Override
    public void close() {
      // the caller closes the underlying stream
    }
  }
}
