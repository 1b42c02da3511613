package io.soci4j.ztoc.testing;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * zstd test layers written with zstd-jni's {@link ZstdOutputStream} (frames closed at chosen
 * uncompressed offsets), skippable frames, and an independent frame lister that parses headers the
 * way RFC 8878 §3.1 describes, so tests can check where frames and block types are.
 *
 * <pre>{@code
 * ZstdLayer z = ZstdLayers.frames(tar, 3, true, 100_000, 250_000); // three frames
 * byte[] plain = ZstdLayers.decompress(z.blob());
 * }</pre>
 */
public final class ZstdLayers {
  private ZstdLayers() {}

  /**
   * A zstd blob and where its frames are.
   *
   * @param blob the bytes
   * @param frames every frame (zstd and skippable), in order
   */
  public record ZstdLayer(byte[] blob, List<Frame> frames) {
    /** @return the zstd (non-skippable) frames */
    public List<Frame> dataFrames() {
      return frames.stream().filter(f -> !f.skippable()).toList();
    }
  }

  /**
   * One frame as found by {@link #list}.
   *
   * @param start compressed offset of its magic number
   * @param end compressed offset just after it
   * @param skippable whether it is a skippable frame
   * @param checksum whether it carries a content checksum (zstd frames)
   * @param blockTypes block types seen (0 raw, 1 RLE, 2 compressed)
   */
  public record Frame(long start, long end, boolean skippable, boolean checksum, boolean[] blockTypes) {}

  /**
   * Compresses data as consecutive frames, one per slice.
   *
   * @param data the uncompressed bytes
   * @param level zstd level
   * @param checksum whether frames carry a content checksum
   * @param cuts uncompressed offsets where a frame ends and the next starts, ascending
   * @return the blob and its frames
   */
  public static ZstdLayer frames(byte[] data, int level, boolean checksum, long... cuts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(bytes, level)) {
      z.setChecksum(checksum);
      z.setCloseFrameOnFlush(true);
      int from = 0;
      for (long cut : cuts) {
        z.write(data, from, (int) cut - from);
        z.flush();
        from = (int) cut;
      }
      z.write(data, from, data.length - from);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] blob = bytes.toByteArray();
    return new ZstdLayer(blob, list(blob));
  }

  /**
   * A skippable frame.
   *
   * @param nibble low 4 bits of its magic (0..15)
   * @param payload its user data
   * @return the frame's bytes
   */
  public static byte[] skippable(int nibble, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x184D2A50 | nibble).putInt(payload.length).put(payload);
    return b.array();
  }

  /**
   * Concatenates blobs.
   *
   * @param parts the blobs
   * @return them back to back, with their frames listed
   */
  public static ZstdLayer concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    byte[] blob = out.toByteArray();
    return new ZstdLayer(blob, list(blob));
  }

  /**
   * Decompresses a zstd blob with zstd-jni's stream (skippable frames skipped).
   *
   * @param blob the blob
   * @return the uncompressed bytes
   */
  public static byte[] decompress(byte[] blob) {
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(blob))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lists the frames of a blob by parsing headers.
   *
   * @param blob the blob
   * @return its frames
   */
  public static List<Frame> list(byte[] blob) {
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    List<Frame> frames = new ArrayList<>();
    int p = 0;
    while (p < blob.length) {
      int start = p;
      int magic = b.getInt(p);
      if ((magic & 0xFFFFFFF0) == 0x184D2A50) {
        p += 8 + b.getInt(p + 4);
        frames.add(new Frame(start, p, true, false, new boolean[3]));
        continue;
      }
      if (magic != 0xFD2FB528) {
        throw new IllegalArgumentException("no frame at " + p);
      }
      int fhd = blob[p + 4] & 0xFF;
      boolean single = (fhd & 0x20) != 0;
      int fcs = new int[] {single ? 1 : 0, 2, 4, 8}[fhd >>> 6];
      int did = new int[] {0, 1, 2, 4}[fhd & 3];
      p += 5 + (single ? 0 : 1) + did + fcs;
      boolean[] types = new boolean[3];
      boolean last;
      do {
        int h = (blob[p] & 0xFF) | (blob[p + 1] & 0xFF) << 8 | (blob[p + 2] & 0xFF) << 16;
        last = (h & 1) != 0;
        int type = (h >>> 1) & 3;
        types[type] = true;
        p += 3 + (type == 1 ? 1 : h >>> 3);
      } while (!last);
      boolean checksum = (fhd & 4) != 0;
      p += checksum ? 4 : 0;
      frames.add(new Frame(start, p, false, checksum, types));
    }
    return frames;
  }

  /**
   * Uncompressed offset where each zstd frame starts, by decompressing frame by frame.
   *
   * @param layer the layer
   * @return one offset per zstd frame
   */
  public static long[] frameOuts(ZstdLayer layer) {
    List<Frame> data = layer.dataFrames();
    long[] outs = new long[data.size()];
    long out = 0;
    for (int i = 0; i < data.size(); i++) {
      outs[i] = out;
      Frame f = data.get(i);
      out += decompress(Arrays.copyOfRange(layer.blob(), (int) f.start(), (int) f.end())).length;
    }
    return outs;
  }
}
