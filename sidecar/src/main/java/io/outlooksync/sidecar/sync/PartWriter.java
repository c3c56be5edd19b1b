package io.outlooksync.sidecar.sync;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Carries out a run's parts in order on a thread of its own, so that the run plans the next part while Outlook and
 * Odoo take this one's writes (docs/sync.md, "Page by page"). A part that fails in the sidecar itself (the store, a
 * bug) stops the ones after it, and its failure reaches the run at the next {@link #settle}.
 */
final class PartWriter implements AutoCloseable {
  /** One part's writes. */
  @FunctionalInterface
  interface Work {
    void run() throws SQLException;
  }

  private record InFlight(Set<Long> odooIds, Future<?> done) {}

  private final ExecutorService thread;
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  private volatile Throwable broken;

  PartWriter(String threadName) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues a part; {@code odooIds}: its Odoo events, which a later part must not look up before it is written. */
  void submit(Set<Long> odooIds, Work work) throws SQLException {
    // One part written while one waits: the run plans at most one part ahead, so it holds at most three at once.
    while (inFlight.size() > 1) {
      await(inFlight.peek());
      inFlight.remove();
    }
    rethrow();
    inFlight.add(new InFlight(odooIds, thread.submit(() -> {
      if (broken != null) {
        return;
      }
      try {
        work.run();
      } catch (SQLException | RuntimeException | Error e) {
        broken = e;
      }
    })));
  }

  /** Waits for the parts in flight when one of them holds one of {@code odooIds} (a page brought it again). */
  void settleIfTouching(Collection<Long> odooIds) throws SQLException {
    for (InFlight f : inFlight) {
      for (Long id : odooIds) {
        if (f.odooIds().contains(id)) {
          settle();
          return;
        }
      }
    }
    rethrow();
  }

  /** Waits until every queued part is written; rethrows what stopped one. */
  void settle() throws SQLException {
    while (!inFlight.isEmpty()) {
      await(inFlight.peek());
      inFlight.remove();
    }
    rethrow();
  }

  private void await(InFlight f) {
    try {
      f.done().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a part was written", e);
    } catch (ExecutionException e) {
      broken = e.getCause();
    }
  }

  private void rethrow() throws SQLException {
    Throwable t = broken;
    if (t instanceof SQLException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  /** No interrupt: a part under way may be inside the store's file I/O (docs/sync.md, "Shutdown"). */
  @Override
  public void close() {
    thread.shutdown();
  }
}
