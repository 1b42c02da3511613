package io.soci4j.cli.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The reference for "what the image contains": layer tars extracted in order with commons-compress
 * into a directory, applying OCI whiteouts ({@code .wh.<name>} deletes, {@code .wh..wh..opq}
 * empties the directory of what lower layers put there). Independent of soci4j's code.
 */
public final class WhiteoutExtractor {
  private WhiteoutExtractor() {}

  /**
   * @param tars uncompressed layer tars, bottom first
   * @param root target directory
   * @throws IOException on failure
   */
  public static void extract(List<byte[]> tars, Path root) throws IOException {
    for (byte[] tar : tars) {
      try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
        for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
          String name = e.getName();
          Path target = root.resolve(name).normalize();
          String base = target.getFileName() == null ? "" : target.getFileName().toString();
          if (base.equals(".wh..wh..opq")) {
            clear(target.getParent());
            continue;
          }
          if (base.startsWith(".wh.")) {
            delete(target.getParent().resolve(base.substring(4)));
            continue;
          }
          if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !(e.isDirectory() && Files.isDirectory(target))) {
            delete(target);
          }
          Files.createDirectories(target.getParent());
          if (e.isDirectory()) {
            Files.createDirectories(target);
          } else if (e.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
          } else if (e.isLink()) {
            Files.createLink(target, root.resolve(e.getLinkName()).normalize());
          } else if (e.isFile()) {
            Files.copy(in, target);
          }
        }
      }
    }
  }

  private static void clear(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          delete(p);
        }
      }
    }
  }

  private static void delete(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }
}
