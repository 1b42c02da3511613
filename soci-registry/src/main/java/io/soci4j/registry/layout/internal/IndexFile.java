package io.soci4j.registry.layout.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A layout's {@code index.json}: lock-free reads (writes replace the file atomically) and
 * read-modify-write under the {@link LayoutLock}.
 */
public final class IndexFile {
  private final Path root;
  private final Path file;
  private final LayoutLock lock;

  /**
   * @param root the layout directory, real path
   */
  public IndexFile(Path root) {
    this.root = root;
    this.file = root.resolve("index.json");
    this.lock = new LayoutLock(root);
  }

  /** An edit of the index. */
  @FunctionalInterface
  public interface Edit {
    /**
     * @param index the current index, to change in place
     * @return whether it changed (only then is it written)
     * @throws IOException on failure
     */
    boolean apply(IndexDocument index) throws IOException;
  }

  /**
   * Reads the current index; a missing file reads as an empty index.
   *
   * @return the index
   * @throws IOException when it cannot be read or parsed
   */
  public IndexDocument read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return IndexDocument.empty();
    }
    return IndexDocument.parse(bytes, where());
  }

  /**
   * Reads, edits and (when changed) atomically rewrites the index, holding the layout lock.
   *
   * @param edit the change
   * @throws IOException when reading, editing or writing fails; the file is then unchanged
   */
  public void update(Edit edit) throws IOException {
    lock.with(() -> {
      IndexDocument index = read();
      if (edit.apply(index)) {
        AtomicFiles.replace(root, file, index.toBytes());
      }
      return null;
    });
  }

  /** {@return how error messages name the file} */
  public String where() {
    return file.toString();
  }

  /** {@return the layout lock, for other edits of the layout (creating it)} */
  public LayoutLock lock() {
    return lock;
  }
}
