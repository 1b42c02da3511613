package io.soci4j.ztoc.internal.deflate;

/**
 * Builds two-level lookup tables for canonical Huffman codes, read LSB first as deflate sends
 * them. Every table entry is one {@code int}:
 *
 * <pre>
 * bits 0..3   number of bits to consume (code length, or remaining length in a subtable)
 * bits 4..7   extra bits that follow the code (lengths, distances); subtable index bits for links
 * bits 8..10  kind: LITERAL, LENGTH, END_OF_BLOCK, SUBTABLE, INVALID, DISTANCE
 * bits 16..31 value: literal byte, base length, base distance, or subtable start
 * </pre>
 *
 * Completeness rules follow zlib's {@code inflate_table}, so this decoder accepts exactly the
 * streams zlib accepts: over-subscribed codes are invalid; incomplete codes are invalid except a
 * code with a single symbol of length 1, and a distance code with no symbols at all.
 */
final class HuffmanTable {
  static final int LITERAL = 0;
  static final int LENGTH = 1 << 8;
  static final int END_OF_BLOCK = 2 << 8;
  static final int SUBTABLE = 3 << 8;
  static final int INVALID = 4 << 8;
  static final int DISTANCE = 5 << 8;
  static final int KIND_MASK = 7 << 8;

  /** Base lengths of length symbols 257..285. */
  static final int[] LENGTH_BASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258
  };
  /** Extra bits of length symbols 257..285. */
  static final int[] LENGTH_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  /** Base distances of distance symbols 0..29. */
  static final int[] DIST_BASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  /** Extra bits of distance symbols 0..29. */
  static final int[] DIST_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };

  /** Kinds of alphabets. */
  enum Alphabet {
    CODE_LENGTHS,
    LITERAL_LENGTH,
    DISTANCE
  }

  private HuffmanTable() {}

  static int entry(int kind, int value, int length, int extra) {
    return (value << 16) | kind | (extra << 4) | length;
  }

  /** Size of a table array able to hold any code of an alphabet with {@code tableBits}. */
  static int capacity(int tableBits, int symbols) {
    return (1 << tableBits) + symbols * (1 << Math.max(0, 15 - tableBits));
  }

  /**
   * Builds a table.
   *
   * @param lengths code length per symbol
   * @param offset first symbol in {@code lengths}
   * @param count number of symbols
   * @param alphabet what the symbols mean
   * @param tableBits bits resolved by the first level
   * @param table destination, at least {@link #capacity} entries
   * @param scratch 32 ints of working space (reused across calls: no allocation per block)
   * @return null on success, else what is wrong with the code
   */
  static String build(int[] lengths, int offset, int count, Alphabet alphabet, int tableBits, int[] table,
      int[] scratch) {
    int[] lengthCount = scratch;
    java.util.Arrays.fill(scratch, 0, 32, 0);
    int maxLen = 0;
    for (int i = 0; i < count; i++) {
      int len = lengths[offset + i];
      lengthCount[len]++;
      if (len > maxLen) {
        maxLen = len;
      }
    }
    int mainSize = 1 << tableBits;
    if (maxLen == 0) {
      // No symbols: every lookup is invalid (allowed for distance codes, as in zlib).
      java.util.Arrays.fill(table, 0, mainSize, entry(INVALID, 0, 1, 0));
      return alphabet == Alphabet.DISTANCE ? null : "no codes in " + alphabet;
    }
    int left = 1;
    for (int len = 1; len <= 15; len++) {
      left <<= 1;
      left -= lengthCount[len];
      if (left < 0) {
        return "over-subscribed " + alphabet + " code";
      }
    }
    if (left > 0 && (alphabet == Alphabet.CODE_LENGTHS || maxLen != 1)) {
      return "incomplete " + alphabet + " code";
    }
    // nextCode[len] lives at scratch[16 + len]; lengthCount[0] is not a code, count it as none.
    lengthCount[0] = 0;
    int code = 0;
    for (int len = 1; len <= 15; len++) {
      code = (code + lengthCount[len - 1]) << 1;
      scratch[16 + len] = code;
    }
    java.util.Arrays.fill(table, 0, mainSize, entry(INVALID, 0, 1, 0));
    int subBits = Math.max(0, maxLen - tableBits);
    int subSize = 1 << subBits;
    int nextSub = mainSize;
    for (int sym = 0; sym < count; sym++) {
      int len = lengths[offset + sym];
      if (len == 0) {
        continue;
      }
      int rev = Integer.reverse(scratch[16 + len]++) >>> (32 - len);
      if (len <= tableBits) {
        int e = symbolEntry(alphabet, sym, len);
        for (int i = rev; i < mainSize; i += 1 << len) {
          table[i] = e;
        }
      } else {
        int low = rev & (mainSize - 1);
        int link = table[low];
        int start;
        if ((link & KIND_MASK) != SUBTABLE) {
          start = nextSub;
          nextSub += subSize;
          java.util.Arrays.fill(table, start, start + subSize, entry(INVALID, 0, 1, 0));
          table[low] = entry(SUBTABLE, start, tableBits, subBits);
        } else {
          start = link >>> 16;
        }
        int rest = len - tableBits;
        int e = symbolEntry(alphabet, sym, rest);
        for (int i = rev >>> tableBits; i < subSize; i += 1 << rest) {
          table[start + i] = e;
        }
      }
    }
    return null;
  }

  private static int symbolEntry(Alphabet alphabet, int sym, int len) {
    switch (alphabet) {
      case CODE_LENGTHS:
        return entry(LITERAL, sym, len, 0);
      case LITERAL_LENGTH:
        if (sym < 256) {
          return entry(LITERAL, sym, len, 0);
        } else if (sym == 256) {
          return entry(END_OF_BLOCK, 0, len, 0);
        } else if (sym <= 285) {
          return entry(LENGTH, LENGTH_BASE[sym - 257], len, LENGTH_EXTRA[sym - 257]);
        }
        return entry(INVALID, sym, len, 0);
      default:
        if (sym < 30) {
          return entry(DISTANCE, DIST_BASE[sym], len, DIST_EXTRA[sym]);
        }
        return entry(INVALID, sym, len, 0);
    }
  }
}
