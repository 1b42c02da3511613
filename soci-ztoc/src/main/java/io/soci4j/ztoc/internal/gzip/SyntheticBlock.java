package io.soci4j.ztoc.internal.gzip;

/**
 * Builds the bytes that let zlib start inflating in the middle of a byte (SOCI format spec §3):
 * an empty, non-final dynamic-Huffman deflate block whose length in bits is {@code 8 - bits}
 * modulo 8, so that the top {@code bits} bits of its last byte, which carry the first bits of the
 * span, are the next bits zlib reads.
 *
 * <p>The block: header (3 bits), HLIT = 257 codes (5), HDIST = d codes (5), HCLEN = 18
 * code-length codes (4 + 18 x 3); a code-length code where symbols 0 and 1 have 1-bit codes;
 * 256 zero lengths then length 1 for end-of-block; d zero distance lengths; the end-of-block
 * code (1 bit). That is 329 + d bits, and d in 1..8 reaches every length modulo 8. zlib accepts
 * the lone 1-bit end-of-block code and the empty distance code (its {@code inflate_table} allows
 * both).
 */
final class SyntheticBlock {
  private static final int FIXED_BITS = 329;
  /** Longest prefix in bytes (d = 8). */
  static final int MAX_BYTES = (FIXED_BITS + 8 + 7) / 8;
  /** The prefix for each bits value 1..7, with the span's bits still zero. */
  private static final byte[][] TEMPLATES = new byte[8][];

  static {
    for (int bits = 1; bits <= 7; bits++) {
      TEMPLATES[bits] = build(bits);
    }
  }

  private SyntheticBlock() {}

  /**
   * Writes the bytes to feed zlib before the rest of the span (which starts at the next byte)
   * into a caller's buffer; allocates nothing.
   *
   * @param bits how many top bits of {@code firstByte} start the span (1..7)
   * @param firstByte the compressed byte the span starts in
   * @param out at least {@link #MAX_BYTES} bytes
   * @return the prefix length written at the start of {@code out}
   */
  static int prefix(int bits, int firstByte, byte[] out) {
    if (bits < 1 || bits > 7) {
      throw new IllegalArgumentException("bits must be 1..7, got " + bits);
    }
    byte[] t = TEMPLATES[bits];
    System.arraycopy(t, 0, out, 0, t.length);
    out[t.length - 1] |= (byte) (firstByte & (0xFF << (8 - bits)));
    return t.length;
  }

  /** The block for {@code bits}, its last byte's top {@code bits} bits left zero. */
  private static byte[] build(int bits) {
    int target = 8 - bits;
    int d = Math.floorMod(target - FIXED_BITS, 8);
    if (d == 0) {
      d = 8;
    }
    int total = FIXED_BITS + d;
    byte[] out = new byte[(total + 7) / 8];
    BitWriter w = new BitWriter(out);
    w.write(0, 1); // BFINAL = 0
    w.write(2, 2); // BTYPE = 10, dynamic
    w.write(0, 5); // HLIT: 257 literal/length codes
    w.write(d - 1, 5); // HDIST: d distance codes
    w.write(14, 4); // HCLEN: 18 code length codes
    // Order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1: symbol 0 (index 3) and 1 (index 17) get 1 bit.
    for (int i = 0; i < 18; i++) {
      w.write(i == 3 || i == 17 ? 1 : 0, 3);
    }
    for (int i = 0; i < 256; i++) {
      w.write(0, 1); // literal i: length 0 (code-length symbol 0, code '0')
    }
    w.write(1, 1); // end-of-block: length 1 (code-length symbol 1, code '1')
    for (int i = 0; i < d; i++) {
      w.write(0, 1); // distance i: length 0
    }
    w.write(0, 1); // the block's only symbol: end-of-block, code '0'
    if (w.position() != total || total % 8 != target % 8) {
      throw new AssertionError("synthetic block is " + w.position() + " bits, want " + total);
    }
    return out;
  }

  /** Writes bits LSB first. */
  private static final class BitWriter {
    private final byte[] out;
    private int pos;

    BitWriter(byte[] out) {
      this.out = out;
    }

    void write(int value, int n) {
      for (int i = 0; i < n; i++, pos++) {
        if (((value >>> i) & 1) != 0) {
          out[pos >>> 3] |= (byte) (1 << (pos & 7));
        }
      }
    }

    int position() {
      return pos;
    }
  }
}
