package io.soci4j.reader.internal.cache;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.internal.ShutdownCleanup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The persistent metadata cache ({@link io.soci4j.reader.SociImageOptions.Builder#metadataCache}):
 * content fetched whole under {@code blobs/<algorithm>/<hex>}, checked against its digest and size
 * when read back; ranges read of a blob (the parts of a zTOC read by range) under {@code
 * ranges/<algorithm>/<hex>/<offset>-<length>}, each followed by the hex SHA-256 of its bytes, checked
 * when read back. Files are written to {@code tmp/} and renamed into place, so a reader never sees
 * a half-written one; a file that fails its check is deleted and treated as missing. Thread-safe;
 * processes may share the directory.
 */
public final class MetadataCache {
  /** A range file ends with the hex SHA-256 of its bytes. */
  private static final int HASH = 64;
  private final Path blobs;
  private final Path ranges;
  private final Path tmp;

  private MetadataCache(Path directory) {
    this.blobs = directory.resolve("blobs");
    this.ranges = directory.resolve("ranges");
    this.tmp = directory.resolve("tmp");
  }

  /**
   * @param directory the cache directory, created if missing
   * @return the cache
   * @throws IOException when the directory cannot be created
   */
  public static MetadataCache open(Path directory) throws IOException {
    MetadataCache c = new MetadataCache(directory);
    Files.createDirectories(c.blobs);
    Files.createDirectories(c.ranges);
    Files.createDirectories(c.tmp);
    return c;
  }

  /**
   * @param d what to look for
   * @return its bytes when cached and they match the descriptor
   * @throws IOException when the file cannot be read
   */
  public Optional<byte[]> blob(Descriptor d) throws IOException {
    Path p = blobPath(d.digest());
    byte[] b;
    try {
      if (Files.size(p) != d.size()) {
        Files.deleteIfExists(p);
        return Optional.empty();
      }
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (b.length != d.size() || !Digest.sha256(b).equals(d.digest())) {
      Files.deleteIfExists(p);
      return Optional.empty();
    }
    return Optional.of(b);
  }

  /**
   * Keeps content that was verified against its descriptor.
   *
   * @param d its descriptor
   * @param content its bytes
   * @throws IOException when it cannot be written
   */
  public void putBlob(Descriptor d, byte[] content) throws IOException {
    write(blobPath(d.digest()), ByteBuffer.wrap(content));
  }

  /**
   * Copies a blob's stream into the cache as it is read, keeping the copy only when the stream is
   * read to its end (the store's stream verifies the digest there); a stream closed early or
   * failing leaves nothing.
   *
   * @param d the blob
   * @param in the store's stream of it
   * @return the stream to read instead of {@code in}
   */
  public java.io.InputStream tee(Descriptor d, java.io.InputStream in) {
    Path t = tmp.resolve(UUID.randomUUID() + ".part");
    ShutdownCleanup.register(t);
    java.io.OutputStream copy;
    try {
      copy = Files.newOutputStream(t, java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      ShutdownCleanup.done(t);
      return in; // nothing cached this time
    }
    Path target = blobPath(d.digest());
    return new java.io.FilterInputStream(in) {
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len); // throws at the end on a digest mismatch
        if (n > 0) {
          copy.write(b, off, n);
        } else if (n < 0 && !ended) {
          ended = true;
          copy.close();
          Files.createDirectories(target.getParent());
          move(t, target);
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          copy.close();
          Files.deleteIfExists(t);
          ShutdownCleanup.done(t);
        }
      }
    };
  }

  /**
   * Range reads of a blob served from the cache where it holds them, else from {@code source}
   * (and kept). Closing the result closes {@code source}.
   *
   * @param blob the blob's digest
   * @param source range reads of the blob
   * @return the caching source
   * @throws IOException when the cache directory of the blob cannot be listed
   */
  public ByteSource ranges(Digest blob, ByteSource source) throws IOException {
    Path dir = ranges.resolve(blob.algorithm()).resolve(blob.hex());
    Files.createDirectories(dir);
    TreeMap<Long, Long> held = new TreeMap<>(); // offset -> length of the files there
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        long[] r = parseRange(f.getFileName().toString());
        if (r != null) {
          held.merge(r[0], r[1], Math::max);
        }
      }
    }
    return new CachedRanges(dir, held, source);
  }

  private static long[] parseRange(String name) {
    int dash = name.indexOf('-');
    try {
      return dash < 0 ? null : new long[] {Long.parseLong(name.substring(0, dash)), Long.parseLong(name.substring(dash + 1))};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Range reads through the cache. */
  private final class CachedRanges implements ByteSource {
    private final Path dir;
    private final TreeMap<Long, Long> held;
    private final ByteSource source;

    CachedRanges(Path dir, TreeMap<Long, Long> held, ByteSource source) {
      this.dir = dir;
      this.held = held;
      this.source = source;
    }

    @Override
    public long size() throws IOException {
      return source.size();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
      int length = dst.remaining();
      byte[] hit = lookup(offset, length);
      if (hit != null) {
        dst.put(hit);
        return;
      }
      byte[] b = source.read(offset, length);
      ByteBuffer file = ByteBuffer.allocate(b.length + HASH).put(b)
          .put(Digest.sha256(b).hex().getBytes(StandardCharsets.US_ASCII)).flip();
      write(dir.resolve(offset + "-" + b.length), file);
      synchronized (held) {
        held.merge(offset, (long) b.length, Math::max);
      }
      dst.put(b);
    }

    /** The bytes from a held range that contains {@code [offset, offset + length)}, checked. */
    private byte[] lookup(long offset, int length) throws IOException {
      Map.Entry<Long, Long> e;
      synchronized (held) {
        e = held.floorEntry(offset);
        // the range starting at or before offset that reaches furthest is not always the floor
        // entry: look back a few, ranges are few and mostly disjoint
        Map.Entry<Long, Long> best = null;
        for (Map.Entry<Long, Long> c = e; c != null && best == null; c = held.lowerEntry(c.getKey())) {
          if (c.getKey() + c.getValue() >= offset + length) {
            best = c;
          }
          if (offset - c.getKey() > (64L << 20)) {
            break;
          }
        }
        e = best;
      }
      if (e == null) {
        return null;
      }
      Path f = dir.resolve(e.getKey() + "-" + e.getValue());
      byte[] all;
      try {
        all = Files.readAllBytes(f);
      } catch (NoSuchFileException gone) {
        drop(e.getKey(), e.getValue(), f);
        return null;
      }
      int n = all.length - HASH;
      if (n != e.getValue() || !Digest.sha256(all, 0, n).hex().equals(new String(all, n, HASH, StandardCharsets.US_ASCII))) {
        drop(e.getKey(), e.getValue(), f);
        return null;
      }
      int from = (int) (offset - e.getKey());
      return Arrays.copyOfRange(all, from, from + length);
    }

    private void drop(long offset, long length, Path f) throws IOException {
      Files.deleteIfExists(f);
      synchronized (held) {
        held.remove(offset, length);
      }
    }

    @Override
    public void close() throws IOException {
      source.close();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path blobPath(Digest d) {
    return blobs.resolve(d.algorithm()).resolve(d.hex());
  }

  /** Writes a file whole: to tmp/, then renamed into place (replacing what is there). */
  private void write(Path target, ByteBuffer content) throws IOException {
    Files.createDirectories(target.getParent());
    Path t = tmp.resolve(UUID.randomUUID() + ".part");
    ShutdownCleanup.register(t);
    try {
      try (var ch = Files.newByteChannel(t, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE)) {
        while (content.hasRemaining()) {
          ch.write(content);
        }
      }
      move(t, target);
    } finally {
      Files.deleteIfExists(t);
      ShutdownCleanup.done(t);
    }
  }
}
