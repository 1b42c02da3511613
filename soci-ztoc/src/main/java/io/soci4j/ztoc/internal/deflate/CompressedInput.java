package io.soci4j.ztoc.internal.deflate;

import java.io.IOException;
import java.io.InputStream;

/**
 * A read-once buffer over a compressed stream, with absolute offsets. Bytes leave the buffer only
 * through {@link Retirer}, in order, each exactly once, and only when they lie at least {@link
 * #KEEP} bytes behind the read position, so a decoder can still step back over the bytes left in
 * its bit buffer (at most 8) and see the byte before a checkpoint.
 */
public final class CompressedInput {
  /** Bytes kept before {@link #pos} when the buffer is compacted. */
  static final int KEEP = 16;
  /** Extra bytes after the data so 8-byte loads never run off the array. */
  static final int SLACK = 8;

  /** Receives bytes about to be dropped from the buffer. */
  public interface Retirer {
    /**
     * Bytes {@code [from, to)} of {@code buf}, at absolute offset {@code absolute}, are leaving.
     *
     * @param buf buffer
     * @param from first index
     * @param to end index
     * @param absolute absolute stream offset of {@code buf[from]}
     * @throws IOException to abort
     */
    void retire(byte[] buf, int from, int to, long absolute) throws IOException;
  }

  private final InputStream stream;
  private final Retirer retirer;
  final byte[] buf;
  /** Next byte to hand out. */
  int pos;
  /** End of valid bytes. */
  int end;
  /** Absolute offset of buf[0]. */
  long base;
  /** Bytes of buf[0..retired) already given to the retirer. */
  private int retired;
  private boolean eof;
  private long bytesRead;

  /**
   * @param stream the compressed stream, read once
   * @param bufferSize buffer capacity
   * @param retirer receives every byte once, in order, before it is dropped
   */
  public CompressedInput(InputStream stream, int bufferSize, Retirer retirer) {
    this.stream = stream;
    this.retirer = retirer;
    this.buf = new byte[bufferSize + SLACK];
  }

  /** @return absolute offset of the next byte to hand out */
  public long position() {
    return base + pos;
  }

  /** @return total bytes read from the stream */
  public long bytesRead() {
    return bytesRead;
  }

  /**
   * Reads more bytes into the buffer, compacting it first.
   *
   * @return false when the stream is at its end and no byte was added
   * @throws IOException on read failure
   */
  boolean refill() throws IOException {
    if (eof) {
      return false;
    }
    int capacity = buf.length - SLACK;
    if (end == capacity) {
      int keepFrom = Math.max(0, pos - KEEP);
      if (keepFrom > retired) {
        retirer.retire(buf, retired, keepFrom, base + retired);
        retired = keepFrom;
      }
      System.arraycopy(buf, keepFrom, buf, 0, end - keepFrom);
      base += keepFrom;
      pos -= keepFrom;
      end -= keepFrom;
      retired -= keepFrom;
    }
    int n = stream.read(buf, end, capacity - end);
    while (n == 0) {
      n = stream.read(buf, end, capacity - end);
    }
    if (n < 0) {
      eof = true;
      return false;
    }
    end += n;
    bytesRead += n;
    return true;
  }

  /**
   * Makes at least {@code n} bytes available at {@link #pos} unless the stream ends first.
   *
   * @param n bytes wanted, at most the buffer size minus {@link #KEEP}
   * @return bytes available (less than n only at the end of the stream)
   * @throws IOException on read failure
   */
  int require(int n) throws IOException {
    while (end - pos < n && refill()) {
      // keep reading
    }
    return end - pos;
  }

  /** @return whether the stream has no more bytes after {@link #pos} */
  public boolean atEnd() throws IOException {
    return require(1) == 0;
  }

  /**
   * Reads one byte.
   *
   * @return the byte, or -1 at the end
   * @throws IOException on read failure
   */
  public int read() throws IOException {
    if (pos == end && require(1) == 0) {
      return -1;
    }
    return buf[pos++] & 0xFF;
  }

  /**
   * Gives every byte before {@code absoluteEnd} that was not yet retired to the retirer.
   *
   * @param absoluteEnd absolute end offset, at most {@link #position()}
   * @throws IOException from the retirer
   */
  public void retireUpTo(long absoluteEnd) throws IOException {
    int to = (int) (absoluteEnd - base);
    if (to > retired) {
      retirer.retire(buf, retired, to, base + retired);
      retired = to;
    }
  }

  /**
   * The byte at an absolute offset still in the buffer.
   *
   * @param absolute offset, at least {@link #position()} - {@link #KEEP}
   * @return the byte value
   */
  public int byteAt(long absolute) {
    return buf[(int) (absolute - base)] & 0xFF;
  }
}
