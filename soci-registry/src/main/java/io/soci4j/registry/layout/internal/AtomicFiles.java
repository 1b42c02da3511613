package io.soci4j.registry.layout.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;

/**
 * Writes files so that readers see either the old file or the whole new one: the bytes go to a
 * temporary file {@code .soci4j-*.tmp} in a given directory (on the same file system as the
 * target), are forced to disk, and the file is renamed over the target in one step.
 */
public final class AtomicFiles {
  /** Prefix of temporary files; a crash can leave them behind, and they are safe to delete. */
  public static final String TEMP_PREFIX = ".soci4j-";
  /** Suffix of temporary files. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code bytes} atomically.
   *
   * @param tempDir where the temporary file goes (same file system as the target)
   * @param target the file to write
   * @param bytes its new content
   * @throws IOException when writing or renaming fails; the target is then unchanged
   */
  public static void replace(Path tempDir, Path target, byte[] bytes) throws IOException {
    Path temp = writeTemp(tempDir, bytes);
    try {
      commit(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes bytes to a new temporary file and forces them to disk.
   *
   * @param tempDir where the temporary file goes
   * @param bytes the content
   * @return the temporary file; the caller renames or deletes it
   * @throws IOException when writing fails; the temporary file is then deleted
   */
  public static Path writeTemp(Path tempDir, byte[] bytes) throws IOException {
    return writeTemp(tempDir, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
  }

  /**
   * Copies a stream to a new temporary file, hashing it on the way.
   *
   * @param tempDir where the temporary file goes
   * @param in the bytes; read to the end, not closed
   * @param sha256 receives every byte
   * @return the temporary file (forced to disk); the caller renames it with {@link #commit} or
   *     deletes it
   * @throws IOException when reading or writing fails; the temporary file is then deleted
   */
  public static Path copyToTemp(Path tempDir, InputStream in, MessageDigest sha256) throws IOException {
    return writeTemp(tempDir, ch -> {
      byte[] chunk = new byte[64 * 1024];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        sha256.update(chunk, 0, n);
        writeFully(ch, ByteBuffer.wrap(chunk, 0, n));
      }
    });
  }

  /** What is written to a temporary file. */
  private interface Content {
    void writeTo(FileChannel ch) throws IOException;
  }

  /** A new temporary file with the content, forced to disk; deleted when anything fails. */
  private static Path writeTemp(Path tempDir, Content content) throws IOException {
    Path temp = newTemp(tempDir);
    boolean ok = false;
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      content.writeTo(ch);
      ch.force(true);
      ok = true;
      return temp;
    } finally {
      if (!ok) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /**
   * Renames a finished temporary file over the target in one step, replacing it.
   *
   * @param temp the finished temporary file
   * @param target the final name
   * @throws IOException when the rename fails
   */
  public static void commit(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " to " + target + " atomically: " + e.getMessage(), e);
    }
  }

  /**
   * Like {@link #commit}, for a content-addressed target: when the file system refuses to
   * replace an existing target, the existing file (same name, so same bytes) is kept and the
   * temporary file deleted. Concurrent writers of the same blob therefore all succeed.
   *
   * @param temp the finished temporary file
   * @param target the blob's final name
   * @throws IOException when the rename fails for another reason
   */
  public static void commitContentAddressed(Path temp, Path target) throws IOException {
    try {
      commit(temp, target);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(temp);
    }
  }

  /** Temporary files are made 0600 by the JDK; blobs and index.json are world-readable (0644). */
  private static Path newTemp(Path dir) throws IOException {
    Path temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
    if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
    }
    return temp;
  }
}
