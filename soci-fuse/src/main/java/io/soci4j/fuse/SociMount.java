package io.soci4j.fuse;

import io.soci4j.api.SociException;
import io.soci4j.fuse.internal.AccessLog;
import io.soci4j.fuse.internal.ImageFileSystem;
import io.soci4j.fuse.internal.MountTable;
import io.soci4j.reader.SociImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link SociImage} mounted read-only with FUSE (libfuse 2 through jnr-fuse): its merged view as
 * a directory tree that any program can use, files fetched lazily as they are read.
 *
 * <pre>{@code
 * try (SociImage image = SociImage.open(store, "app:1.0-soci");
 *     SociMount mount = SociMount.mount(image, Path.of("/mnt/app"))) {
 *   new ProcessBuilder("chroot", "/mnt/app", "/bin/sh", "-c", "cat /etc/os-release").inheritIO().start().waitFor();
 * }
 * }</pre>
 *
 * <p>What is served: directories, regular files, symbolic links (verbatim), hard links (one inode,
 * the link count), device nodes and FIFOs (listed, not openable); modes, owners and modification
 * times as in the layers; extended attributes from the layers' PAX {@code SCHILY.xattr.} records;
 * {@code statfs}. Writes fail with EROFS. libfuse
 * runs its loop on several threads; the image serves them concurrently.
 *
 * <p>Needs {@code /dev/fuse} readable and writable (root, or the device passed into a container)
 * and libfuse 2 ({@code apt-get install libfuse2}); else {@link FuseUnavailableException}. Close
 * unmounts (lazily when a process still uses the mount) and waits for libfuse's loop to end; a JVM
 * shutdown (Ctrl-C, SIGTERM) unmounts too. The image is not closed.
 */
public final class SociMount implements Closeable {
  private static final long READY_MS = 10_000;
  /** The FUSE device; the system property {@code soci4j.fuse.device} points elsewhere (for tests). */
  private static Path device() {
    return Path.of(System.getProperty("soci4j.fuse.device", "/dev/fuse"));
  }

  private final Path mountPoint;
  private final CompletableFuture<Integer> loop;
  private final AccessLog accesses;
  private final Thread hook;
  private volatile boolean closed;

