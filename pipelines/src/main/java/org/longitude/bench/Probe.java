package org.longitude.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Wall time, process CPU time and peak heap around one measured run. Peak heap is the sum of
 * the heap pools' peaks since the reset (each pool peaks at its own moment, so the sum is an
 * upper bound of the true peak); CPU time is the whole process's (GC and JIT included).
 */
final class Probe {
  private final List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startNanos;
  private long startCpu;

  /** One measured run. */
  record Sample(double wallSeconds, double cpuSeconds, long peakHeapBytes) {}

  void start() {
    System.gc(); // start every run from the same floor, so one run's garbage is not the next's
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    startCpu = os.getProcessCpuTime();
    startNanos = System.nanoTime();
  }

  /** Sum of the heap pools' peaks since {@link #start()}, read without stopping the run. */
  long peakHeapBytes() {
    return heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  /** Heap in use now: right after {@link #start()} or another full GC, the live set. */
  long usedHeapBytes() {
    return heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  Sample stop() {
    long wall = System.nanoTime() - startNanos;
    long cpu = os.getProcessCpuTime() - startCpu;
    return new Sample(wall / 1e9, cpu / 1e9, peakHeapBytes());
  }
}
