package io.soci4j.reader.internal.view;

import io.soci4j.ztoc.EntryType;
import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One file of the merged view: a directory with children, a regular file with the place of its
 * bytes, a symbolic link, or a device or FIFO. Hard-linked paths share one node. Mutated only by
 * {@link TreeBuilder}; read-only once the tree is published.
 */
public final class Node {
  private final long id;
  private final EntryType type;
  private final String linkTarget;
  private final FileData data;
  private final TreeMap<String, Node> children;
  private Attributes attributes;
  private int layer;

  private Node(long id, EntryType type, Attributes attributes, int layer, String linkTarget, FileData data) {
    this.id = id;
    this.type = type;
    this.attributes = attributes;
    this.layer = layer;
    this.linkTarget = linkTarget;
    this.data = data;
    this.children = type == EntryType.DIRECTORY ? new TreeMap<>() : null;
  }

  static Node directory(long id, Attributes attributes, int layer) {
    return new Node(id, EntryType.DIRECTORY, attributes, layer, "", null);
  }

  static Node file(long id, Attributes attributes, int layer, FileData data) {
    return new Node(id, EntryType.REGULAR, attributes, layer, "", data);
  }

  static Node symlink(long id, Attributes attributes, int layer, String target) {
    return new Node(id, EntryType.SYMLINK, attributes, layer, target, null);
  }

  static Node special(long id, EntryType type, Attributes attributes, int layer) {
    return new Node(id, type, attributes, layer, "", null);
  }

  /** {@return a number unique in the tree; hard links share it} */
  public long id() {
    return id;
  }

  /** {@return the type: never a hard link} */
  public EntryType type() {
    return type;
  }

  /** {@return whether this is a directory} */
  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }

  /** {@return the attributes} */
  public Attributes attributes() {
    return attributes;
  }

  /** {@return index of the layer whose entry made this node (or last replaced a directory's attributes)} */
  public int layer() {
    return layer;
  }

  /** {@return a symbolic link's target as stored, else empty} */
  public String linkTarget() {
    return linkTarget;
  }

  /** {@return where a regular file's bytes are, or null for other types} */
  public FileData data() {
    return data;
  }

  /** {@return the size: a file's bytes, a symlink target's length, else 0} */
  public long size() {
    return data != null ? data.size() : type == EntryType.SYMLINK ? linkTarget.getBytes(
        java.nio.charset.StandardCharsets.UTF_8).length : 0;
  }

  /** {@return a directory's children by name, sorted; empty for other types} */
  public NavigableMap<String, Node> children() {
    return children == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(children);
  }

  TreeMap<String, Node> mutableChildren() {
    return children;
  }

  void replaceAttributes(Attributes newAttributes, int newLayer) {
    this.attributes = newAttributes;
    this.layer = newLayer;
  }

  @Override
  public String toString() {
    return type.wireName() + "#" + id;
  }

  /**
   * Where a regular file's bytes are in the uncompressed tar stream of a layer.
   *
   * @param layer index of the layer in the image
   * @param offset offset of the first byte in the layer's tar stream
   * @param size number of bytes
   */
  public record FileData(int layer, long offset, long size) {}

  /**
   * Attributes from a tar header.
   *
   * @param mode permission bits ({@code 07777} at most)
   * @param uid owner id
   * @param gid group id
   * @param uname owner name
   * @param gname group name
   * @param modTime modification time
   * @param devMajor device major
   * @param devMinor device minor
   * @param xattrs the entry's extended attributes (PAX {@code SCHILY.xattr.} records)
   */
  public record Attributes(int mode, long uid, long gid, String uname, String gname, Instant modTime, long devMajor,
      long devMinor, java.util.List<io.soci4j.ztoc.PaxRecord> xattrs) {
    /** Attributes of directories no entry describes: 0755, root, epoch. */
    public static final Attributes IMPLIED_DIRECTORY = new Attributes(0755, 0, 0, "", "", Instant.EPOCH, 0, 0,
        java.util.List.of());
  }
}
