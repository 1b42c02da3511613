package io.soci4j.cli.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.layout.OciLayoutStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian rootfs made at test time with {@code debootstrap --variant=minbase bookworm} from
 * Debian's mirror (needs root), cached under {@code target/rootfs/} with its gzip tar, and a
 * one-layer OCI image of it. Nothing of it is committed.
 */
public final class DebianRootfs {
  /** Where the rootfs and its tar are cached (the module's build directory). */
  public static final Path CACHE = Path.of("target", "rootfs");
  private static final String MIRROR = "http://deb.debian.org/debian";

  private DebianRootfs() {}

  /**
   * The rootfs directory, made if it is not cached.
   *
   * @return the directory
   * @throws IOException when debootstrap fails
   */
  public static synchronized Path directory() throws IOException {
    Path root = CACHE.resolve("bookworm-minbase").toAbsolutePath();
    if (Files.isRegularFile(root.resolve("etc/os-release"))) {
      return root;
    }
    Path tmp = CACHE.resolve("bookworm-minbase.tmp").toAbsolutePath();
    run(List.of("rm", "-rf", tmp.toString()), 60);
    Files.createDirectories(CACHE);
    run(List.of("debootstrap", "--variant=minbase", "bookworm", tmp.toString(), MIRROR), 1200);
    Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
    return root;
  }

  /**
   * The rootfs as a gzip tar (numeric owners, as image layers are), made if it is not cached.
   *
   * @return the file
   * @throws IOException when making it fails
   */
  public static synchronized Path layer() throws IOException {
    Path tgz = CACHE.resolve("bookworm-minbase.tar.gz").toAbsolutePath();
    if (Files.isRegularFile(tgz)) {
      return tgz;
    }
    Path root = directory();
    Path tmp = CACHE.resolve("bookworm-minbase.tar.gz.tmp").toAbsolutePath();
    run(List.of("tar", "--numeric-owner", "--sort=name", "-C", root.toString(), "-czf", tmp.toString(), "."), 600);
    Files.move(tmp, tgz, StandardCopyOption.ATOMIC_MOVE);
    return tgz;
  }

  /**
   * Writes a one-layer image of the rootfs into an OCI layout.
   *
   * @param layout the layout directory
   * @param tag its tag there
   * @throws IOException on failure
   */
  public static void image(Path layout, String tag) throws IOException {
    Path tgz = layer();
    Digest digest;
    try (InputStream in = Files.newInputStream(tgz)) {
      digest = Digest.sha256(in);
    }
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, digest, Files.size(tgz));
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      try (InputStream in = Files.newInputStream(tgz)) {
        store.push(layer, in);
      }
      byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
          + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
      Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, config);
      store.push(configDesc, config);
      byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
          + json(configDesc) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8);
      Descriptor manifestDesc = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
      store.push(manifestDesc, manifest);
      store.tag(manifestDesc, tag);
    }
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static void run(List<String> cmd, long seconds) throws IOException {
    Path log = Files.createTempFile("rootfs", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd + " did not finish in " + seconds + " s");
      }
      if (p.exitValue() != 0) {
        String out = Files.readString(log);
        throw new IOException(cmd + " failed (exit " + p.exitValue() + "; it needs root and Debian's mirror): "
            + out.substring(Math.max(0, out.length() - 2000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(cmd + " interrupted");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
