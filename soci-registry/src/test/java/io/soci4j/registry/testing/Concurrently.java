package io.soci4j.registry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs tasks on many threads released at once, and rethrows the first failure. */
public final class Concurrently {
  private Concurrently() {}

  /** A task that gets its thread number. */
  @FunctionalInterface
  public interface Task {
    /**
     * @param thread 0 to threads-1
     * @throws Exception on failure
     */
    void run(int thread) throws Exception;
  }

  /**
   * @param threads how many threads
   * @param task what each runs
   * @throws Exception the first failure, with the others suppressed
   */
  public static void run(int threads, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        futures.add(pool.submit(() -> {
          start.await();
          task.run(n);
          return null;
        }));
      }
      start.countDown();
      Exception first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Exception cause = e.getCause() instanceof Exception ex ? ex : e;
          if (first == null) {
            first = cause;
          } else {
            first.addSuppressed(cause);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
