package io.outlooksync.sidecar.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap a stretch of work keeps alive: after every garbage collection during the watch, the heap still in use,
 * and the highest of those. Used heap sampled at random moments mostly measures garbage; after a collection it is
 * what is reachable. The baseline is taken after a full collection at the start.
 */
final class HeapWatch implements AutoCloseable {
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final long baseline;
  private final long allocatedAtStart = allocatedByThisThread();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = (n, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
      peak.accumulateAndGet(used, Math::max);
      collections.incrementAndGet();
    }
  };

  private HeapWatch() {
    System.gc();
    baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
  }

  static HeapWatch start() {
    return new HeapWatch();
  }

  long baselineMb() {
    return baseline >> 20;
  }

  /** The highest heap in use after a collection during the watch, above the baseline; 0 if nothing was collected. */
  long peakAboveBaselineMb() {
    return Math.max(0, peak.get() - baseline) >> 20;
  }

  long collections() {
    return collections.get();
  }

  /** Bytes the watching thread allocated since the start (garbage included): the run's work, not its footprint. */
  double allocatedMb() {
    return (allocatedByThisThread() - allocatedAtStart) / 1048576.0;
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // Already gone.
      }
    }
  }
}
