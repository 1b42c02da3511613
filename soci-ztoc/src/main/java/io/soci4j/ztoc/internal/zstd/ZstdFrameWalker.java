package io.soci4j.ztoc.internal.zstd;

import io.soci4j.api.LayerFormatException;
import java.io.IOException;

/**
 * Finds zstd frame boundaries in a stream pushed in chunks of any size, by reading frame headers,
 * block headers and skippable frame sizes (RFC 8878 §3.1); block contents are not interpreted.
 * Every byte is handed to the {@link Listener} once, in order; a frame's first byte is handed over
 * only after {@link Listener#frameStart}, so the bytes before it have all been seen by then.
 *
 * <p>Checks what the headers alone show: known magic numbers, the reserved bit of the frame header
 * descriptor, the reserved block type, block sizes within 128 KiB; {@link #finish} refuses a stream
 * that ends inside a frame. Everything else (the block contents, the content checksum) is for the
 * decoder the listener feeds.
 */
public final class ZstdFrameWalker {
  /** Magic number of a zstd frame, as a little-endian int (bytes 28 B5 2F FD). */
  public static final int FRAME_MAGIC = 0xFD2FB528;
  /** Magic numbers of skippable frames: 0x184D2A50 to 0x184D2A5F (bytes 5? 2A 4D 18). */
  public static final int SKIPPABLE_MAGIC = 0x184D2A50;
  /** Mask selecting the fixed part of a skippable magic. */
  public static final int SKIPPABLE_MASK = 0xFFFFFFF0;
  /** Largest block size (Block_Maximum_Size is at most 128 KiB). */
  static final int MAX_BLOCK = 128 << 10;

  /** Receives the walked stream. */
  public interface Listener {
    /**
     * A frame starts; its bytes follow through {@link #bytes}.
     *
     * @param offset absolute offset of its magic number
     * @param skippable whether it is a skippable frame
     * @throws IOException to abort
     */
    void frameStart(long offset, boolean skippable) throws IOException;

    /**
     * Bytes of the stream, in order, each once.
     *
     * @param buf buffer (valid during the call only)
     * @param off first byte
     * @param len number of bytes
     * @throws IOException to abort
     */
    void bytes(byte[] buf, int off, int len) throws IOException;

    /**
     * The frame that started last has ended: all its bytes went through {@link #bytes}.
     *
     * @param end absolute offset just after it
     * @throws IOException to abort
     */
    void frameEnd(long end) throws IOException;
  }

  private enum State { MAGIC, DESCRIPTOR, HEADER, BLOCK_HEADER, BLOCK_BODY, CHECKSUM, SKIP_SIZE, SKIP_BODY }

  private final Listener listener;
  private final String where;
  /**
   * The header field being collected: at most 13 bytes (the frame header after its descriptor:
   * window descriptor 1, dictionary id up to 4, frame content size up to 8).
   */
  private final byte[] field = new byte[13];
  private State state = State.MAGIC;
  private int fieldLen;
  private int fieldNeed = 4;
  private long position;
  private long frameStart;
  private long remaining;
  private boolean checksum;
  private boolean lastBlock;
  private boolean skippable;
  private boolean stopped;
  private int dataFrames;
  private int skippableFrames;

  /**
   * @param listener receives frames and bytes
   * @param start absolute offset of the first byte pushed (for offsets in events and errors)
   * @param where what is walked, for error messages (e.g. "span 3"), or empty
   */
  public ZstdFrameWalker(Listener listener, long start, String where) {
    this.listener = listener;
    this.position = start;
    this.where = where.isEmpty() ? "" : " of " + where;
  }

  /** Makes {@link #accept} return at the next step: the listener has what it wants. */
  public void stop() {
    stopped = true;
  }

  /** @return absolute offset of the next byte to push */
  public long position() {
    return position;
  }

  /** @return zstd (non-skippable) frames that ended so far */
  public int dataFrames() {
    return dataFrames;
  }

  /** @return skippable frames that ended so far */
  public int skippableFrames() {
    return skippableFrames;
  }

  /**
   * Walks more of the stream.
   *
   * @param buf buffer
   * @param off first byte
   * @param len number of bytes
   * @throws LayerFormatException when a header is invalid
   * @throws IOException from the listener
   */
  public void accept(byte[] buf, int off, int len) throws IOException {
    int p = off;
    int end = off + len;
    while (p < end && !stopped) {
      if (state == State.BLOCK_BODY || state == State.SKIP_BODY) {
        int n = (int) Math.min(remaining, end - p);
        emit(buf, p, n);
        p += n;
        remaining -= n;
        if (remaining == 0) {
          afterBody();
        }
        continue;
      }
      // header fields are emitted once complete and checked, so the listener never sees a bad one
      int n = Math.min(fieldNeed - fieldLen, end - p);
      System.arraycopy(buf, p, field, fieldLen, n);
      position += n;
      fieldLen += n;
      p += n;
      if (fieldLen == fieldNeed) {
        fieldComplete();
      }
    }
  }

