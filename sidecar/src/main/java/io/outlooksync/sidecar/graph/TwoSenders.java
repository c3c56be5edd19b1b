package io.outlooksync.sidecar.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Sends one mailbox's batches with two threads taking them in turn. The mailbox's slots still let one batch at a
 * time reach Graph, but the next batch is built and waiting when the slots come back, and each reply is read
 * while the next batch is in flight: the four slots stay busy instead of idling through our own work.
 */
final class TwoSenders {
  static final int SENDERS = 2;

  private TwoSenders() {}

  /** Runs {@code send} for every batch index below {@code batches}; the first failure is thrown once all stopped. */
  static void run(int batches, IntConsumer send) {
    if (batches == 1) {
      send.accept(0);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS, r -> {
      Thread t = new Thread(r, "graph-batch-sender");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        running.add(senders.submit(() -> {
          for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
            send.accept(b);
          }
        }));
      }
      RuntimeException failure = null;
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          next.set(batches); // the other sender stops after its batch
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r : new GraphException("$batch: " + e.getCause(), 0, null, e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphUnavailableException("interrupted while sending batches", 0, null, e);
    } finally {
      senders.shutdownNow();
    }
  }
}
