package io.soci4j.ztoc.internal.deflate;

import static io.soci4j.ztoc.internal.deflate.HuffmanTable.END_OF_BLOCK;
import static io.soci4j.ztoc.internal.deflate.HuffmanTable.INVALID;
import static io.soci4j.ztoc.internal.deflate.HuffmanTable.KIND_MASK;
import static io.soci4j.ztoc.internal.deflate.HuffmanTable.LENGTH;
import static io.soci4j.ztoc.internal.deflate.HuffmanTable.LITERAL;
import static io.soci4j.ztoc.internal.deflate.HuffmanTable.SUBTABLE;

import io.soci4j.api.LayerFormatException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A raw deflate (RFC 1951) decoder that stops at every block boundary and reports the exact bit
 * position there, which {@link java.util.zip.Inflater} cannot do. It decodes into {@link #out}, a
 * buffer that always keeps the last 32 KiB of output in front of the new bytes (the window a
 * checkpoint records).
 *
 * <p>Hot loop: a 64-bit bit buffer refilled with one 8-byte load, two-level Huffman tables (10
 * bits for literal/length, 8 for distance), matches copied 8 bytes at a time where they do not
 * overlap; no allocation and no virtual call per symbol.
 *
 * <p>Use: {@link #startMember()}, then call {@link #decode()} until it returns {@link
 * #MEMBER_END}; on {@link #OUTPUT_FULL} consume {@code out[flushed, outPos)} and call {@link
 * #slide()}; on {@link #BLOCK_END} the decoder sits at the start of the next block.
 */
public final class DeflateDecoder {
  /** Bytes of history a deflate stream can refer to. */
  public static final int WINDOW = 32768;
  /** decode() result: output buffer full; consume and {@link #slide()}. */
  public static final int OUTPUT_FULL = 1;
  /** decode() result: a non-final block ended; the next block starts at {@link #bitPosition()}. */
  public static final int BLOCK_END = 2;
  /** decode() result: the final block ended. */
  public static final int MEMBER_END = 3;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int LIT_BITS = 10;
  private static final int DIST_BITS = 8;
  private static final int MAX_MATCH = 258;
  private static final int[] CODE_LENGTH_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };
  private static final int[] FIXED_LIT = new int[HuffmanTable.capacity(LIT_BITS, 288)];
  private static final int[] FIXED_DIST = new int[HuffmanTable.capacity(DIST_BITS, 32)];

  static {
    int[] lengths = new int[288 + 32];
    Arrays.fill(lengths, 0, 144, 8);
    Arrays.fill(lengths, 144, 256, 9);
    Arrays.fill(lengths, 256, 280, 7);
    Arrays.fill(lengths, 280, 288, 8);
    Arrays.fill(lengths, 288, 320, 5);
    HuffmanTable.build(lengths, 0, 288, HuffmanTable.Alphabet.LITERAL_LENGTH, LIT_BITS, FIXED_LIT, new int[32]);
    HuffmanTable.build(lengths, 288, 32, HuffmanTable.Alphabet.DISTANCE, DIST_BITS, FIXED_DIST, new int[32]);
  }

  private final CompressedInput input;
  /** Output buffer: history, then new bytes; {@link #outLimit} bounds where symbols may start. */
  public final byte[] out;
  /** Next output index. */
  public int outPos;
  private final int outLimit;
  /** Start of output not yet consumed by the caller. */
  public int flushed;
  /** Output index where the current member's output began (negative once slid out of view). */
  private int memberStart;

  private long bitBuf;
  private int bitCount;

  private final int[] dynLit = new int[HuffmanTable.capacity(LIT_BITS, 288)];
  private final int[] dynDist = new int[HuffmanTable.capacity(DIST_BITS, 32)];
  private final int[] codeLenTable = new int[HuffmanTable.capacity(7, 19)];
  private final int[] lengths = new int[288 + 32];
  private final int[] scratch = new int[32];
  private int[] litTable;
  private int[] distTable;

  private static final int STATE_HEADER = 0;
  private static final int STATE_HUFFMAN = 1;
  private static final int STATE_STORED = 2;
  private int state = STATE_HEADER;
  private boolean finalBlock;
  private int storedLeft;

  /**
   * @param input compressed input
   * @param chunk new output bytes per {@link #OUTPUT_FULL} round (after the 32 KiB history)
   */
  public DeflateDecoder(CompressedInput input, int chunk) {
    this.input = input;
    this.out = new byte[WINDOW + chunk + MAX_MATCH + 8];
    this.outLimit = WINDOW + chunk;
    this.outPos = WINDOW;
    this.flushed = WINDOW;
    this.memberStart = WINDOW;
  }

  /** Prepares to decode a new deflate stream whose first byte is at the input position. */
  public void startMember() {
    bitBuf = 0;
    bitCount = 0;
    state = STATE_HEADER;
    finalBlock = false;
    memberStart = outPos;
  }

  /**
   * Absolute bit position of the next unread bit: byte {@code p >>> 3}, bit {@code p & 7}.
   *
   * @return the position in bits from the start of the compressed stream
   */
  public long bitPosition() {
    return (input.base + input.pos) * 8 - bitCount;
  }

  /** Drops partial-byte bits and gives whole unread bytes back to the input (member end). */
  public void alignToByte() {
    bitCount -= bitCount & 7;
    input.pos -= bitCount >>> 3;
    bitBuf = 0;
    bitCount = 0;
  }

  /**
   * Moves the last 32 KiB of output to the front after the caller consumed {@code
   * out[flushed, outPos)}.
   */
  public void slide() {
    int shift = outPos - WINDOW;
    if (shift <= 0) {
      return;
    }
    System.arraycopy(out, shift, out, 0, WINDOW);
    outPos = WINDOW;
    flushed = WINDOW;
    memberStart = memberStart - shift < -WINDOW ? -WINDOW : memberStart - shift;
  }

  /** @return output bytes not yet consumed by the caller */
  public int pending() {
    return outPos - flushed;
  }

  /**
   * Decodes until the output buffer is full, a block ends, or the stream ends.
   *
   * @return {@link #OUTPUT_FULL}, {@link #BLOCK_END} or {@link #MEMBER_END}
   * @throws IOException on invalid or truncated data ({@link LayerFormatException})
   */
  public int decode() throws IOException {
    while (true) {
      switch (state) {
        case STATE_HEADER:
          readBlockHeader();
          break;
        case STATE_STORED:
          if (copyStored()) {
            return OUTPUT_FULL;
          }
          if (storedLeft == 0) {
            state = STATE_HEADER;
            return blockEnded();
          }
          break;
        default:
          int r = decodeHuffman();
          if (r != 0) {
            return r;
          }
          state = STATE_HEADER;
          return blockEnded();
      }
    }
  }

  private int blockEnded() {
    return finalBlock ? MEMBER_END : BLOCK_END;
  }

  // ---- bit input -------------------------------------------------------------------------

  /** Slow refill: byte by byte, reading the stream as needed; at the end, leaves fewer bits. */
  private void refillSlow() throws IOException {
    CompressedInput in = input;
    while (bitCount <= 56) {
      if (in.pos == in.end && !in.refill()) {
        return;
      }
      if (in.end - in.pos >= 8) {
        refillFast();
        return;
      }
      bitBuf |= (long) (in.buf[in.pos++] & 0xFF) << bitCount;
      bitCount += 8;
    }
  }

  private void refillFast() {
    CompressedInput in = input;
    bitBuf |= (long) LONG_LE.get(in.buf, in.pos) << bitCount;
    int n = (63 - bitCount) >>> 3;
    in.pos += n;
    bitCount += n << 3;
  }

  private int bits(int n) throws IOException {
    if (bitCount < n) {
      refillSlow();
      if (bitCount < n) {
        throw truncated();
      }
    }
    int v = (int) (bitBuf & ((1L << n) - 1));
    bitBuf >>>= n;
    bitCount -= n;
    return v;
  }

  private LayerFormatException truncated() {
    return new LayerFormatException("truncated deflate data", input.position(), -1, null);
  }

  private LayerFormatException invalid(String what) {
    return new LayerFormatException("invalid deflate data: " + what, bitPosition() >>> 3, -1, null);
  }

  // ---- block headers -----------------------------------------------------------------------

  private void readBlockHeader() throws IOException {
    finalBlock = bits(1) == 1;
    int type = bits(2);
    switch (type) {
      case 0:
        bitBuf >>>= bitCount & 7;
        bitCount -= bitCount & 7;
        int len = bits(16);
        int nlen = bits(16);
        if ((len ^ 0xFFFF) != nlen) {
          throw invalid("stored block length " + len + " does not match its complement " + nlen);
        }
        storedLeft = len;
        // Give whole buffered bytes back so the stored bytes are copied from the input buffer.
        input.pos -= bitCount >>> 3;
        bitBuf = 0;
        bitCount = 0;
        state = STATE_STORED;
        return;
      case 1:
        litTable = FIXED_LIT;
        distTable = FIXED_DIST;
        state = STATE_HUFFMAN;
        return;
      case 2:
        readDynamicTables();
        state = STATE_HUFFMAN;
        return;
      default:
        throw invalid("block type 3 is reserved");
    }
  }

  private void readDynamicTables() throws IOException {
    int nlit = bits(5) + 257;
    int ndist = bits(5) + 1;
    int ncode = bits(4) + 4;
    if (nlit > 286 || ndist > 30) {
      throw invalid("too many length or distance symbols (" + nlit + ", " + ndist + ")");
    }
    int[] lens = lengths;
    Arrays.fill(lens, 0, 19, 0);
    for (int i = 0; i < ncode; i++) {
      lens[CODE_LENGTH_ORDER[i]] = bits(3);
    }
    String err = HuffmanTable.build(lens, 0, 19, HuffmanTable.Alphabet.CODE_LENGTHS, 7, codeLenTable, scratch);
    if (err != null) {
      throw invalid(err);
    }
    int n = 0;
    while (n < nlit + ndist) {
      if (bitCount < 16) {
        refillSlow();
      }
      int e = codeLenTable[(int) (bitBuf & 0x7F)];
      int len = e & 0xF;
      if (len > bitCount) {
        throw truncated();
      }
      bitBuf >>>= len;
      bitCount -= len;
      int sym = e >>> 16;
      if (sym < 16) {
        lens[n++] = sym;
        continue;
      }
      int repeat;
      int value = 0;
      if (sym == 16) {
        if (n == 0) {
          throw invalid("repeat of a previous code length with none before");
        }
        value = lens[n - 1];
        repeat = 3 + bits(2);
      } else if (sym == 17) {
        repeat = 3 + bits(3);
      } else {
        repeat = 11 + bits(7);
      }
      if (n + repeat > nlit + ndist) {
        throw invalid("code length repeat runs past the end");
      }
      Arrays.fill(lens, n, n + repeat, value);
      n += repeat;
    }
    if (lens[256] == 0) {
      throw invalid("missing end-of-block code");
    }
    err = HuffmanTable.build(lens, 0, nlit, HuffmanTable.Alphabet.LITERAL_LENGTH, LIT_BITS, dynLit, scratch);
    if (err != null) {
      throw invalid(err);
    }
    err = HuffmanTable.build(lens, nlit, ndist, HuffmanTable.Alphabet.DISTANCE, DIST_BITS, dynDist, scratch);
    if (err != null) {
      throw invalid(err);
    }
    litTable = dynLit;
    distTable = dynDist;
  }

  // ---- stored blocks -----------------------------------------------------------------------

  /** @return true when the output is full */
  private boolean copyStored() throws IOException {
    while (storedLeft > 0) {
      int space = outLimit - outPos;
      if (space <= 0) {
        return true;
      }
      CompressedInput in = input;
      if (in.pos == in.end && !in.refill()) {
        throw truncated();
      }
      int n = Math.min(storedLeft, Math.min(space, in.end - in.pos));
      System.arraycopy(in.buf, in.pos, out, outPos, n);
      in.pos += n;
      outPos += n;
      storedLeft -= n;
    }
    return false;
  }

  // ---- Huffman blocks ----------------------------------------------------------------------

  /** @return 0 at the end of the block, {@link #OUTPUT_FULL} when the output is full */
  private int decodeHuffman() throws IOException {
    final byte[] o = out;
    final int[] lit = litTable;
    final int[] dist = distTable;
    final int limit = outLimit;
    int op = outPos;
    try {
      while (true) {
        if (op >= limit) {
          return OUTPUT_FULL;
        }
        if (input.end - input.pos >= 8) {
          refillFast();
        } else {
          refillSlow();
        }
        long bb = bitBuf;
        int bc = bitCount;
        int e = lit[(int) (bb & ((1 << LIT_BITS) - 1))];
        if ((e & KIND_MASK) == SUBTABLE) {
          bb >>>= LIT_BITS;
          bc -= LIT_BITS;
          e = lit[(e >>> 16) + (int) (bb & ((1 << ((e >>> 4) & 0xF)) - 1))];
        }
        int len = e & 0xF;
        bc -= len;
        if (bc < 0) {
          throw truncated();
        }
        bb >>>= len;
        int kind = e & KIND_MASK;
        if (kind == LITERAL) {
          o[op++] = (byte) (e >>> 16);
          // A second literal without refilling: 56 bits were there, 15 at most consumed.
          if (bc >= 15 && op < limit) {
            int e2 = lit[(int) (bb & ((1 << LIT_BITS) - 1))];
            if ((e2 & KIND_MASK) == LITERAL) {
              int len2 = e2 & 0xF;
              bb >>>= len2;
              bc -= len2;
              o[op++] = (byte) (e2 >>> 16);
            }
          }
          bitBuf = bb;
          bitCount = bc;
          continue;
        }
        if (kind == LENGTH) {
          int extra = (e >>> 4) & 0xF;
          if (bc < extra) {
            throw truncated();
          }
          int length = (e >>> 16) + (int) (bb & ((1L << extra) - 1));
          bb >>>= extra;
          bc -= extra;
          int d = dist[(int) (bb & ((1 << DIST_BITS) - 1))];
          if ((d & KIND_MASK) == SUBTABLE) {
            if (bc < DIST_BITS) {
              throw truncated();
            }
            bb >>>= DIST_BITS;
            bc -= DIST_BITS;
            d = dist[(d >>> 16) + (int) (bb & ((1 << ((d >>> 4) & 0xF)) - 1))];
          }
          if ((d & KIND_MASK) == INVALID) {
            bitBuf = bb;
            bitCount = bc;
            throw invalid("invalid distance code");
          }
          int dlen = d & 0xF;
          int dextra = (d >>> 4) & 0xF;
          if (bc < dlen + dextra) {
            throw truncated();
          }
          bb >>>= dlen;
          int distance = (d >>> 16) + (int) (bb & ((1L << dextra) - 1));
          bb >>>= dextra;
          bc -= dlen + dextra;
          bitBuf = bb;
          bitCount = bc;
          int from = op - distance;
          if (from < memberStart) {
            outPos = op;
            throw invalid("distance " + distance + " too far back");
          }
          copyMatch(o, from, op, length, distance);
          op += length;
          continue;
        }
        bitBuf = bb;
        bitCount = bc;
        if (kind == END_OF_BLOCK) {
          return 0;
        }
        throw invalid(kind == INVALID ? "invalid literal/length code" : "unexpected code");
      }
    } finally {
      outPos = op;
    }
  }

  private static void copyMatch(byte[] o, int from, int to, int length, int distance) {
    if (distance >= 8) {
      // Word copies; each 8-byte load reads bytes already written (distance >= 8).
      int end = to + length;
      while (to < end) {
        LONG_LE.set(o, to, (long) LONG_LE.get(o, from));
        to += 8;
        from += 8;
      }
    } else if (distance == 1) {
      Arrays.fill(o, to, to + length, o[from]);
    } else {
      for (int i = 0; i < length; i++) {
        o[to + i] = o[from + i];
      }
    }
  }
}
