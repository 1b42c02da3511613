package io.soci4j.cli;

import io.soci4j.reader.SociImageOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the reader commands keep what they fetched, for the next run: the image's metadata
 * (manifests, index, zTOC parts; {@code metadata/}) and verified spans ({@code spans/}, at most
 * 1 GiB). The directory is {@code --cache-dir}, else {@code $SOCI4J_CACHE_DIR}, else {@code
 * $XDG_CACHE_HOME/soci4j}, else {@code ~/.cache/soci4j}; {@code --no-cache} or {@code
 * SOCI4J_NO_CACHE=1} turns caching off. A default directory that cannot be created is skipped with
 * a warning; one given with {@code --cache-dir} that cannot be is an error.
 */
final class CacheOptions {
  /** Bytes of spans kept on disk at most. */
  static final long SPAN_BYTES = 1L << 30;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Keep fetched metadata and spans in DIR for the "
      + "next run (default: $SOCI4J_CACHE_DIR, else $XDG_CACHE_HOME/soci4j, else ~/.cache/soci4j).")
  Path directory;

  @Option(names = "--no-cache", description = "Do not read or write the cache (also: SOCI4J_NO_CACHE=1).")
  boolean off;

  @Option(names = "--whole-ztocs", description = "Fetch each zTOC whole and check its digest before use, instead of "
      + "reading its TOC and the checkpoints reads need by range (more bytes at open; every metadata byte verified).")
  boolean wholeZtocs;

  /**
   * Applies the options.
   *
   * @param b the reader options
   * @param err for the warning about an unusable default directory
   * @return {@code b}
   * @throws IOException when the directory given with --cache-dir cannot be created
   */
  SociImageOptions.Builder apply(SociImageOptions.Builder b, PrintWriter err) throws IOException {
    b.lazyCheckpoints(!wholeZtocs);
    Path dir = directory != null ? directory : off ? null : defaultDirectory(System.getenv());
    if (dir == null || off) {
      return b;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      if (directory != null) {
        throw new IOException("cannot use the cache directory " + dir + ": " + e.getMessage()
            + "; give another with --cache-dir, or --no-cache", e);
      }
      err.println("soci: warning: not caching: cannot create " + dir + " (" + e.getMessage()
          + "); set --cache-dir or --no-cache");
      return b;
    }
    return b.metadataCache(dir.resolve("metadata")).diskCache(dir.resolve("spans"), SPAN_BYTES);
  }

  /** The default directory from the environment, or null when caching is off there. */
  static Path defaultDirectory(Map<String, String> env) {
    if ("1".equals(env.get("SOCI4J_NO_CACHE")) || "true".equalsIgnoreCase(env.get("SOCI4J_NO_CACHE"))) {
      return null;
    }
    String explicit = env.get("SOCI4J_CACHE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "soci4j");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "soci4j");
  }
}
