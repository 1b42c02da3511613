package io.soci4j.api.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary files and directories soci4j is writing (an extraction's staging directory, a whole
 * layer spilled to disk, a layer being recompressed, a blob kept whole because its registry
 * ignores Range, a file about to be renamed into place), removed if the JVM shuts down before
 * they are finished: on
 * SIGINT, SIGTERM or {@code System.exit}, nothing is left behind. One shutdown hook for all.
 */
public final class ShutdownCleanup {
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(ShutdownCleanup::deleteQuietly),
        "soci4j-temp-cleanup"));
  }

  private ShutdownCleanup() {}

  /**
   * @param path a temporary file or directory to remove at shutdown unless {@link #done} first
   * @return the path
   */
  public static Path register(Path path) {
    PENDING.add(path.toAbsolutePath());
    return path;
  }

  /** @param path a registered path that was moved into place or deleted */
  public static void done(Path path) {
    PENDING.remove(path.toAbsolutePath());
  }

  private static void deleteQuietly(Path p) {
    try (Stream<Path> all = Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Files.walk(p) : Stream.empty()) {
      all.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // shutting down: nothing better to do than leave it
    }
  }
}
