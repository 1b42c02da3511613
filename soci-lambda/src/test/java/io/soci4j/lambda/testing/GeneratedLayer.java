package io.soci4j.lambda.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A gzip tar layer of a chosen compressed size, generated as a stream (never held whole, never
 * written), the same bytes for the same seed. Big files are made of pieces of the JDK's own {@code
 * lib/modules} compressed once at level 6 and spliced into the stream (each piece starts with an
 * empty dictionary and ends with a full flush, the stream around it is fully flushed before it, so
 * the splice is valid deflate); tar headers, padding and a dozen small text files per big file are
 * deflated as the stream goes. The gzip trailer's CRC-32 and size are those of the tar, so any
 * gzip reader checks the whole stream. Compression ratio about 2.5, as real layers.
 */
public final class GeneratedLayer extends InputStream {
  private static final Pool POOL = Pool.load();
  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final Random random;
  private final long target;
  private final Deflater deflater = new Deflater(6, true);
  private final CRC32 crc = new CRC32();
  private final ByteArrayOutputStream dynamic = new ByteArrayOutputStream();
  private final byte[] buffer = new byte[64 << 10];
  private final byte[] one = new byte[1];
  private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
  private byte[] piece = GZIP_HEADER;
  private int pos;
  private long queued = GZIP_HEADER.length;
  private long uncompressed;
  private int entries;
  private boolean ended;

  /**
   * @param seed decides the files and their content
   * @param target the compressed size to reach (the layer ends with the first file past it)
   */
  public GeneratedLayer(long seed, long target) {
    this.random = new Random(seed);
    this.target = target;
    emit(header("./data/", 0, TarArchiveEntry.LF_DIR));
  }

  /** {@return the tar's size so far: all of it once the stream is read to its end} */
  public long uncompressedSize() {
    return uncompressed;
  }

  /** {@return the tar entries so far: all of them once the stream is read to its end} */
  public int entries() {
    return entries;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    while (pos == piece.length) {
      if (pieces.isEmpty() && !generate()) {
        return -1;
      }
      piece = pieces.poll();
      pos = 0;
    }
    int n = Math.min(len, piece.length - pos);
    System.arraycopy(piece, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Queues the next big file with its small ones, or the end; false when all was queued. */
  private boolean generate() {
    if (ended) {
      return false;
    }
    if (queued >= target) {
      emit(new byte[1024]); // the two zero blocks ending a tar
      finish();
      ended = true;
      return true;
    }
    int id = entries;
    int count = 1 + random.nextInt(6);
    int[] chosen = new int[count];
    long size = 0;
    for (int i = 0; i < count; i++) {
      chosen[i] = random.nextInt(POOL.raw.length);
      size += POOL.raw[chosen[i]].length;
    }
    emit(header("./data/" + id + ".bin", size, TarArchiveEntry.LF_NORMAL));
    for (int c : chosen) {
      splice(c);
    }
    pad(size);
    for (int i = random.nextInt(13); i > 0; i--) {
      byte[] text = text(100 + random.nextInt(4000));
      emit(header("./data/" + id + "-" + i + ".txt", text.length, TarArchiveEntry.LF_NORMAL));
      emit(text);
      pad(text.length);
    }
    flush(); // bounds what the deflater holds back between reads
    return true;
  }

  private byte[] header(String name, long size, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setSize(size);
    e.setMode(type == TarArchiveEntry.LF_DIR ? 040755 : 0100644);
    e.setModTime(1_700_000_000_000L);
    byte[] h = new byte[512];
    e.writeEntryHeader(h);
    entries++;
    return h;
  }

  private void pad(long size) {
    int rest = (int) (-size & 511);
    if (rest > 0) {
      emit(new byte[rest]);
    }
  }

  private byte[] text(int length) {
    String[] words = {"layer", "index", "span", "image", "registry", "seekable", "lambda", "tar", "gzip", "file"};
    StringBuilder s = new StringBuilder(length + 16);
    while (s.length() < length) {
      s.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? '\n' : ' ');
    }
    return s.substring(0, length).getBytes(StandardCharsets.US_ASCII);
  }

  /** Deflates tar bytes as the stream goes. */
  private void emit(byte[] data) {
    crc.update(data);
    uncompressed += data.length;
    deflater.setInput(data);
    while (!deflater.needsInput()) {
      int n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
      dynamic.write(buffer, 0, n);
    }
  }

  /** Ends the deflater's output on a byte boundary with its dictionary reset, and queues it. */
  private void flush() {
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
      dynamic.write(buffer, 0, n);
    } while (n == buffer.length);
    queue(dynamic.toByteArray());
    dynamic.reset();
  }

  private void splice(int chunk) {
    flush();
    crc.update(POOL.raw[chunk]);
    uncompressed += POOL.raw[chunk].length;
    queue(POOL.deflated[chunk]);
  }

  private void finish() {
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(buffer);
      dynamic.write(buffer, 0, n);
    }
    deflater.end();
    long c = crc.getValue();
    long isize = uncompressed & 0xffffffffL;
    for (long v : new long[] {c, isize}) {
      for (int i = 0; i < 4; i++) {
        dynamic.write((int) (v >>> (8 * i)));
      }
    }
    queue(dynamic.toByteArray());
    dynamic.reset();
  }

  private void queue(byte[] bytes) {
    if (bytes.length > 0) {
      pieces.add(bytes);
      queued += bytes.length;
    }
  }

  /** Pieces of {@code lib/modules}, each compressed alone at level 6, ending with a full flush. */
  private static final class Pool {
    final byte[][] raw;
    final byte[][] deflated;

    private Pool(byte[][] raw, byte[][] deflated) {
      this.raw = raw;
      this.deflated = deflated;
    }

    static Pool load() {
      Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
      Random r = new Random(42);
      int count = 40;
      byte[][] raw = new byte[count][];
      byte[][] deflated = new byte[count][];
      try (RandomAccessFile f = new RandomAccessFile(modules.toFile(), "r")) {
        long length = Files.size(modules);
        for (int i = 0; i < count; i++) {
          raw[i] = new byte[(128 << 10) + r.nextInt(3 << 20)];
          f.seek((long) (r.nextDouble() * (length - raw[i].length)));
          f.readFully(raw[i]);
          deflated[i] = deflate(raw[i]);
        }
      } catch (IOException e) {
        throw new IllegalStateException("the generated layers are made of " + modules + ", which cannot be read", e);
      }
      return new Pool(raw, deflated);
    }

    private static byte[] deflate(byte[] data) {
      Deflater d = new Deflater(6, true);
      d.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
      byte[] buf = new byte[64 << 10];
      int n;
      do {
        n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        out.write(buf, 0, n);
      } while (n == buf.length || !d.needsInput());
      d.end();
      return out.toByteArray();
    }
  }
}
