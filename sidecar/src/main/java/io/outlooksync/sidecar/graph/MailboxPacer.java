package io.outlooksync.sidecar.graph;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Outlook allows 4 requests in flight per app and mailbox; a fifth gets 429. Every gateway call of one mailbox
 * takes its slots here first. A {@code $batch} takes one slot per step Graph may run at once (up to 4), since
 * Outlook runs that many of its steps in parallel. Each call also takes its requests (one per batch step) from
 * the mailbox's {@link RequestBudget}, so a long run slows down before Outlook's 10-minute budget runs out.
 */
final class MailboxPacer {
  static final int SLOTS = 4;
  static final int BUDGET = 10_000;
  static final Duration BUDGET_WINDOW = Duration.ofMinutes(10);

  private final Semaphore slots = new Semaphore(SLOTS, true);
  private final RequestBudget budget;

  MailboxPacer() {
    this(new RequestBudget(BUDGET, BUDGET_WINDOW, System::nanoTime));
  }

  MailboxPacer(RequestBudget budget) {
    this.budget = budget;
  }

  /** A held set of slots; closing gives them back. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Slots for one request, or for a batch of {@code requests} steps; waits for room in the budget first. */
  Held acquire(int requests) {
    int n = Math.max(1, Math.min(SLOTS, requests));
    try {
      budget.take(Math.max(1, requests));
      slots.acquire(n);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphUnavailableException("interrupted while waiting for a mailbox slot", 0, null, e);
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        slots.release(n);
      }
    };
  }

  int available() {
    return slots.availablePermits();
  }

  int budgetUsed() {
    return budget.used();
  }
}
