package io.soci4j.fuse.internal;

import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.ImageFile;
import io.soci4j.reader.SociImage;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;

/**
 * The read-only FUSE operations over a {@link SociImage}'s merged view. The tree's metadata is
 * listed once at mount ({@link Tree}); file data is read through {@link ImageFile}s opened per
 * {@code open} and kept by file handle, into a per-thread buffer copied to FUSE's (no allocation
 * per read once the buffer has grown). Called by libfuse's worker threads: every method is
 * thread-safe.
 */
public final class ImageFileSystem extends FuseStubFS {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFileSystem.class);
  private static final int O_ACCMODE = 3;

  private final SociImage image;
  private final Tree tree;
  private final Map<Long, ImageFile> open = new ConcurrentHashMap<>();
  private final AtomicLong handles = new AtomicLong();
  private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[128 << 10]);
  private final AccessLog log;

  /**
   * @param image the image
   * @param tree its listed tree
   * @param log where first reads are recorded, or null
   */
  public ImageFileSystem(SociImage image, Tree tree, AccessLog log) {
    this.image = image;
    this.tree = tree;
    this.log = log;
  }

  @Override
  public int getattr(String path, FileStat stat) {
    Tree.Node n = tree.get(path);
    if (n == null) {
      return -ErrorCodes.ENOENT();
    }
    ImageEntry e = n.entry();
    stat.st_mode.set(typeBits(e.type()) | e.mode());
    stat.st_nlink.set(n.links());
    stat.st_ino.set(n.inode());
    stat.st_uid.set(e.uid());
    stat.st_gid.set(e.gid());
    stat.st_size.set(e.size());
    stat.st_blksize.set(4096);
    stat.st_blocks.set((e.size() + 511) / 512);
    stat.st_mtim.tv_sec.set(e.modTime().getEpochSecond());
    stat.st_mtim.tv_nsec.set(e.modTime().getNano());
    stat.st_ctim.tv_sec.set(e.modTime().getEpochSecond());
    stat.st_ctim.tv_nsec.set(e.modTime().getNano());
    stat.st_atim.tv_sec.set(e.modTime().getEpochSecond());
    stat.st_atim.tv_nsec.set(e.modTime().getNano());
    if (e.type() == EntryType.CHAR || e.type() == EntryType.BLOCK) {
      stat.st_rdev.set(makedev(e.devMajor(), e.devMinor()));
    }
    return 0;
  }

  private static long makedev(long major, long minor) {
    // glibc's gnu_dev_makedev
    return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
  }

  static int typeBits(EntryType type) {
    return switch (type) {
      case DIRECTORY -> FileStat.S_IFDIR;
      case SYMLINK -> FileStat.S_IFLNK;
      case CHAR -> FileStat.S_IFCHR;
      case BLOCK -> FileStat.S_IFBLK;
      case FIFO -> FileStat.S_IFIFO;
      default -> FileStat.S_IFREG;
    };
  }

  @Override
  public int readlink(String path, Pointer buf, @size_t long size) {
    Tree.Node n = tree.get(path);
    if (n == null) {
      return -ErrorCodes.ENOENT();
    }
    if (n.entry().type() != EntryType.SYMLINK) {
      return -ErrorCodes.EINVAL();
    }
    byte[] target = n.entry().linkTarget().getBytes(StandardCharsets.UTF_8);
    int len = (int) Math.min(target.length, Math.max(0, size - 1));
    buf.put(0, target, 0, len);
    buf.putByte(len, (byte) 0);
    return 0;
  }

  @Override
  public int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
    Tree.Node n = tree.get(path);
    if (n == null) {
      return -ErrorCodes.ENOENT();
    }
    if (n.entry().type() != EntryType.DIRECTORY) {
      return -ErrorCodes.ENOTDIR();
    }
    filter.apply(buf, ".", null, 0);
    filter.apply(buf, "..", null, 0);
    for (byte[] name : n.childNames()) {
      if (filter.apply(buf, ByteBuffer.wrap(name), null, 0) != 0) {
        break; // the buffer is full
      }
    }
    return 0;
  }

  @Override
  public int open(String path, FuseFileInfo fi) {
    Tree.Node n = tree.get(path);
    if (n == null) {
      return -ErrorCodes.ENOENT();
    }
    if ((fi.flags.get() & O_ACCMODE) != 0) {
      return -ErrorCodes.EROFS();
    }
    switch (n.entry().type()) {
      case REGULAR -> {
        // served below
      }
      case DIRECTORY -> {
        return -ErrorCodes.EISDIR();
      }
      default -> {
        return -ErrorCodes.EACCES(); // devices and FIFOs are listed, not opened
      }
    }
    try {
      ImageFile f = image.openFile(path);
      long h = handles.incrementAndGet();
      open.put(h, f);
      fi.fh.set(h);
      if (log != null) {
        log.opened(path);
      }
      return 0;
    } catch (IOException e) {
      LOG.warn("open {}: {}", path, e.toString());
      return -ErrorCodes.EIO();
    }
  }

  @Override
  public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
    ImageFile f = open.get(fi.fh.get());
    if (f == null) {
      return -ErrorCodes.EBADF();
    }
    byte[] b = buffers.get();
    if (b.length < size) {
      b = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size)];
      buffers.set(b);
    }
    try {
      int n = f.read(offset, b, 0, (int) Math.min(size, b.length));
      buf.put(0, b, 0, n);
      return n;
    } catch (IOException | RuntimeException e) {
      LOG.warn("read {} at {} ({} bytes): {}", path, offset, size, e.toString());
      return -ErrorCodes.EIO();
    }
  }

  @Override
  public int release(String path, FuseFileInfo fi) {
    open.remove(fi.fh.get());
    return 0;
  }

  @Override
  public int statfs(String path, Statvfs st) {
    st.f_bsize.set(4096);
    st.f_frsize.set(4096);
    st.f_blocks.set((tree.bytes() + 4095) / 4096);
    st.f_bfree.set(0);
    st.f_bavail.set(0);
    st.f_files.set(tree.size());
    st.f_ffree.set(0);
    st.f_favail.set(0);
    st.f_namemax.set(255);
    return 0;
  }

  /** Extended attributes from the layers' PAX {@code SCHILY.xattr.} records; size 0 asks for the length. */
  @Override
  public int getxattr(String path, String name, Pointer value, @size_t long size) {
    Tree.Node n = tree.get(path);
    if (n == null) {
      return -ErrorCodes.ENOENT();
    }
    for (PaxRecord x : n.entry().xattrs()) {
      if (x.key().length() == PaxRecord.XATTR_PREFIX.length() + name.length() && x.key().endsWith(name)) {
        byte[] v = x.value();
        if (size == 0) {
          return v.length;
        }
        if (size < v.length) {
          return -ErrorCodes.ERANGE();
        }
        value.put(0, v, 0, v.length);
        return v.length;
      }
    }
    return -ErrorCodes.ENODATA();
  }

  @Override
  public int listxattr(String path, Pointer list, @size_t long size) {
    Tree.Node n = tree.get(path);
    if (n == null) {
      return -ErrorCodes.ENOENT();
    }
    java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
    for (PaxRecord x : n.entry().xattrs()) {
      names.writeBytes(x.key().substring(PaxRecord.XATTR_PREFIX.length()).getBytes(StandardCharsets.UTF_8));
      names.write(0);
    }
    if (size == 0) {
      return names.size();
    }
    if (size < names.size()) {
      return -ErrorCodes.ERANGE();
    }
    list.put(0, names.toByteArray(), 0, names.size());
    return names.size();
  }

  @Override
  public int access(String path, int mask) {
    if (tree.get(path) == null) {
      return -ErrorCodes.ENOENT();
    }
    return (mask & 2) != 0 ? -ErrorCodes.EROFS() : 0; // W_OK; the rest by default_permissions
  }

  /** The image's merged tree, listed once: paths, entries, link counts and inodes. */
  public static final class Tree {
    private final Map<String, Node> nodes;
    private final long bytes;

    private Tree(Map<String, Node> nodes, long bytes) {
      this.nodes = nodes;
      this.bytes = bytes;
    }

    /**
     * @param path an absolute path as FUSE gives it
     * @return its node, or null
     */
    Node get(String path) {
      return nodes.get(path);
    }

    int size() {
      return nodes.size();
    }

    long bytes() {
      return bytes;
    }

    /**
     * Lists an image.
     *
     * @param image the image
     * @return its tree
     * @throws IOException when listing fails
     */
    public static Tree of(SociImage image) throws IOException {
      Map<String, ImageEntry> entries = new HashMap<>();
      Map<String, List<byte[]>> children = new HashMap<>();
      ImageEntry root = image.stat("/", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      entries.put("/", root);
      List<String> dirs = new ArrayList<>(List.of("/"));
      Map<Long, Integer> fileLinks = new HashMap<>();
      Map<String, Integer> subdirs = new HashMap<>();
      long bytes = 0;
      while (!dirs.isEmpty()) {
        String dir = dirs.remove(dirs.size() - 1);
        List<byte[]> names = new ArrayList<>();
        for (ImageEntry e : image.list(dir)) {
          entries.put(e.path(), e);
          names.add(e.name().getBytes(StandardCharsets.UTF_8));
          if (e.type() == EntryType.DIRECTORY) {
            dirs.add(e.path());
            subdirs.merge(dir, 1, Integer::sum);
          } else if (e.type() == EntryType.REGULAR) {
            fileLinks.merge(e.fileId(), 1, Integer::sum);
            bytes += e.size();
          }
        }
        children.put(dir, names);
      }
      Map<String, Node> nodes = new HashMap<>();
      Map<Long, Long> inodes = new HashMap<>();
      long next = 2; // 1 is the root
      for (Map.Entry<String, ImageEntry> me : entries.entrySet()) {
        ImageEntry e = me.getValue();
        long inode;
        if (me.getKey().equals("/")) {
          inode = 1;
        } else if (e.type() == EntryType.REGULAR) {
          Long known = inodes.get(e.fileId());
          if (known == null) {
            known = next++;
            inodes.put(e.fileId(), known);
          }
          inode = known;
        } else {
          inode = next++;
        }
        int links = switch (e.type()) {
          case DIRECTORY -> 2 + subdirs.getOrDefault(me.getKey(), 0);
          case REGULAR -> fileLinks.getOrDefault(e.fileId(), 1);
          default -> 1;
        };
        nodes.put(me.getKey(), new Node(e, inode, links, children.getOrDefault(me.getKey(), List.of())));
      }
      return new Tree(Map.copyOf(nodes), bytes);
    }

    /** One path. */
    record Node(ImageEntry entry, long inode, int links, List<byte[]> childNames) {}
  }
}
