package io.soci4j.reader.internal.extract;

import io.soci4j.api.internal.ShutdownCleanup;
import io.soci4j.reader.ExtractOptions;
import io.soci4j.reader.ExtractReport;
import io.soci4j.reader.RejectedEntry;
import io.soci4j.reader.UnsafeEntryException;
import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.view.MergedTree;
import io.soci4j.reader.internal.view.Node;
import io.soci4j.ztoc.EntryType;
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
import java.util.concurrent.Executor;

/**
 * Writes a merged tree to a new directory safely: entries that cannot be written safely are all
 * found first ({@link WritableCheck}) and fail the extraction or are skipped; every path is built
 * from validated single components under a fresh temporary directory, files are created with
 * {@code CREATE_NEW} (never opened through an existing link), symbolic links are created as links and never followed, hard
 * links link to the first path written for their node. Directory modes and times are set last,
 * deepest first, so read-only directories do not block their own contents. The temporary
 * directory sits beside the target and is renamed into place when complete. The spans of the
 * files about to be written are fetched ahead of them ({@link ReadAhead}).
 */
public final class TreeExtractor {
  private static final int CHUNK = 1 << 20;

  private final MergedTree tree;
  private final List<LayerData> layers;
  private final ExtractOptions options;
  private final Executor fetchPool;
  private final int parallelRequests;
  private final Map<Node, Path> written = new IdentityHashMap<>();
  private final List<Map.Entry<Path, Node>> directories = new ArrayList<>();
  private WritableCheck check;
  private ReadAhead ahead;
  private int filesStarted;
  private long files;
  private long symlinks;
  private long hardLinks;
  private long specialFiles;

  /**
   * @param tree the merged tree
   * @param layers the image's layers, by index
   * @param options what to do with entries that cannot be written safely
   * @param fetchPool where the spans of files about to be written are fetched ahead
   * @param parallelRequests read-ahead requests at once at most
   */
  public TreeExtractor(MergedTree tree, List<LayerData> layers, ExtractOptions options, Executor fetchPool,
      int parallelRequests) {
    this.tree = tree;
    this.layers = layers;
    this.options = options;
    this.fetchPool = fetchPool;
    this.parallelRequests = parallelRequests;
  }

  /**
   * Extracts. Every entry that cannot be written safely (rejected by the merged view, or one this
   * system cannot create) is found first: they fail the extraction together, before anything is
   * written, or are left out when the options say so.
   *
   * @param target the directory to create
   * @return what was written and what was left out
   * @throws FileAlreadyExistsException when it exists
   * @throws UnsafeEntryException listing every unsafe entry, unless they are skipped
   * @throws IOException on failure; nothing is left behind
   */
  public ExtractReport extractTo(Path target) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(abs.toString(), null, "extraction target exists");
    }
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new NoSuchFileException(String.valueOf(parent), null, "parent of the extraction target is missing");
    }
    Path tmp = ShutdownCleanup.register(Files.createTempDirectory(parent, "." + abs.getFileName() + ".soci-"));
    try {
      check = new WritableCheck(tmp, i -> layers.get(i).descriptor().digest()).run(tree.root());
      List<RejectedEntry> unsafe = new ArrayList<>(tree.rejected());
      unsafe.addAll(check.problems());
      if (!unsafe.isEmpty() && !options.skipUnsafeEntries()) {
        throw new UnsafeEntryException(unsafe);
      }
      ReadAhead.Plan plan = new ReadAhead.Plan();
      planChildren(tree.root(), plan, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
      try (ReadAhead r = plan.start(fetchPool, parallelRequests)) {
        ahead = r;
        writeChildren(tree.root(), tmp);
      }
      directories.add(Map.entry(tmp, tree.root()));
      for (int i = directories.size() - 1; i >= 0; i--) {
        setAttributes(directories.get(i).getKey(), directories.get(i).getValue());
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs);
      }
      return new ExtractReport(files, directories.size(), symlinks, hardLinks, specialFiles, unsafe);
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    } finally {
      ShutdownCleanup.done(tmp);
    }
  }

  /** Lists the files {@link #writeChildren} writes, in the order it writes them. */
  private void planChildren(Node dir, ReadAhead.Plan plan, Set<Node> seen) throws IOException {
    for (Map.Entry<String, Node> c : dir.children().entrySet()) {
      Node n = c.getValue();
      if (check.skips(dir, c.getKey()) || !seen.add(n)) {
        continue;
      }
      if (n.type() == EntryType.DIRECTORY) {
        planChildren(n, plan, seen);
      } else if (n.type() == EntryType.REGULAR) {
        plan.file(layers.get(n.data().layer()), n.data().offset(), n.data().size());
      }
    }
  }

  private void writeChildren(Node dir, Path dirPath) throws IOException {
    for (Map.Entry<String, Node> c : dir.children().entrySet()) {
      if (check.skips(dir, c.getKey())) {
        continue;
      }
      Path p = child(dirPath, c.getKey());
      Node n = c.getValue();
      Path first = written.get(n);
      if (first != null) {
        Files.createLink(p, first);
        hardLinks++;
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
          files++;
        }
        case SYMLINK -> {
          Files.createSymbolicLink(p, p.getFileSystem().getPath(n.linkTarget()));
          written.put(n, p);
          symlinks++;
        }
        default -> specialFiles++; // devices and FIFOs cannot be created from Java
      }
    }
  }

  /** A child path from one validated name: never {@code .}, {@code ..}, empty or containing a separator. */
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
    ahead.reached(filesStarted++);
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
