package io.soci4j.reader.internal.view;

import io.soci4j.reader.PathNotFoundException;
import io.soci4j.reader.SymlinkLoopException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Looks paths up in a merged tree as a process chrooted into the image would: symbolic links are
 * followed inside the image, an absolute target restarts at the image root, {@code ..} at the
 * root stays there, so no link leads out. At most {@value #MAX_LINKS} links are followed
 * ({@link SymlinkLoopException} after, as Linux's {@code ELOOP}).
 */
public final class PathResolver {
  /** Links followed at most for one lookup (Linux's limit). */
  public static final int MAX_LINKS = 40;

  private final Node root;

  /**
   * @param root the image root
   */
  public PathResolver(Node root) {
    this.root = root;
  }

  /**
   * A node found for a path, and the canonical path it was found at.
   *
   * @param node the node
   * @param path absolute path without links ({@code /} separated)
   */
  public record Resolved(Node node, String path) {}

  /**
   * Resolves a path.
   *
   * @param path absolute or relative (to the root) path
   * @param followFinal whether a symbolic link as the last component is followed
   * @return the node and its canonical path
   * @throws PathNotFoundException when a component is missing or not a directory
   * @throws SymlinkLoopException when too many links are followed
   */
  public Resolved resolve(String path, boolean followFinal) throws PathNotFoundException, SymlinkLoopException {
    Deque<String> todo = new ArrayDeque<>(PathNames.split(path));
    List<Node> nodes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    nodes.add(root);
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.equals("..")) {
        if (names.size() > 0) {
          names.remove(names.size() - 1);
          nodes.remove(nodes.size() - 1);
        }
        continue;
      }
      Node dir = nodes.get(nodes.size() - 1);
      if (!dir.isDirectory()) {
        throw new PathNotFoundException(path, "'" + PathNames.join(names) + "' is not a directory");
      }
      Node child = dir.children().get(c);
      if (child == null) {
        throw new PathNotFoundException(path, names.isEmpty() && todo.isEmpty() ? ""
            : "no '" + c + "' in '" + PathNames.join(names) + "'");
      }
      if (child.type() == io.soci4j.ztoc.EntryType.SYMLINK && (followFinal || !todo.isEmpty())) {
        if (++links > MAX_LINKS) {
          throw new SymlinkLoopException(path, links - 1);
        }
        String target = child.linkTarget();
        if (target.isEmpty()) {
          throw new PathNotFoundException(path, "symbolic link '" + PathNames.join(append(names, c))
              + "' has an empty target");
        }
        List<String> t = PathNames.split(target);
        for (int i = t.size() - 1; i >= 0; i--) {
          todo.addFirst(t.get(i));
        }
        if (target.startsWith("/")) {
          names.clear();
          nodes.subList(1, nodes.size()).clear();
        }
        continue;
      }
      nodes.add(child);
      names.add(c);
    }
    return new Resolved(nodes.get(nodes.size() - 1), PathNames.join(names));
  }

  private static List<String> append(List<String> names, String c) {
    List<String> out = new ArrayList<>(names);
    out.add(c);
    return out;
  }
}
