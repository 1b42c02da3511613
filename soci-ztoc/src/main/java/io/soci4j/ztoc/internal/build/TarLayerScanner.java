package io.soci4j.ztoc.internal.build;

import io.soci4j.api.Digest;
import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.zinfo.TarZinfo;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over an uncompressed tar layer: spans are fixed slices of the span size; each slice is
 * hashed as it streams by and the bytes go to the sink (the tar parser).
 */
public final class TarLayerScanner {
  private static final int CHUNK = 256 * 1024;

  private final long spanSize;
  private final UncompressedSink sink;

  /**
   * @param spanSize bytes per span
   * @param sink receives the tar stream
   */
  public TarLayerScanner(long spanSize, UncompressedSink sink) {
    this.spanSize = spanSize;
    this.sink = sink;
  }

  /**
   * Scans the whole layer.
   *
   * @param layer the tar blob, read once to its end
   * @return span digests and sizes, with a {@link TarZinfo} blob
   * @throws IOException when reading fails, the layer is empty, or the sink fails
   */
  public LayerScan scan(InputStream layer) throws IOException {
    byte[] buf = new byte[CHUNK];
    List<Digest> digests = new ArrayList<>();
    MessageDigest md = Digest.newSha256();
    long total = 0;
    long inSpan = 0;
    for (int n; (n = layer.read(buf)) >= 0; ) {
      int off = 0;
      while (off < n) {
        int take = (int) Math.min(n - off, spanSize - inSpan);
        md.update(buf, off, take);
        inSpan += take;
        off += take;
        if (inSpan == spanSize) {
          digests.add(Digest.of(md));
          inSpan = 0;
        }
      }
      sink.accept(buf, 0, n);
      total += n;
    }
    if (total == 0) {
      throw new LayerFormatException("empty layer: no tar data", 0, 0, null);
    }
    if (inSpan > 0) {
      digests.add(Digest.of(md));
    }
    return new LayerScan(total, total, digests, TarZinfo.encode(spanSize, total), total);
  }
}
