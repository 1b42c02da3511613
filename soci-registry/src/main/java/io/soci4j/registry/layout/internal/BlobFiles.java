package io.soci4j.registry.layout.internal;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The {@code blobs/sha256/<hex>} files of a layout: verified reads and atomic, verified writes.
 * Temporary files go to the layout root, on the same file system as the blobs.
 */
public final class BlobFiles {
  /** Largest blob {@link #fetch} reads into an array. */
  public static final long MAX_FETCH = Integer.MAX_VALUE - 8;

  private final Path root;
  private final Path sha256Dir;

  /**
   * @param root the layout directory; {@code blobs/sha256} must exist under it
   */
  public BlobFiles(Path root) {
    this.root = root;
    this.sha256Dir = root.resolve("blobs").resolve(Digest.SHA256);
  }

  /**
   * @param digest a digest
   * @return the file of that blob, whether or not it exists
   */
  public Path path(Digest digest) {
    return sha256Dir.resolve(digest.hex());
  }

  /**
   * @param digest a digest
   * @return whether the blob's file exists
   */
  public boolean exists(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  /**
   * @param digest a digest
   * @return the size of the blob's file, or -1 when it does not exist
   * @throws IOException when the size cannot be read
   */
  public long size(Digest digest) throws IOException {
    try {
      return Files.size(path(digest));
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  /**
   * Reads a blob whole and checks its size and digest.
   *
   * @param d the blob
   * @return its bytes
   * @throws ContentNotFoundException when its file does not exist
   * @throws DigestMismatchException when the bytes do not match {@code d}
   * @throws IOException on other failures
   */
  public byte[] fetch(Descriptor d) throws IOException {
    if (d.size() > MAX_FETCH) {
      throw new IOException("fetch of " + what(d) + " refused: " + d.size() + " bytes is more than an array holds;"
          + " use open()");
    }
    Path file = existing(d);
    checkSize(d, file);
    byte[] bytes = Files.readAllBytes(file);
    VerifyingInputStream.check(d, bytes.length, Digest.sha256(bytes), what(d));
    return bytes;
  }

  /**
   * Opens a blob as a stream that verifies size and digest at its end.
   *
   * @param d the blob
   * @return the stream
   * @throws ContentNotFoundException when its file does not exist
   * @throws IOException on other failures
   */
  public InputStream open(Descriptor d) throws IOException {
    Path file = existing(d);
    return new VerifyingInputStream(openFile(d, file), d, what(d));
  }

  /**
   * Opens a blob for positional reads, after checking its size.
   *
   * @param d the blob
   * @return the byte source
   * @throws ContentNotFoundException when its file does not exist
   * @throws DigestMismatchException when its size differs from {@code d}'s
   * @throws IOException on other failures
   */
  public ByteSource openRange(Descriptor d) throws IOException {
    Path file = existing(d);
    checkSize(d, file);
    try {
      return ByteSource.open(file);
    } catch (NoSuchFileException e) {
      throw new ContentNotFoundException(what(d));
    }
  }

  /**
   * Stores verified bytes as a blob, atomically. The caller has checked them.
   *
   * @param digest their digest
   * @param bytes the bytes
   * @throws IOException when writing fails; nothing is left behind
   */
  public void write(Digest digest, byte[] bytes) throws IOException {
    Path temp = AtomicFiles.writeTemp(root, bytes);
    try {
      AtomicFiles.commitContentAddressed(temp, path(digest));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Stores a stream as a blob if it matches {@code d}, atomically.
   *
   * @param d what the bytes must be
   * @param in the bytes; read to the end
   * @throws DigestMismatchException when they do not match; nothing is stored
   * @throws IOException when reading or writing fails; nothing is left behind
   */
  public void write(Descriptor d, InputStream in) throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    Path temp = AtomicFiles.copyToTemp(root, in, sha256);
    try {
      VerifyingInputStream.check(d, Files.size(temp), Digest.of(sha256), "content pushed as " + d.digest());
      AtomicFiles.commitContentAddressed(temp, path(d.digest()));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * @param d a blob
   * @return how error messages name it
   */
  public String what(Descriptor d) {
    return "blob " + d.digest() + " in OCI layout " + root;
  }

  private Path existing(Descriptor d) throws ContentNotFoundException {
    Path file = path(d.digest());
    if (!Files.isRegularFile(file)) {
      throw new ContentNotFoundException(what(d));
    }
    return file;
  }

  private InputStream openFile(Descriptor d, Path file) throws IOException {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new ContentNotFoundException(what(d));
    }
  }

  /** A size mismatch is found without reading the blob; the actual digest is then computed. */
  private void checkSize(Descriptor d, Path file) throws IOException {
    long size = Files.size(file);
    if (size != d.size()) {
      try (InputStream in = Files.newInputStream(file)) {
        VerifyingInputStream.check(d, size, Digest.sha256(in), what(d));
      }
    }
  }
}
