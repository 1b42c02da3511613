package io.soci4j.ztoc.internal.gzip;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.internal.deflate.CompressedInput;
import java.io.IOException;
import java.util.zip.CRC32;

/** Reads a gzip member header (RFC 1952) with every optional field, and its trailer. */
public final class GzipHeader {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xE0;

  private GzipHeader() {}

  /**
   * Reads a member header, leaving the input at the first byte of deflate data.
   *
   * @param in the input positioned at the header
   * @param first whether this is the first member (changes the message for a bad magic number)
   * @throws IOException {@link LayerFormatException} when the header is invalid or truncated
   */
  public static void read(CompressedInput in, boolean first) throws IOException {
    long start = in.position();
    CRC32 crc = new CRC32();
    int id1 = next(in, crc, start);
    int id2 = next(in, crc, start);
    if (id1 != 0x1f || id2 != 0x8b) {
      throw new LayerFormatException(first
          ? String.format("not a gzip stream: starts with %02x %02x, want 1f 8b", id1, id2)
          : String.format("trailing garbage after the last gzip member: bytes %02x %02x", id1, id2),
          start, -1, null);
    }
    int method = next(in, crc, start);
    if (method != 8) {
      throw new LayerFormatException("gzip compression method " + method + " is not deflate (8)", start + 2, -1, null);
    }
    int flags = next(in, crc, start);
    if ((flags & RESERVED) != 0) {
      throw new LayerFormatException(String.format("gzip header has reserved flag bits set (%02x)", flags),
          start + 3, -1, null);
    }
    for (int i = 0; i < 6; i++) {
      next(in, crc, start); // MTIME, XFL, OS
    }
    if ((flags & FEXTRA) != 0) {
      int xlen = next(in, crc, start) | next(in, crc, start) << 8;
      for (int i = 0; i < xlen; i++) {
        next(in, crc, start);
      }
    }
    if ((flags & FNAME) != 0) {
      while (next(in, crc, start) != 0) {
        // skip the zero-terminated file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (next(in, crc, start) != 0) {
        // skip the zero-terminated comment
      }
    }
    if ((flags & FHCRC) != 0) {
      int expected = (int) (crc.getValue() & 0xFFFF);
      int stored = next(in, null, start) | next(in, null, start) << 8;
      if (stored != expected) {
        throw new LayerFormatException(String.format("gzip header CRC16 %04x does not match %04x", stored, expected),
            in.position() - 2, -1, null);
      }
    }
  }

  /**
   * Reads and checks a member trailer.
   *
   * @param in input at the trailer
   * @param crc32 CRC32 of the member's output
   * @param size member output size
   * @param uncompressedEnd uncompressed offset of the member end, for messages
   * @throws IOException {@link LayerFormatException} on mismatch or truncation
   */
  public static void readTrailer(CompressedInput in, long crc32, long size, long uncompressedEnd) throws IOException {
    long start = in.position();
    long storedCrc = 0;
    long storedSize = 0;
    for (int i = 0; i < 4; i++) {
      storedCrc |= (long) trailerByte(in, start, uncompressedEnd) << (8 * i);
    }
    for (int i = 0; i < 4; i++) {
      storedSize |= (long) trailerByte(in, start, uncompressedEnd) << (8 * i);
    }
    if (storedCrc != crc32) {
      throw new LayerFormatException(String.format(
          "gzip member CRC32 mismatch: trailer says %08x, data gives %08x (corrupt data)", storedCrc, crc32),
          start, uncompressedEnd, null);
    }
    if (storedSize != (size & 0xFFFFFFFFL)) {
      throw new LayerFormatException("gzip member size mismatch: trailer says " + storedSize
          + " (mod 2^32), data gives " + size, start + 4, uncompressedEnd, null);
    }
  }

  private static int trailerByte(CompressedInput in, long start, long uncompressedEnd) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new LayerFormatException("truncated gzip trailer", start, uncompressedEnd, null);
    }
    return b;
  }

  private static int next(CompressedInput in, CRC32 crc, long start) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new LayerFormatException(in.position() == 0 ? "empty layer: no gzip header"
          : "truncated gzip header", start, -1, null);
    }
    if (crc != null) {
      crc.update(b);
    }
    return b;
  }
}