  private SociMount(Path mountPoint, CompletableFuture<Integer> loop, AccessLog accesses) {
    this.mountPoint = mountPoint;
    this.loop = loop;
    this.accesses = accesses;
    this.hook = new Thread(this::unmountQuietly, "soci-fuse-unmount");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Mounts an image at an empty directory and returns once the mount is ready.
   *
   * @param image an open image (stays open; close it after the mount)
   * @param mountPoint an existing empty directory
   * @return the mount; close it to unmount
   * @throws FuseUnavailableException when FUSE cannot be used here
   * @throws IOException when the directory is unusable, the image cannot be listed or the mount fails
   */
  public static SociMount mount(SociImage image, Path mountPoint) throws IOException {
    checkFuse();
    Path dir = checkMountPoint(mountPoint);
    ImageFileSystem.Tree tree = ImageFileSystem.Tree.of(image);
    AccessLog accesses = new AccessLog();
    ImageFileSystem fs;
    try {
      fs = new ImageFileSystem(image, tree, accesses);
    } catch (LinkageError | RuntimeException e) {
      throw new FuseUnavailableException("libfuse 2 cannot be loaded (" + e + "): install it (Debian: "
          + "apt-get install libfuse2)", e);
    }
    String[] options = {"-o", "ro,use_ino,default_permissions,allow_other,kernel_cache,fsname=soci4j,subtype=soci4j,"
        + "entry_timeout=3600,attr_timeout=3600,negative_timeout=3600"};
    CompletableFuture<Integer> loop = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        fs.mount(dir, true, false, options); // returns when unmounted
        loop.complete(0);
      } catch (Throwable e) {
        loop.completeExceptionally(e);
      }
    }, "soci-fuse-" + dir.getFileName());
    t.setDaemon(true);
    t.start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MS);
    while (!MountTable.fuseMountedAt(dir)) {
      if (loop.isDone()) {
        throw new SociException("cannot mount at " + dir + ": libfuse's loop ended at once ("
            + failure(loop) + "); is it a directory this process may mount on?");
      }
      if (System.nanoTime() > deadline) {
        unmount(dir);
        throw new SociException("cannot mount at " + dir + ": not mounted after " + READY_MS / 1000 + " s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unmount(dir);
        throw new java.io.InterruptedIOException("interrupted while mounting at " + dir);
      }
    }
    return new SociMount(dir, loop, accesses);
  }

  private static String failure(CompletableFuture<Integer> loop) {
    try {
      return "returned " + loop.getNow(null);
    } catch (RuntimeException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      return c.getCause() != null ? c.getCause().toString() : c.toString();
    }
  }

  private static void checkFuse() throws FuseUnavailableException {
    Path dev = device();
    if (!Files.exists(dev)) {
      throw new FuseUnavailableException("FUSE is unavailable: there is no " + dev + "; load the fuse module "
          + "(modprobe fuse), or run the container with --device /dev/fuse --cap-add SYS_ADMIN");
    }
    if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
      throw new FuseUnavailableException("FUSE is unavailable: no permission to open " + dev + "; run as root "
          + "(or as a member of the group that owns it)");
    }
  }

  private static Path checkMountPoint(Path mountPoint) throws IOException {
    if (!Files.isDirectory(mountPoint, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(mountPoint)) {
      throw new java.nio.file.NotDirectoryException(mountPoint + ": the mount point must be an existing directory");
    }
    Path dir = mountPoint.toRealPath();
    if (MountTable.fuseMountedAt(dir)) {
      throw new java.nio.file.FileAlreadyExistsException(dir.toString(), null,
          "a FUSE file system is already mounted there; unmount it first (soci umount " + dir + ")");
    }
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new java.nio.file.DirectoryNotEmptyException(dir + ": the mount point must be empty");
      }
    }
    return dir;
  }

  /** {@return the directory the image is mounted at} */
  public Path mountPoint() {
    return mountPoint;
  }

  /** {@return the paths of the files opened through the mount, each once, in the order first opened} */
  public List<String> openedPaths() {
    return accesses.paths();
  }

  /**
   * Waits until the mount goes away: {@link #close}, {@code soci umount}, {@code fusermount -u} or
   * {@code umount} from anywhere.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitUnmounted() throws InterruptedException {
    try {
      loop.get();
    } catch (java.util.concurrent.ExecutionException e) {
      // ended with a failure: it is unmounted either way
    }
  }

  /**
   * @param directory a directory
   * @return whether a FUSE file system (this library's or another) is mounted there
   * @throws IOException when the directory's real path cannot be found
   */
  public static boolean mountedAt(Path directory) throws IOException {
    return MountTable.fuseMountedAt(directory.toRealPath());
  }

  /** {@return whether the mount is still there} */
  public boolean isMounted() {
    return !loop.isDone() && MountTable.fuseMountedAt(mountPoint);
  }

  /**
   * Unmounts (lazily when the mount is busy) and waits for libfuse's loop to end.
   *
   * @throws IOException when the mount is still there after that
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or will run
    }
    unmount(mountPoint);
    try {
      loop.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the FUSE loop at " + mountPoint + " did not end within 10 s of unmounting");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while unmounting " + mountPoint);
    } catch (java.util.concurrent.ExecutionException e) {
      // ended with a failure: unmounted either way
    }
    if (MountTable.fuseMountedAt(mountPoint)) {
      throw new IOException("still mounted at " + mountPoint + " after unmounting");
    }
  }

  private void unmountQuietly() {
    try {
      unmount(mountPoint);
    } catch (IOException e) {
      // shutting down: nothing more to do
    }
  }

  /**
   * Unmounts a FUSE mount: {@code fusermount -u}, then lazily ({@code -z}) if it is busy, then
   * {@code umount -l} where fusermount is missing.
   *
   * @param mountPoint where
   * @throws IOException when it is still mounted afterwards
   */
  public static void unmount(Path mountPoint) throws IOException {
    if (!MountTable.fuseMountedAt(mountPoint)) {
      return;
    }
    for (List<String> cmd : List.of(List.of("fusermount", "-u", mountPoint.toString()),
        List.of("fusermount", "-u", "-z", mountPoint.toString()), List.of("umount", "-l", mountPoint.toString()))) {
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !MountTable.fuseMountedAt(mountPoint)) {
          return;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not installed: the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (MountTable.fuseMountedAt(mountPoint)) {
      throw new IOException("cannot unmount " + mountPoint + ": fusermount -u and umount -l failed");
    }
  }
}
