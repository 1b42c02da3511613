package io.soci4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Heap measurements for the harnesses: bytes in use and peak bytes summed over the JVM's heap
 * pools (a sum of per-pool peaks is an upper bound of the true peak, since pools peak at
 * different times).
 */
final class HeapPools {
  private HeapPools() {}

  static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  /** @return heap bytes in use now */
  static long used() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getUsage().getUsed();
      }
    }
    return sum;
  }

  /** Starts a new peak measurement. */
  static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** @return the sum of the heap pools' peaks since {@link #resetPeaks()} */
  static long peakSum() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
