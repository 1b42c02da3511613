package io.soci4j.reader.internal.extract;

import io.soci4j.api.Digest;
import io.soci4j.reader.RejectedEntry;
import io.soci4j.reader.internal.view.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Finds, before anything is written, the entries of a merged tree that this system cannot create
 * under a directory: a name component over {@value #NAME_MAX} bytes, a path over {@value
 * #PATH_MAX} bytes (Linux limits), a name or link target not valid in the file name encoding
 * (bytes that are not UTF-8 under a UTF-8 locale), a symbolic link with an empty target ({@code
 * symlink(2)} refuses one). A directory found unwritable hides its subtree.
 */
final class WritableCheck {
  /** Longest file name component, in bytes (NAME_MAX). */
  static final int NAME_MAX = 255;
  /** Longest path, in bytes, without its terminating NUL (PATH_MAX - 1). */
  static final int PATH_MAX = 4095;

  private final Path base;
  private final int baseBytes;
  private final IntFunction<Digest> layerDigest;
  private final List<RejectedEntry> problems = new ArrayList<>();
  /** Names not to write, by the directory node holding them (a directory has one path). */
  private final Map<Node, Set<String>> skip = new IdentityHashMap<>();

  /**
   * @param base the directory the tree will be written under
   * @param layerDigest digest of a layer by index, for the report
   */
  WritableCheck(Path base, IntFunction<Digest> layerDigest) {
    this.base = base;
    this.baseBytes = bytes(base.toString());
    this.layerDigest = layerDigest;
  }

  /** Checks the tree below {@code root}. @param root the root @return this */
  WritableCheck run(Node root) {
    walk(root, "", baseBytes);
    return this;
  }

  /** {@return the entries that cannot be created, in tree order} */
  List<RejectedEntry> problems() {
    return problems;
  }

  /**
   * @param dir a directory of the tree
   * @param name one of its children
   * @return whether that child is not to be written
   */
  boolean skips(Node dir, String name) {
    Set<String> names = skip.get(dir);
    return names != null && names.contains(name);
  }

  /** @param pathBytes bytes of {@code base + path} */
  private void walk(Node dir, String path, long pathBytes) {
    for (Map.Entry<String, Node> c : dir.children().entrySet()) {
      String p = path + "/" + c.getKey();
      Node n = c.getValue();
      int nameBytes = bytes(c.getKey());
      long childBytes = pathBytes + 1 + nameBytes;
      String why = problem(c.getKey(), nameBytes, childBytes, n);
      if (why != null) {
        problems.add(new RejectedEntry(layerDigest.apply(n.layer()), p, why));
        skip.computeIfAbsent(dir, d -> new HashSet<>()).add(c.getKey());
      } else if (n.isDirectory()) {
        walk(n, p, childBytes);
      }
    }
  }

  private String problem(String name, int nameBytes, long pathBytes, Node n) {
    if (nameBytes > NAME_MAX) {
      return "a name component of " + nameBytes + " bytes is longer than the " + NAME_MAX + " this system allows";
    }
    if (pathBytes > PATH_MAX) {
      return "its path under " + base + " would be " + pathBytes + " bytes, longer than the " + PATH_MAX
          + " this system allows";
    }
    try {
      base.resolve(name);
    } catch (InvalidPathException e) {
      return "its name is not valid in this system's file name encoding (bytes that are not UTF-8?)";
    }
    if (n.type() == io.soci4j.ztoc.EntryType.SYMLINK) {
      if (n.linkTarget().isEmpty()) {
        return "a symbolic link with an empty target cannot be created";
      }
      try {
        base.getFileSystem().getPath(n.linkTarget());
      } catch (InvalidPathException e) {
        return "its link target is not valid in this system's file name encoding (bytes that are not UTF-8?)";
      }
    }
    return null;
  }

  /** Bytes of a name as written: UTF-8, a lone surrogate (one name byte that is not UTF-8) as one. */
  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
