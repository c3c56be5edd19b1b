package io.outlooksync.sidecar.bench;

import io.outlooksync.sidecar.sync.SyncRunner;

/**
 * Heap a run keeps alive as the calendar grows: for each size, a mailbox of N events imported into Odoo by a
 * first run, then a run with nothing changed. Each figure is the highest heap in use after a collection during
 * the run, above what was in use (after a full collection) before it (0 when no collection happened); the
 * emulators' data is already in that baseline, the run's own structures and the emulators' replies are not. Also
 * what the run's thread allocated, garbage included.
 */
final class MemoryBench implements Benchmark {
  @Override
  public String describe() {
    return "memory --sizes 5000,20000: heap of a first sync and of an idle run as the calendar grows";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    Figures f = new Figures("heap of a run as the calendar grows (Outlook events imported into the emulated Odoo)");
    for (String size : o.text("sizes", "5000,20000").split(",")) {
      int n = Integer.parseInt(size.trim());
      try (BenchWorld world = BenchWorld.start(1)) {
        BenchWorld.User user = world.user(0);
        world.seedOutlook(user, outlook -> ImportSeed.seed(outlook, n, 0));
        SyncRunner runner = world.runner();
        Object[] first = heapOf(runner, user);
        runner.run(user.accountId(), "bench settle", false);
        Object[] idle = heapOf(runner, user);
        f.add(n + " events: first sync, heap in use above the start, MB (collections)", first[0] + " (" + first[2] + ")")
            .add(n + " events: first sync, allocated by the run's thread, MB", first[1])
            .add(n + " events: idle run, heap in use above the start, MB (collections)", idle[0] + " (" + idle[2] + ")")
            .add(n + " events: idle run, allocated by the run's thread, MB", idle[1]);
      }
    }
    return f.note("A run plans and writes Odoo's changes a page at a time; a first sync's new Outlook events are held until "
        + "the last part (look-alikes), which creates them in Odoo 500 at a time. Allocation counts the run's own thread, "
        + "not its Odoo page reader or its writer thread.");
  }

  /** Peak heap in use above the start, MB allocated, and collections seen, of one run. */
  private static Object[] heapOf(SyncRunner runner, BenchWorld.User user) throws Exception {
    try (HeapWatch heap = HeapWatch.start()) {
      SyncRunner.RunResult r = runner.run(user.accountId(), "bench", false);
      if (!r.succeeded()) {
        throw new IllegalStateException("the run failed: " + r.errors());
      }
      return new Object[] {heap.peakAboveBaselineMb(), heap.allocatedMb(), heap.collections()};
    }
  }
}
