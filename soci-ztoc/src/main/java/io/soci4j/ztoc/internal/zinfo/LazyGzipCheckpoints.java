package io.soci4j.ztoc.internal.zinfo;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ZtocFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Inflater;

/**
 * The checkpoints of a gzip zTOC read from the zTOC blob a record at a time (range reads): a
 * span's record (offsets, bits, window) and the next record's offsets, which end the span, are
 * read when the span is first needed; the span holding an uncompressed offset is found by reading
 * record headers (17 bytes each), starting where upstream's builder puts it at the latest (a
 * checkpoint follows at least span-size uncompressed bytes after the previous one): usually one
 * header, then the span's record.
 *
 * <p>Every record is validated when read, as {@link GzipCheckpoints#decode} validates the whole
 * blob: bits, offsets inside the layer, and offsets increasing from every record read before it
 * and to every record read after it. A span's geometry is only used once its records are read;
 * reading it before is a programming error ({@link IllegalStateException}).
 *
 * <p>Thread-safe: reads run outside the lock, their results are applied under it (a record read
 * twice must read the same).
 */
public final class LazyGzipCheckpoints implements DeflateCheckpoints {
  private static final int HEADER = 17;
  private static final int ENTRY = GzipCheckpoints.ENTRY_SIZE;

  private final ByteSource ztoc;
  /** Position in the zTOC blob of checkpoint 0's record (of checkpoint 1's in the v1 form, minus ENTRY). */
  private final long records;
  /** Position of the checkpoint blob in the zTOC, for error offsets. */
  private final long blobStart;
  private final boolean v1;
  private final long spanSize;
  private final long compressedSize;
  private final long uncompressedSize;
  private final long[] in;
  private final long[] out;
  private final byte[] bits;
  private final boolean[] known;
  private final byte[][] windows;
  private int windowsLoaded;
  /** Reads in flight, by their first record. */
  private final ConcurrentHashMap<Integer, CompletableFuture<Void>> loading =
      new ConcurrentHashMap<>();
  /** Checkpoints whose header is known, by uncompressed offset. */
  private final TreeMap<Long, Integer> byOut = new TreeMap<>();

  /**
   * @param ztoc range reads of the zTOC blob
   * @param blobStart position of the checkpoint blob (its 12-byte header) in the zTOC blob
   * @param count checkpoints (max_span_id + 1, already checked against the blob header)
   * @param v1 whether the blob has the v1 form (checkpoint 0 implied)
   * @param spanSize the span size in the blob header
   * @param compressedSize the layer's compressed size
   * @param uncompressedSize the tar stream's size
   */
  public LazyGzipCheckpoints(ByteSource ztoc, long blobStart, int count, boolean v1, long spanSize,
      long compressedSize, long uncompressedSize) {
    this.ztoc = ztoc;
    this.blobStart = blobStart;
    this.records = blobStart + GzipCheckpoints.HEADER_SIZE - (v1 ? ENTRY : 0);
    this.v1 = v1;
    this.spanSize = spanSize;
    this.compressedSize = compressedSize;
    this.uncompressedSize = uncompressedSize;
    this.in = new long[count];
    this.out = new long[count];
    this.bits = new byte[count];
    this.known = new boolean[count];
    this.windows = new byte[count][];
    if (v1) {
      in[0] = 10;
      known[0] = true;
      windows[0] = new byte[GzipCheckpoints.WINDOW_SIZE];
      byOut.put(0L, 0);
    }
  }

  /** {@return the records whose window has been read} */
  public synchronized int windowsLoaded() {
    return windowsLoaded;
  }

  /**
   * Reads what the spans {@code [first, last]} need that is not read yet: their records and the
   * header of the record after the last, in one range read.
   *
   * @param first first span
   * @param last last span, at least {@code first}
   * @throws ZtocFormatException when a record read is invalid
   * @throws IOException when the read fails
   */
  public void load(int first, int last) throws IOException {
    while (true) {
      int from = first;
      int to = last;
      synchronized (this) {
        while (from <= to && windows[from] != null && headerKnown(from + 1)) {
          from++;
        }
        while (to >= from && windows[to] != null && headerKnown(to + 1)) {
          to--;
        }
      }
      if (from > to) {
        return;
      }
      // one read at a time per first record: readers of one span wait for the first one's read
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> other = loading.putIfAbsent(from, mine);
      if (other != null) {
        try {
          other.join();
        } catch (CompletionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw e;
        }
        continue; // it may have read fewer records than these
      }
      try {
        read(from, to);
        mine.complete(null);
      } catch (IOException | RuntimeException e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        loading.remove(from, mine);
      }
      return;
    }
  }

