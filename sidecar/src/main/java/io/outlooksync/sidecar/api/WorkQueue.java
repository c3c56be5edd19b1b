package io.outlooksync.sidecar.api;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Announced work waiting for the sync engine: bounded and in memory. Losing it on a restart is safe because
 * announcements only wake the engine early; its periodic delta round and Odoo watermark find every change
 * anyway. When full, new work is refused (and counted) rather than growing without bound.
 */
public final class WorkQueue {
  private final BlockingQueue<Work> queue;
  private final AtomicLong refused = new AtomicLong();

  public WorkQueue(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  public boolean offer(Work work) {
    if (queue.offer(work)) {
      return true;
    }
    refused.incrementAndGet();
    return false;
  }

  /** Next work item, or null after {@code wait}. */
  public Work poll(Duration wait) throws InterruptedException {
    return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Moves up to {@code max} waiting items into {@code into} without waiting; returns how many. */
  public int drainTo(java.util.Collection<? super Work> into, int max) {
    return queue.drainTo(into, max);
  }

  public int size() {
    return queue.size();
  }

  public int remainingCapacity() {
    return queue.remainingCapacity();
  }

  public long refused() {
    return refused.get();
  }
}
