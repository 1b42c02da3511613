package io.soci4j.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.layout.OciLayoutStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A realistic 3-layer image built from files on this machine, written as an OCI layout:
 *
 * <ol>
 *   <li>base: {@code /usr/share/doc}, {@code /usr/lib/os-release} and {@code /etc/os-release} (a
 *       symlink on Debian), gzip -6;
 *   <li>jdk: the running JDK under {@code opt/java}, gzip -6;
 *   <li>app: a few files, a whiteout of a base directory and an opaque directory over the JDK's
 *       {@code conf} (small: below the default minimum layer size).
 * </ol>
 *
 * Entries are sorted and get a fixed mtime, so the layers are the same on every run on one
 * machine. Used by {@code scripts/demo-image.sh} (the README's first command) and by the
 * end-to-end tests.
 *
 * <pre>
 * java -cp soci-cli/target/soci.jar io.soci4j.cli.DemoImage DIR   # writes an OCI layout, tag 1
 * </pre>
 */
public final class DemoImage {
  /** Tag of the image in the layout. */
  public static final String TAG = "1";
  /** A base directory the app layer whites out. */
  public static final String WHITED_OUT = "usr/share/doc/bash";
  /** The app's own file. */
  public static final String APP_FILE = "app/hello.txt";
  private static final FileTime MTIME = FileTime.fromMillis(1_700_000_000_000L);

  private final Path layout;
  private final List<Descriptor> layers;
  private final List<byte[]> tars;

  private DemoImage(Path layout, List<Descriptor> layers, List<byte[]> tars) {
    this.layout = layout;
    this.layers = layers;
    this.tars = tars;
  }

  /**
   * Writes the image as an OCI layout.
   *
   * @param args the layout directory (empty or missing)
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: DemoImage LAYOUT_DIR");
      System.exit(2);
    }
    DemoImage image = build(Path.of(args[0]));
    System.out.println("oci:" + image.layout() + ":" + TAG);
  }

  /** @return the layout directory */
  public Path layout() {
    return layout;
  }

  /** @return the layer descriptors, base first */
  public List<Descriptor> layers() {
    return layers;
  }

  /** @return the uncompressed tar of each layer */
  public List<byte[]> tars() {
    return tars;
  }

  /**
   * Builds the image into a new layout directory.
   *
   * @param dir an empty or missing directory
   * @return the image
   */
  public static DemoImage build(Path dir) {
    try {
      List<byte[]> tars = List.of(baseTar(), jdkTar(), appTar());
      List<Descriptor> layers = new ArrayList<>();
      try (OciLayoutStore store = OciLayoutStore.open(dir)) {
        for (byte[] tar : tars.subList(0, 2)) {
          layers.add(push(store, MediaTypes.OCI_LAYER_TAR_GZIP, gzip(tar)));
        }
        layers.add(push(store, MediaTypes.OCI_LAYER_TAR_GZIP, gzip(tars.get(2))));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
            + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        Descriptor configDesc = push(store, MediaTypes.OCI_CONFIG, config);
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"config\":" + json(configDesc) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
          m.append(i == 0 ? "" : ",").append(json(layers.get(i)));
        }
        byte[] manifest = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Descriptor manifestDesc = push(store, MediaTypes.OCI_MANIFEST, manifest);
        store.tag(manifestDesc, TAG);
      }
      return new DemoImage(dir, layers, tars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static Descriptor push(OciLayoutStore store, String mediaType, byte[] content) throws IOException {
    Descriptor d = Descriptor.of(mediaType, content);
    store.push(d, content);
    return d;
  }

  private static byte[] baseTar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = tar(out)) {
      addTree(tar, Path.of("/usr/share/doc"), "usr/share/doc");
      addPath(tar, Path.of("/usr/lib/os-release"), "usr/lib/os-release");
      addPath(tar, Path.of("/etc/os-release"), "etc/os-release");
    }
    return out.toByteArray();
  }

  private static byte[] jdkTar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = tar(out)) {
      addTree(tar, Path.of(System.getProperty("java.home")).toRealPath(), "opt/java");
    }
    return out.toByteArray();
  }

  private static byte[] appTar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = tar(out)) {
      addBytes(tar, "app/", null);
      addBytes(tar, APP_FILE, "hello from the app layer\n".getBytes(StandardCharsets.UTF_8));
      addBytes(tar, "usr/share/doc/.wh.bash", new byte[0]);
      addBytes(tar, "opt/java/conf/", null);
      addBytes(tar, "opt/java/conf/.wh..wh..opq", new byte[0]);
      addBytes(tar, "opt/java/conf/app.properties", "app=1\n".getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static TarArchiveOutputStream tar(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  private static void addTree(TarArchiveOutputStream tar, Path root, String prefix) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.walk(root)) {
      paths = s.sorted().toList();
    }
    for (Path p : paths) {
      String rel = root.relativize(p).toString();
      addPath(tar, p, rel.isEmpty() ? prefix : prefix + "/" + rel);
    }
  }

  private static void addPath(TarArchiveOutputStream tar, Path p, String name) throws IOException {
    TarArchiveEntry e;
    if (Files.isSymbolicLink(p)) {
      e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(p).toString());
    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(p)) {
      e = new TarArchiveEntry(name);
      e.setSize(Files.size(p));
    } else {
      return;
    }
    e.setModTime(MTIME);
    e.setMode(mode(p, e));
    tar.putArchiveEntry(e);
    if (e.isFile() && e.getSize() > 0) {
      try (InputStream in = Files.newInputStream(p)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
  }

  private static int mode(Path p, TarArchiveEntry e) throws IOException {
    int type = e.isSymbolicLink() ? 0120000 : e.isDirectory() ? 040000 : 0100000;
    if (e.isSymbolicLink()) {
      return type | 0777;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    int bits = 0;
    for (PosixFilePermission perm : perms) {
      bits |= 1 << (8 - perm.ordinal());
    }
    return type | bits;
  }

  private static void addBytes(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = data == null ? new TarArchiveEntry(name, TarArchiveEntry.LF_DIR) : new TarArchiveEntry(name);
    e.setModTime(MTIME);
    e.setMode(data == null ? 040755 : 0100644);
    if (data != null) {
      e.setSize(data.length);
    }
    tar.putArchiveEntry(e);
    if (data != null) {
      tar.write(data);
    }
    tar.closeArchiveEntry();
  }

  private static byte[] gzip(byte[] tar) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(tar.length / 2);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(Deflater.DEFAULT_COMPRESSION);
      }
    }) {
      gz.write(tar);
    }
    return out.toByteArray();
  }
}