  /**
   * Checks that the stream ended between frames.
   *
   * @throws LayerFormatException when it ends inside a frame
   */
  public void finish() throws LayerFormatException {
    if (state == State.MAGIC && fieldLen == 0) {
      return;
    }
    if (state == State.MAGIC) {
      throw new LayerFormatException("the zstd stream" + where + " ends with " + fieldLen
          + " stray bytes, not a frame", position - fieldLen, -1, null);
    }
    throw new LayerFormatException("the zstd stream" + where + " ends inside the "
        + (skippable ? "skippable " : "") + "frame starting at compressed offset " + frameStart + " (truncated)",
        position, -1, null);
  }

  /** Hands over body bytes straight from the caller's buffer. */
  private void emit(byte[] buf, int off, int len) throws IOException {
    if (len > 0) {
      listener.bytes(buf, off, len);
      position += len;
    }
  }

  private void fieldComplete() throws IOException {
    if (state == State.MAGIC) {
      magic();
      return;
    }
    if (state == State.DESCRIPTOR || state == State.BLOCK_HEADER) {
      check();
    }
    listener.bytes(field, 0, fieldLen);
    switch (state) {
      case DESCRIPTOR -> descriptor();
      case HEADER -> expect(State.BLOCK_HEADER, 3);
      case BLOCK_HEADER -> blockHeader();
      case CHECKSUM -> frameEnd();
      case SKIP_SIZE -> {
        remaining = le(0, 4);
        state = State.SKIP_BODY;
        if (remaining == 0) {
          afterBody();
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void check() throws LayerFormatException {
    if (state == State.DESCRIPTOR && (field[0] & 0x08) != 0) {
      throw new LayerFormatException("zstd frame" + where + " has the reserved bit of its header descriptor set",
          frameStart + 4, -1, null);
    }
    if (state == State.BLOCK_HEADER) {
      int header = (int) le(0, 3);
      long at = position - 3;
      if (((header >>> 1) & 3) == 3) {
        throw new LayerFormatException("zstd block" + where + " has the reserved block type 3 (frame at "
            + frameStart + ")", at, -1, null);
      }
      if (header >>> 3 > MAX_BLOCK) {
        throw new LayerFormatException("zstd block" + where + " of " + (header >>> 3)
            + " bytes is larger than 128 KiB (frame at " + frameStart + ")", at, -1, null);
      }
    }
  }

  private void magic() throws IOException {
    int magic = (int) le(0, 4);
    frameStart = position - 4;
    if (magic == FRAME_MAGIC) {
      skippable = false;
      listener.frameStart(frameStart, false);
      listener.bytes(field, 0, 4);
      expect(State.DESCRIPTOR, 1);
    } else if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
      skippable = true;
      listener.frameStart(frameStart, true);
      listener.bytes(field, 0, 4);
      expect(State.SKIP_SIZE, 4);
    } else {
      throw new LayerFormatException(String.format("not a zstd frame%s: magic %02x %02x %02x %02x", where,
          field[0] & 0xFF, field[1] & 0xFF, field[2] & 0xFF, field[3] & 0xFF), frameStart, -1, null);
    }
  }

  private void descriptor() {
    int fhd = field[0] & 0xFF;
    boolean singleSegment = (fhd & 0x20) != 0;
    int fcsFlag = fhd >>> 6;
    int fcsSize = fcsFlag == 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
    int didSize = (fhd & 3) == 3 ? 4 : fhd & 3;
    checksum = (fhd & 0x04) != 0;
    int rest = (singleSegment ? 0 : 1) + didSize + fcsSize;
    if (rest == 0) {
      expect(State.BLOCK_HEADER, 3);
    } else {
      expect(State.HEADER, rest);
    }
  }

  private void blockHeader() throws IOException {
    int header = (int) le(0, 3);
    lastBlock = (header & 1) != 0;
    int type = (header >>> 1) & 3;
    int size = header >>> 3;
    remaining = type == 1 ? 1 : size;
    state = State.BLOCK_BODY;
    if (remaining == 0) {
      afterBody();
    }
  }

  private void afterBody() throws IOException {
    if (state == State.SKIP_BODY) {
      skippableFrames++;
      endFrame();
    } else if (!lastBlock) {
      expect(State.BLOCK_HEADER, 3);
    } else if (checksum) {
      expect(State.CHECKSUM, 4);
    } else {
      frameEnd();
    }
  }

  private void frameEnd() throws IOException {
    dataFrames++;
    endFrame();
  }

  private void endFrame() throws IOException {
    expect(State.MAGIC, 4);
    listener.frameEnd(position);
  }

  private void expect(State next, int bytes) {
    state = next;
    fieldLen = 0;
    fieldNeed = bytes;
  }

  private long le(int from, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (field[from + i] & 0xFF);
    }
    return v;
  }
}
