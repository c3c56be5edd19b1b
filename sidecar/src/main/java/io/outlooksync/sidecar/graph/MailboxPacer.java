package io.outlooksync.sidecar.graph;

import java.util.concurrent.Semaphore;

/**
 * Outlook allows 4 requests in flight per app and mailbox; a fifth gets 429. Every gateway call of one mailbox
 * takes its slots here first. A {@code $batch} takes one slot per step Graph may run at once (up to 4), since
 * Outlook runs that many of its steps in parallel.
 */
final class MailboxPacer {
  static final int SLOTS = 4;

  private final Semaphore slots = new Semaphore(SLOTS, true);

  /** A held set of slots; closing gives them back. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  Held acquire(int wanted) {
    int n = Math.max(1, Math.min(SLOTS, wanted));
    try {
      slots.acquire(n);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphUnavailableException("interrupted while waiting for a mailbox slot", 0, null, e);
    }
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        slots.release(n);
      }
    };
  }

  int available() {
    return slots.availablePermits();
  }
}
