package io.soci4j.reader.internal.extract;

import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.view.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a merged tree to a new directory safely: every path is built from validated single
 * components under a fresh temporary directory, files are created with {@code CREATE_NEW} (never
 * opened through an existing link), symbolic links are created as links and never followed, hard
 * links link to the first path written for their node. Directory modes and times are set last,
 * deepest first, so read-only directories do not block their own contents. The temporary
 * directory sits beside the target and is renamed into place when complete.
 */
public final class TreeExtractor {
  private static final int CHUNK = 1 << 20;

  private final Node root;
  private final List<LayerData> layers;
  private final Map<Node, Path> written = new IdentityHashMap<>();
  private final List<Map.Entry<Path, Node>> directories = new ArrayList<>();

  /**
   * @param root the merged tree's root
   * @param layers the image's layers, by index
   */
  public TreeExtractor(Node root, List<LayerData> layers) {
    this.root = root;
    this.layers = layers;
  }

  /**
   * Extracts.
   *
   * @param target the directory to create
   * @throws FileAlreadyExistsException when it exists
   * @throws IOException on failure; nothing is left behind
   */
  public void extractTo(Path target) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(abs.toString(), null, "extraction target exists");
    }
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new NoSuchFileException(String.valueOf(parent), null, "parent of the extraction target is missing");
    }
    List<String> unwritable = new ArrayList<>();
    unwritable(root, "", parent, unwritable);
    if (!unwritable.isEmpty()) {
      throw new io.soci4j.api.SociException(unwritable.size() + " entr" + (unwritable.size() == 1 ? "y has a name"
          : "ies have names") + " or link targets this system cannot create (not valid in its file name "
          + "encoding, e.g. bytes that are not UTF-8): " + String.join(", ", unwritable.subList(0,
          Math.min(5, unwritable.size()))) + (unwritable.size() > 5 ? ", ..." : "") + "; nothing was written "
          + "(write the layer tars instead: pull --tar)");
    }
    Path tmp = io.soci4j.reader.internal.io.ShutdownCleanup.register(
        Files.createTempDirectory(parent, "." + abs.getFileName() + ".soci-"));
    try {
      writeChildren(root, tmp);
      directories.add(Map.entry(tmp, root));
      for (int i = directories.size() - 1; i >= 0; i--) {
        setAttributes(directories.get(i).getKey(), directories.get(i).getValue());
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs);
      }
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    } finally {
      io.soci4j.reader.internal.io.ShutdownCleanup.done(tmp);
    }
  }

  private void writeChildren(Node dir, Path dirPath) throws IOException {
    for (Map.Entry<String, Node> c : dir.children().entrySet()) {
      Path p = child(dirPath, c.getKey());
      Node n = c.getValue();
      Path first = written.get(n);
      if (first != null) {
        Files.createLink(p, first);
        continue;
      }
      switch (n.type()) {
        case DIRECTORY -> {
          Files.createDirectory(p);
          directories.add(Map.entry(p, n));
          writeChildren(n, p);
        }
        case REGULAR -> {
          writeFile(p, n);
          setAttributes(p, n);
          written.put(n, p);
        }
        case SYMLINK -> {
          Files.createSymbolicLink(p, p.getFileSystem().getPath(n.linkTarget()));
          written.put(n, p);
        }
        default -> {
          // devices and FIFOs cannot be created from Java: skipped
        }
      }
    }
  }

  /** A child path from one validated name: never {@code .}, {@code ..}, empty or containing a separator. */
  /** Collects the paths under {@code dir} whose names or link targets cannot become a {@link Path}. */
  private static void unwritable(Node dir, String path, Path probe, List<String> out) {
    for (Map.Entry<String, Node> c : dir.children().entrySet()) {
      String p = path + "/" + c.getKey();
      try {
        probe.resolve(c.getKey());
        if (!c.getValue().linkTarget().isEmpty()) {
          probe.getFileSystem().getPath(c.getValue().linkTarget());
        }
      } catch (java.nio.file.InvalidPathException e) {
        out.add(escaped(p));
      }
      if (c.getValue().isDirectory()) {
        unwritable(c.getValue(), p, probe, out);
      }
    }
  }

  /** A path for a message: lone surrogates (bytes that are not UTF-8) as \xNN, controls escaped. */
  private static String escaped(String p) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if ((c >= 0xDC80 && c <= 0xDCFF) || c < 0x20 || c == 0x7f) {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", c >= 0xDC80 ? c - 0xDC00 : (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static Path child(Path dir, String name) throws IOException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IOException("refusing to extract the name '" + name + "' in " + dir);
    }
    Path p = dir.resolve(name);
    if (!dir.equals(p.getParent())) {
      throw new IOException("refusing to extract '" + name + "': it leaves " + dir);
    }
    return p;
  }

  private void writeFile(Path p, Node n) throws IOException {
    Node.FileData d = n.data();
    LayerData layer = layers.get(d.layer());
    byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, d.size()))];
    try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      for (long pos = 0; pos < d.size(); ) {
        int len = (int) Math.min(buf.length, d.size() - pos);
        layer.read(d.offset() + pos, buf, 0, len);
        out.write(buf, 0, len);
        pos += len;
      }
    }
  }

  private static void setAttributes(Path p, Node n) throws IOException {
    try {
      Files.setPosixFilePermissions(p, permissions(n.attributes().mode()));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: modes cannot be kept
    }
    Files.setLastModifiedTime(p, FileTime.from(n.attributes().modTime()));
  }

  /**
   * The permissions of a mode's rwx bits.
   *
   * @param mode the mode
   * @return the permissions
   */
  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (1 << bit)) != 0) {
        s.add(order[bit]);
      }
    }
    return s;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        try {
          Files.setPosixFilePermissions(d, EnumSet.allOf(PosixFilePermission.class));
        } catch (UnsupportedOperationException e) {
          // nothing to relax
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
