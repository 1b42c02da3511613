package io.soci4j.reader.testing;

import io.soci4j.api.Digest;
import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.SociImage;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * A comparable description of a file tree: for every path below the root, its type, and for
 * files size, permissions, modification time (seconds) and content digest, for directories
 * permissions, for links their target. Works on any {@link Path} (the default file system or the
 * soci one) and on a {@link SociImage} through its own API.
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /**
   * @param root a directory
   * @return path (relative, {@code /} separated, leading {@code /}) to description
   * @throws IOException on failure
   */
  public static Map<String, String> of(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(root)) {
          out.put(rel(root, dir), "dir " + perms(dir));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
          out.put(rel(root, file), "symlink -> " + Files.readSymbolicLink(file));
        } else if (attrs.isRegularFile()) {
          byte[] data = Files.readAllBytes(file);
          out.put(rel(root, file), "file " + attrs.size() + " " + perms(file) + " "
              + attrs.lastModifiedTime().toInstant().getEpochSecond() + " " + Digest.sha256(data));
        } else {
          out.put(rel(root, file), "other");
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  /**
   * @param image an opened image
   * @return the same description, through {@link SociImage#list} and {@link SociImage#readAllBytes}
   * @throws IOException on failure
   */
  public static Map<String, String> of(SociImage image) throws IOException {
    Map<String, String> out = new TreeMap<>();
    walk(image, "/", out);
    return out;
  }

  private static void walk(SociImage image, String dir, Map<String, String> out) throws IOException {
    for (ImageEntry e : image.list(dir)) {
      switch (e.type()) {
        case DIRECTORY -> {
          out.put(e.path(), "dir " + PosixFilePermissions.toString(ReferenceExtractor.permissions(e.mode())));
          walk(image, e.path(), out);
        }
        case SYMLINK -> out.put(e.path(), "symlink -> " + e.linkTarget());
        case REGULAR -> {
          byte[] data = image.readAllBytes(e.path());
          out.put(e.path(), "file " + e.size() + " " + PosixFilePermissions.toString(
              ReferenceExtractor.permissions(e.mode())) + " " + e.modTime().getEpochSecond() + " "
              + Digest.sha256(data));
        }
        default -> out.put(e.path(), "other");
      }
    }
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
  }

  private static String rel(Path root, Path p) {
    StringBuilder sb = new StringBuilder();
    for (Path c : root.relativize(p)) {
      sb.append('/').append(c);
    }
    return sb.toString();
  }
}
