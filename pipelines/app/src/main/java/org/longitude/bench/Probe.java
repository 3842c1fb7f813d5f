package org.longitude.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Wall time, process CPU time and heap around one measured run. Peak heap is the sum of
 * the heap pools' peaks since the reset (each pool peaks at its own moment, so the sum is an
 * upper bound of the true peak; it includes garbage, so it follows how far the collector lets
 * the heap fill). Peak heap after GC is the most heap in use right after any collection during
 * the run: closer to what the run keeps alive (still counting old garbage not yet marked).
 * CPU time is the whole process's (GC and JIT included).
 */
final class Probe {
  private final List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Set<String> heapPools = heap.stream().map(MemoryPoolMXBean::getName)
      .collect(Collectors.toSet());
  private final List<NotificationEmitter> collectors = ManagementFactory
      .getGarbageCollectorMXBeans().stream().filter(NotificationEmitter.class::isInstance)
      .map(NotificationEmitter.class::cast).toList();
  private final AtomicLong afterGcPeak = new AtomicLong();
  /** Records the heap in use after each collection, while a run is measured. */
  private final NotificationListener afterGc = (notification, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      Map<String, MemoryUsage> usage = GarbageCollectionNotificationInfo.from(
          (CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageAfterGc();
      long used = usage.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
          .mapToLong(e -> e.getValue().getUsed()).sum();
      afterGcPeak.accumulateAndGet(used, Math::max);
    }
  };
  private long startNanos;
  private long startCpu;

  /** One measured run. */
  record Sample(double wallSeconds, double cpuSeconds, long peakHeapBytes,
      long peakHeapAfterGcBytes) {}

  void start() {
    System.gc(); // start every run from the same floor, so one run's garbage is not the next's
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    afterGcPeak.set(usedHeapBytes());
    collectors.forEach(c -> c.addNotificationListener(afterGc, null, null));
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
    for (NotificationEmitter c : collectors) {
      try {
        c.removeNotificationListener(afterGc);
      } catch (ListenerNotFoundException e) {
        throw new IllegalStateException("stop() without start()", e);
      }
    }
    return new Sample(wall / 1e9, cpu / 1e9, peakHeapBytes(), afterGcPeak.get());
  }
}
