package io.soci4j.registry.internal.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Locale;
import okio.BufferedSource;

/**
 * Reads one range out of a {@code multipart/byteranges} body (RFC 9110 §14.6), which some servers
 * (distribution 2.8 among them) may send even for a single range: finds the part whose
 * {@code Content-Range} covers the wanted bytes and copies them.
 */
final class MultipartByteRanges {
  private MultipartByteRanges() {}

  static void read(BufferedSource source, String boundary, long offset, ByteBuffer dst) throws IOException {
    if (boundary == null || boundary.isEmpty()) {
      throw new ProtocolException("multipart/byteranges answer without a boundary");
    }
    String delimiter = "--" + boundary;
    long length = dst.remaining();
    while (true) {
      String line = source.readUtf8Line();
      if (line == null) {
        throw new EOFException("multipart/byteranges body ended before a part with bytes " + offset + "-"
            + (offset + length - 1));
      }
      if (line.equals(delimiter + "--")) {
        throw new ProtocolException("no part of the multipart/byteranges answer holds bytes " + offset + "-"
            + (offset + length - 1));
      }
      if (!line.equals(delimiter)) {
        continue; // preamble, or the CRLF after a part's data
      }
      ContentRange range = null;
      for (String header = source.readUtf8LineStrict(); !header.isEmpty(); header = source.readUtf8LineStrict()) {
        int colon = header.indexOf(':');
        if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-range")) {
          range = ContentRange.parse(header.substring(colon + 1));
        }
      }
      if (range == null) {
        throw new ProtocolException("a multipart/byteranges part has no Content-Range");
      }
      if (range.first() <= offset && range.last() >= offset + length - 1) {
        source.skip(offset - range.first());
        RangeBodies.readFully(source, dst);
        return;
      }
      source.skip(range.length());
    }
  }
}
