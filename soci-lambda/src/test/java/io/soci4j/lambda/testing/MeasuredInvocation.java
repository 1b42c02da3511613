package io.soci4j.lambda.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.soci4j.lambda.IndexOnPush;
import io.soci4j.lambda.Settings;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * One invocation of the handler in a JVM of its own (started with the heap and CPUs to measure),
 * against a plain-HTTP registry, with a 15-minute Lambda deadline from its start. Prints the
 * handler's per-layer lines, then one last JSON line: {@code summary} (the handler's) and {@code
 * measured}: seconds, compressed bytes, MB/s, CPUs, maximum heap, peak heap used (the most in use
 * before any collection, or at the end), most live after a collection. Exit status 0 when indexed,
 * 1 otherwise.
 *
 * <p>Arguments: {@code REGISTRY REPOSITORY DIGEST TAG COMPRESSED_BYTES}.
 */
public final class MeasuredInvocation {
  private MeasuredInvocation() {}

  /**
   * @param args registry, repository, digest, tag, the image's compressed layer bytes
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    HeapWatch heap = HeapWatch.start();
    long compressed = Long.parseLong(args[4]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    IndexOnPush handler = new IndexOnPush(Settings.fromEnvironment(System.getenv()).withRegistry(args[0], true), out);
    long start = System.nanoTime();
    long deadline = System.currentTimeMillis() + 900_000;
    Map<String, Object> result = new LinkedHashMap<>();
    int status = 0;
    try {
      result.put("summary", handler.handle(TestImages.event("eu-west-1", args[1], args[2], args[3]),
          () -> deadline - System.currentTimeMillis()));
    } catch (java.io.IOException e) {
      result.put("summary", new ObjectMapper().readTree(e.getMessage()));
      status = 1;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    m.put("compressedBytes", compressed);
    m.put("MBps", Math.round(compressed / seconds / 1e5) / 10.0);
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
    m.put("peakHeapUsedMiB", heap.peakUsed() >> 20);
    m.put("peakLiveAfterGcMiB", heap.peakAfterGc() >> 20);
    result.put("measured", m);
    out.println(new ObjectMapper().writeValueAsString(result));
    System.exit(status);
  }

  /** The heap in use, from the collector's notifications: before and after each collection. */
  static final class HeapWatch {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();

    static HeapWatch start() {
      HeapWatch w = new HeapWatch();
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
          if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
          }
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
          w.peakUsed.accumulateAndGet(heapOf(info.getMemoryUsageBeforeGc()), Math::max);
          w.peakAfterGc.accumulateAndGet(heapOf(info.getMemoryUsageAfterGc()), Math::max);
        }, null, null);
      }
      return w;
    }

    private static long heapOf(Map<String, MemoryUsage> pools) {
      long used = 0;
      for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage u = pools.get(pool.getName());
        if (u != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
          used += u.getUsed();
        }
      }
      return used;
    }

    long peakUsed() {
      return Math.max(peakUsed.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }
  }
}