  /** Reads records {@code [from, to]} and the header after them. */
  private void read(int from, int to) throws IOException {
    int firstRecord = v1 && from == 0 ? 1 : from; // the implied checkpoint 0 has no record
    boolean next = to + 1 < in.length;
    if (firstRecord > to && !next) {
      return;
    }
    long start = recordPosition(firstRecord);
    long end = next ? recordPosition(to + 1) + HEADER : recordPosition(to) + ENTRY;
    byte[] bytes = read(start, end);
    synchronized (this) {
      for (int i = firstRecord; i <= to + (next ? 1 : 0); i++) {
        int at = (int) (recordPosition(i) - start);
        apply(i, bytes, at);
        if (i <= to && windows[i] == null) {
          byte[] w = new byte[GzipCheckpoints.WINDOW_SIZE];
          System.arraycopy(bytes, at + HEADER, w, 0, w.length);
          windows[i] = w;
          windowsLoaded++;
        }
      }
    }
  }

  /**
   * The span holding an uncompressed offset, reading record headers as needed: first the one at
   * {@code offset / spanSize}, the latest span upstream's builder can have put there; when that
   * one starts at or before the offset, its record and the next header are read (one window, and
   * the proof that the span ends after the offset); else headers below it, by interpolation and
   * bisection in turns, until two known neighbours enclose the offset.
   *
   * @param offset an offset in the tar stream, {@code 0 <= offset < uncompressed size}
   * @return the span id
   * @throws ZtocFormatException when a record read is invalid
   * @throws IOException when a read fails
   */
  public int find(long offset) throws IOException {
    long bound = offset / spanSize;
    boolean first = true;
    boolean speculated = false;
    boolean bisect = false;
    while (true) {
      int lo;
      int hi;
      long outLo;
      long outHi;
      synchronized (this) {
        // checkpoint 0 starts at 0 (checked when its record is read); the stream ends after the last
        Map.Entry<Long, Integer> below = byOut.floorEntry(offset);
        Map.Entry<Long, Integer> above = byOut.higherEntry(offset);
        lo = below == null ? 0 : below.getValue();
        outLo = below == null ? 0 : below.getKey();
        hi = above == null ? in.length : above.getValue();
        outHi = above == null ? Math.max(uncompressedSize, outLo + 1) : above.getKey();
      }
      if (hi - lo <= 1) {
        return lo;
      }
      if (lo >= bound && !speculated && known(lo)) {
        speculated = true;
        load(lo, lo); // no later span can start here: its record, and the next header to be sure
        continue;
      }
      long guess;
      if (first) {
        guess = bound;
      } else if (bisect) {
        guess = (lo + hi) >>> 1;
      } else {
        guess = lo + (long) ((double) (offset - outLo) / Math.max(1, outHi - outLo) * (hi - lo));
      }
      first = false;
      bisect = !bisect;
      readHeader((int) Math.max(lo + 1, Math.min(hi - 1, guess)));
    }
  }

  private synchronized boolean known(int i) {
    return known[i];
  }

  private synchronized boolean headerKnown(int i) {
    return i >= in.length || known[i];
  }

  private void readHeader(int i) throws IOException {
    long start = recordPosition(i);
    byte[] bytes = read(start, start + HEADER);
    synchronized (this) {
      apply(i, bytes, 0);
    }
  }

  private long recordPosition(int i) {
    return records + (long) i * ENTRY;
  }

  private byte[] read(long start, long end) throws IOException {
    return readExactly(ztoc, start, Math.toIntExact(end - start));
  }

  /**
   * A range read of a zTOC blob that must return every byte asked for.
   *
   * @param ztoc the blob
   * @param start first byte
   * @param length bytes
   * @return the bytes
   * @throws ZtocFormatException when fewer or more bytes come back (a truncated blob or range)
   * @throws IOException when the read fails
   */
  public static byte[] readExactly(ByteSource ztoc, long start, int length) throws IOException {
    byte[] b = ztoc.read(start, length);
    if (b.length != length) {
      throw new ZtocFormatException("zTOC", start, "a range read of " + length + " bytes at " + start
          + " returned " + b.length + ": the zTOC blob or the range is truncated");
    }
    return b;
  }

