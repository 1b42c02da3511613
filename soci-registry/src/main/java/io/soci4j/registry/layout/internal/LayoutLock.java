package io.soci4j.registry.layout.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion for read-modify-write of one layout's {@code index.json}, across threads and
 * processes: a JVM-wide {@link ReentrantLock} per layout directory, then an exclusive
 * {@link FileLock} on a lock file in the layout.
 *
 * <p>The JVM-wide table is static on purpose: file locks belong to the whole process, so two
 * stores opened on the same directory in one JVM must queue on the same in-memory lock before
 * taking the file lock (a second {@code FileChannel.lock} from the same process throws
 * {@code OverlappingFileLockException}). The lock file is never deleted; deleting it would let
 * two processes lock different files of the same name.
 */
public final class LayoutLock {
  /** Name of the lock file in the layout directory. */
  public static final String FILE_NAME = "index.json.lock";

  private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private final ReentrantLock inJvm;
  private final Path lockFile;

  /**
   * @param layoutRoot the layout directory, in its real (canonical) form so that every store on
   *     it shares one lock
   */
  public LayoutLock(Path layoutRoot) {
    this.inJvm = IN_JVM.computeIfAbsent(layoutRoot, p -> new ReentrantLock());
    this.lockFile = layoutRoot.resolve(FILE_NAME);
  }

  /** Work done while holding the lock. */
  @FunctionalInterface
  public interface Locked<T> {
    /**
     * @return the result
     * @throws IOException on failure
     */
    T run() throws IOException;
  }

  /**
   * Runs {@code work} holding both locks; blocks until they are free. Not reentrant: {@code work}
   * must not call this again.
   *
   * @param work what to do
   * @param <T> its result type
   * @return its result
   * @throws IOException when locking fails or {@code work} throws
   */
  public <T> T with(Locked<T> work) throws IOException {
    inJvm.lock();
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock held = ch.lock();
      try {
        return work.run();
      } finally {
        held.release();
      }
    } finally {
      inJvm.unlock();
    }
  }
}
