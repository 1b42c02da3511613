package io.soci4j.reader.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The reference the reader is compared with: "tar -x" of each layer, bottom first, into one
 * directory, with commons-compress, applying each layer's whiteouts ({@code .wh.NAME}, {@code
 * .wh..wh..opq}) to what the layers below left before extracting the layer. Entries with {@code ..}
 * or absolute names are skipped.
 */
public final class ReferenceExtractor {
  private ReferenceExtractor() {}

  /**
   * Extracts.
   *
   * @param tars the uncompressed layer tars, bottom first
   * @param root an existing empty directory
   * @throws IOException on failure
   */
  public static void extract(List<byte[]> tars, Path root) throws IOException {
    Map<Path, TarArchiveEntry> dirs = new LinkedHashMap<>();
    Map<Path, TarArchiveEntry> files = new LinkedHashMap<>();
    for (byte[] tar : tars) {
      List<TarArchiveEntry> entries = new ArrayList<>();
      List<byte[]> data = new ArrayList<>();
      try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
        for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
          entries.add(e);
          data.add(e.isFile() ? ((InputStream) in).readAllBytes() : null);
        }
      }
      for (TarArchiveEntry e : entries) {
        String n = clean(e.getName());
        if (n == null) {
          continue;
        }
        Path p = root.resolve(n);
        String base = p.getFileName().toString();
        if (base.equals(".wh..wh..opq")) {
          if (Files.isDirectory(p.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p.getParent())) {
              for (Path c : children.toList()) {
                delete(c);
              }
            }
          }
        } else if (base.startsWith(".wh.")) {
          delete(p.getParent().resolve(base.substring(4)));
        }
      }
      for (int i = 0; i < entries.size(); i++) {
        TarArchiveEntry e = entries.get(i);
        String n = clean(e.getName());
        if (n == null || (!n.isEmpty() && Path.of(n).getFileName().toString().startsWith(".wh."))) {
          continue;
        }
        Path p = n.isEmpty() ? root : root.resolve(n);
        if (e.isDirectory()) {
          if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            delete(p);
            Files.createDirectories(p);
          }
          dirs.put(p, e);
          continue;
        }
        delete(p);
        Files.createDirectories(p.getParent());
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(p, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          String target = clean(e.getLinkName());
          if (target == null || !Files.exists(root.resolve(target), LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          Files.createLink(p, root.resolve(target));
        } else if (e.isFile()) {
          Files.write(p, data.get(i));
          files.put(p, e);
        }
      }
    }
    for (Map.Entry<Path, TarArchiveEntry> f : files.entrySet()) {
      if (Files.isRegularFile(f.getKey(), LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(f.getKey(), permissions(f.getValue().getMode()));
        Files.setLastModifiedTime(f.getKey(), FileTime.from(f.getValue().getModTime().toInstant()));
      }
    }
    List<Map.Entry<Path, TarArchiveEntry>> dirList = new ArrayList<>(dirs.entrySet());
    for (int i = dirList.size() - 1; i >= 0; i--) {
      Path d = dirList.get(i).getKey();
      if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(d, permissions(dirList.get(i).getValue().getMode()));
      }
    }
  }

  /** The name without {@code ./} or {@code /} prefixes and trailing {@code /}; null when it has {@code ..}. */
  private static String clean(String name) {
    if (name.startsWith("/") && !name.equals("/")) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.equals("..")) {
        return null;
      }
      if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    return String.join("/", parts);
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** @param mode a mode @return the permissions of its rwx bits */
  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] v = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        s.add(v[i]);
      }
    }
    return s;
  }

  /**
   * Deletes every symbolic link under a directory, so that JUnit's clean-up of a temporary
   * directory holding extracted links that point out of it (on purpose: the test images have
   * them) has nothing to warn about.
   *
   * @param root the directory
   * @throws java.io.IOException on failure
   */
  public static void removeSymlinks(java.nio.file.Path root) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) all::iterator) {
        if (java.nio.file.Files.isSymbolicLink(p)) {
          java.nio.file.Files.delete(p);
        }
      }
    }
  }
}