  /** Validates and records checkpoint {@code i}'s header from {@code bytes[at, at + 17)}; holds the lock. */
  private void apply(int i, byte[] bytes, int at) throws ZtocFormatException {
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long inI = bb.getLong(at);
    long outI = bb.getLong(at + 8);
    byte bitsI = bytes[at + 16];
    long pos = recordPosition(i) - blobStart;
    String field = "checkpoints[" + i + "]";
    if (known[i]) {
      if (in[i] != inI || out[i] != outI || bits[i] != bitsI) {
        throw error(field, pos, "reads differently the second time (in " + inI + ", out " + outI
            + ", bits " + bitsI + "; first in " + in[i] + ", out " + out[i] + ", bits " + bits[i] + ")");
      }
      return;
    }
    if (bitsI < 0 || bitsI > 7) {
      throw error(field + ".bits", pos + 16, "bits " + bitsI + " is not in 0..7");
    }
    if (inI < (bitsI != 0 ? 1 : 0) || inI > compressedSize) {
      throw error(field + ".in", pos, "compressed offset " + inI + " is outside the layer (size "
          + compressedSize + ")");
    }
    if (outI < 0 || outI > uncompressedSize && outI > inI * GzipCheckpoints.MAX_DEFLATE_RATIO) {
      throw error(field + ".out", pos + 8, "uncompressed offset " + outI + " is past the tar stream (size "
          + uncompressedSize + ") and more than " + inI + " compressed bytes can produce");
    }
    if (i == 0 && outI != 0) {
      throw error(field + ".out", pos + 8, "span 0 starts at uncompressed offset " + outI + ", not 0");
    }
    for (int j = i - 1; j >= 0; j--) {
      if (known[j]) {
        if (in[j] >= inI || out[j] >= outI) {
          throw error(field, pos, "offsets (in " + inI + ", out " + outI + ") do not increase from checkpoint "
              + j + " (in " + in[j] + ", out " + out[j] + ")");
        }
        break;
      }
    }
    for (int j = i + 1; j < in.length; j++) {
      if (known[j]) {
        if (in[j] <= inI || out[j] <= outI) {
          throw error(field, pos, "offsets (in " + inI + ", out " + outI + ") do not increase to checkpoint "
              + j + " (in " + in[j] + ", out " + out[j] + ")");
        }
        break;
      }
    }
    in[i] = inI;
    out[i] = outI;
    bits[i] = bitsI;
    known[i] = true;
    byOut.put(outI, i);
  }

  private ZtocFormatException error(String field, long blobOffset, String problem) {
    return new ZtocFormatException("compression_info." + field, blobStart + blobOffset,
        problem + " (offset " + blobOffset + " in the checkpoint blob)");
  }

  private synchronized void checkLoaded(int span, boolean window) {
    if (!known[span] || !headerKnown(span + 1) || window && windows[span] == null) {
      throw new IllegalStateException("checkpoint " + span + " was not loaded");
    }
  }

  @Override
  public int spanCount() {
    return in.length;
  }

  @Override
  public long compressedStart(int span) {
    checkLoaded(span, false);
    return in[span] - (bits[span] != 0 ? 1 : 0);
  }

  @Override
  public long compressedEnd(int span) {
    checkLoaded(span, false);
    return span + 1 < in.length ? in[span + 1] : compressedSize;
  }

  @Override
  public long uncompressedStart(int span) {
    checkLoaded(span, false);
    return out[span];
  }

  @Override
  public long uncompressedEnd(int span) {
    checkLoaded(span, false);
    return span + 1 < out.length ? out[span + 1] : Math.max(out[span], uncompressedSize);
  }

  @Override
  public int bits(int span) {
    checkLoaded(span, false);
    return bits[span];
  }

  @Override
  public int spanOf(long uncompressedOffset) {
    throw new UnsupportedOperationException("use find(offset): it reads the records it needs");
  }

  @Override
  public void setDictionary(int span, Inflater inflater) {
    checkLoaded(span, true);
    byte[] w;
    synchronized (this) {
      w = windows[span];
    }
    inflater.setDictionary(w);
  }
}
