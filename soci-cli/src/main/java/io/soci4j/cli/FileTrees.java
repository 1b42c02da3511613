package io.soci4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the CLI's staging directories (links are removed, never followed). */
final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes a file or a directory and everything below it; nothing when it does not exist.
   *
   * @param root the file or directory
   * @throws IOException when something cannot be deleted
   */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@link #delete} for clean-up paths (shutdown hooks, finally blocks): failures are ignored. */
  static void deleteQuietly(Path root) {
    try {
      delete(root);
    } catch (IOException | RuntimeException e) {
      // best effort: nothing better can be done with a temporary directory that will not go
    }
  }
}
