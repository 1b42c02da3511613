package io.soci4j.reader.internal.cache;

import io.soci4j.api.Digest;
import io.soci4j.reader.SpanCache;
import io.soci4j.reader.SpanKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link SpanCache#disk}: one file per span under {@code spans/<layer hex>/<span id>-<span digest
 * hex>}, written to {@code tmp/} and renamed into place. An index of the files in least recently
 * used order (initially by modification time, which hits refresh) bounds their total size. Every
 * read re-checks the span digest; a corrupt file is deleted and missed.
 */
public final class DiskSpanCache implements SpanCache {
  private final Path spans;
  private final Path tmp;
  private final long maxBytes;
  private final LinkedHashMap<Path, Long> index = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  /**
   * Opens the directory and indexes the files already there.
   *
   * @param directory cache directory, created if missing
   * @param maxBytes bound on the total size of span files
   * @throws IOException when the directory cannot be created or listed
   */
  public DiskSpanCache(Path directory, long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("disk cache size must not be negative, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.spans = directory.resolve("spans");
    this.tmp = directory.resolve("tmp");
    Files.createDirectories(spans);
    Files.createDirectories(tmp);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
      }
    }
    record Found(Path path, long size, FileTime mtime) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> layers = Files.newDirectoryStream(spans)) {
      for (Path layer : layers) {
        if (!Files.isDirectory(layer)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layer)) {
          for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (a.isRegularFile()) {
              found.add(new Found(f, a.size(), a.lastModifiedTime()));
            }
          }
        }
      }
    }
    found.sort(Comparator.comparing(Found::mtime));
    synchronized (this) {
      for (Found f : found) {
        index.put(f.path(), f.size());
        bytes += f.size();
      }
      evict();
    }
  }

  @Override
  public Optional<byte[]> get(SpanKey key) {
    Path file = pathOf(key);
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      forget(file);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!Digest.sha256(data).equals(key.spanDigest())) {
      delete(file);
      return Optional.empty();
    }
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // recency on disk is best effort
    }
    synchronized (this) {
      if (index.get(file) == null) {
        index.put(file, (long) data.length);
        bytes += data.length;
        evict();
      }
    }
    return Optional.of(data);
  }

  @Override
  public boolean contains(SpanKey key) {
    return Files.isRegularFile(pathOf(key));
  }

  @Override
  public void put(SpanKey key, byte[] compressed) {
    if (compressed.length > maxBytes) {
      return;
    }
    Path file = pathOf(key);
    synchronized (this) {
      if (index.containsKey(file)) {
        return;
      }
    }
    Path part = tmp.resolve(UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(file.getParent());
      Files.write(part, compressed, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | UncheckedIOException e) {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // nothing more to do
      }
      return;
    }
    synchronized (this) {
      Long old = index.put(file, (long) compressed.length);
      bytes += compressed.length - (old == null ? 0 : old);
      evict();
    }
  }

  /** {@return the total size of the span files indexed} */
  public synchronized long bytes() {
    return bytes;
  }

  private Path pathOf(SpanKey key) {
    return spans.resolve(key.layer().hex()).resolve(key.spanId() + "-" + key.spanDigest().hex());
  }

  private synchronized void forget(Path file) {
    Long size = index.remove(file);
    if (size != null) {
      bytes -= size;
    }
  }

  private void delete(Path file) {
    forget(file);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a file that cannot be deleted is retried at the next miss
    }
  }

  /** Deletes least recently used files while over the bound; called holding the lock. */
  private void evict() {
    Iterator<Map.Entry<Path, Long>> it = index.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<Path, Long> eldest = it.next();
      bytes -= eldest.getValue();
      it.remove();
      try {
        Files.deleteIfExists(eldest.getKey());
      } catch (IOException e) {
        // counted as gone; the next scan sees it again
      }
    }
  }

  @Override
  public String toString() {
    return "SpanCache.disk(" + spans.getParent() + ", " + maxBytes + ")";
  }
}
