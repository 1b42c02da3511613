package io.soci4j.reader.internal.view;

import io.soci4j.reader.RejectedEntry;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.TocEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Applies layers bottom to top into one tree with OCI layer semantics (image-spec layer.md): a
 * later entry replaces what is at its path, except that a directory over a directory only
 * replaces its attributes; in each layer the whiteouts ({@code .wh.NAME}) and opaque markers
 * ({@code .wh..wh..opq}) are applied first, to the lower layers only; hard links share the node
 * of their target (a path already applied, in this or a lower layer); directories named only by
 * their children exist. Names are literal per layer, as an overlay mount sees them: a path below
 * a non-directory of a lower layer replaces it with a directory, while a path below a
 * non-directory of its own layer (for example a file written "through" a symlink) is rejected, as
 * are names with a leading {@code /} or a {@code ..} that leads out of the root (names are cleaned
 * lexically first, as containerd does: {@code a/../b} is {@code b}).
 */
public final class TreeBuilder {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String META_PREFIX = ".wh..wh.";

  private final Node root;
  private final List<RejectedEntry> rejected = new ArrayList<>();
  private long nextId = 1;

  private TreeBuilder() {
    root = Node.directory(nextId++, Node.Attributes.IMPLIED_DIRECTORY, 0);
  }

  /**
   * Builds the merged tree.
   *
   * @param layers the layers, bottom first
   * @return the tree
   */
  public static MergedTree build(List<LayerEntries> layers) {
    TreeBuilder b = new TreeBuilder();
    for (int i = 0; i < layers.size(); i++) {
      b.applyWhiteouts(layers.get(i));
      b.applyEntries(i, layers.get(i));
    }
    return new MergedTree(b.root, b.rejected);
  }

  private void applyWhiteouts(LayerEntries layer) {
    for (TocEntry e : layer.entries()) {
      List<String> c = PathNames.entryComponents(e.name());
      if (c == null || c.isEmpty() || !c.get(c.size() - 1).startsWith(WHITEOUT)) {
        continue;
      }
      String base = c.get(c.size() - 1);
      Node parent = lookupLiteral(c.subList(0, c.size() - 1));
      if (parent == null || !parent.isDirectory()) {
        continue;
      }
      if (base.equals(OPAQUE)) {
        parent.mutableChildren().clear();
      } else if (!base.startsWith(META_PREFIX)) {
        parent.mutableChildren().remove(base.substring(WHITEOUT.length()));
      }
    }
  }

  private void applyEntries(int layerIndex, LayerEntries layer) {
    for (TocEntry e : layer.entries()) {
      List<String> c = PathNames.entryComponents(e.name());
      if (c == null) {
        reject(layer, e, PathNames.unsafeReason(e.name()));
        continue;
      }
      if (!c.isEmpty() && c.get(c.size() - 1).startsWith(WHITEOUT)) {
        continue;
      }
      if (c.isEmpty()) {
        if (e.type() == EntryType.DIRECTORY) {
          root.replaceAttributes(attributes(e), layerIndex);
        } else {
          reject(layer, e, "the root can only be a directory");
        }
        continue;
      }
      Node parent = parentFor(c, layerIndex, layer, e);
      if (parent == null) {
        continue;
      }
      String name = c.get(c.size() - 1);
      TreeMap<String, Node> siblings = parent.mutableChildren();
      Node existing = siblings.get(name);
      switch (e.type()) {
        case DIRECTORY -> {
          if (existing != null && existing.isDirectory()) {
            existing.replaceAttributes(attributes(e), layerIndex);
          } else {
            siblings.put(name, Node.directory(nextId++, attributes(e), layerIndex));
          }
        }
        case REGULAR -> siblings.put(name, Node.file(nextId++, attributes(e), layerIndex,
            new Node.FileData(layerIndex, e.uncompressedOffset(), e.uncompressedSize())));
        case SYMLINK -> siblings.put(name, Node.symlink(nextId++, attributes(e), layerIndex, e.linkName()));
        case HARDLINK -> {
          Node target = hardlinkTarget(layer, e);
          if (target != null) {
            siblings.put(name, target);
          }
        }
        default -> siblings.put(name, Node.special(nextId++, e.type(), attributes(e), layerIndex));
      }
    }
  }

  /** The directory an entry goes in, creating implied directories; null (and rejected) when impossible. */
  private Node parentFor(List<String> c, int layerIndex, LayerEntries layer, TocEntry e) {
    Node dir = root;
    for (int i = 0; i < c.size() - 1; i++) {
      TreeMap<String, Node> children = dir.mutableChildren();
      Node child = children.get(c.get(i));
      if (child == null || (!child.isDirectory() && child.layer() < layerIndex)) {
        child = Node.directory(nextId++, Node.Attributes.IMPLIED_DIRECTORY, layerIndex);
        children.put(c.get(i), child);
      } else if (!child.isDirectory()) {
        reject(layer, e, "'" + PathNames.join(c.subList(0, i + 1)) + "' is a " + child.type().wireName()
            + " of the same layer, not a directory");
        return null;
      }
      dir = child;
    }
    return dir;
  }

  private Node hardlinkTarget(LayerEntries layer, TocEntry e) {
    List<String> c = PathNames.entryComponents(e.linkName());
    if (c == null) {
      reject(layer, e, "hard link target '" + e.linkName() + "': " + PathNames.unsafeReason(e.linkName()));
      return null;
    }
    Node target = c.isEmpty() ? root : lookupLiteral(c);
    if (target == null) {
      reject(layer, e, "hard link target '" + e.linkName() + "' does not exist");
      return null;
    }
    if (target.isDirectory()) {
      reject(layer, e, "hard link target '" + e.linkName() + "' is a directory");
      return null;
    }
    return target;
  }

  private Node lookupLiteral(List<String> c) {
    Node n = root;
    for (String name : c) {
      if (!n.isDirectory()) {
        return null;
      }
      n = n.mutableChildren().get(name);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  private void reject(LayerEntries layer, TocEntry e, String reason) {
    rejected.add(new RejectedEntry(layer.digest(), e.name(), reason));
  }

  private static Node.Attributes attributes(TocEntry e) {
    List<io.soci4j.ztoc.PaxRecord> xattrs = e.paxRecords().isEmpty() ? List.of()
        : e.paxRecords().stream().filter(io.soci4j.ztoc.PaxRecord::isXattr).toList();
    return new Node.Attributes((int) (e.mode() & 07777), e.uid(), e.gid(), e.uname(), e.gname(), time(e.modTime()),
        e.devMajor(), e.devMinor(), xattrs);
  }

  static Instant time(String rfc3339) {
    if (rfc3339.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

}
