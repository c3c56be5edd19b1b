package io.outlooksync.sidecar.bench;

import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Issue #8's import figure: a mailbox holding N Outlook events, 20 of them weekly series, brought into Odoo by
 * one run (the first sync), Graph at {@code --service-ms} per request. Reports events per second, Odoo calls,
 * Graph requests, duplicates and what a second run still finds to do.
 */
final class ImportBench implements Benchmark {
  @Override
  public String describe() {
    return "import --events 5000 --series 20 --service-ms 40: Outlook events into Odoo (the emulator) in one run";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int n = o.integer("events", 5000);
    int series = o.integer("series", 20);
    int serviceMs = o.integer("service-ms", 40);
    try (BenchWorld world = BenchWorld.start(1)) {
      BenchWorld.User user = world.user(0);
      world.seedOutlook(user, outlook -> ImportSeed.seed(outlook, n - series, series));
      world.serviceMillis(serviceMs);
      world.m365.requestLog().clear();
      world.odooEmulator.calls().clear();
      SyncRunner runner = world.runner();
      SyncRunner.RunResult result;
      double wall;
      long heapMb;
      try (HeapWatch heap = HeapWatch.start()) {
        long started = System.nanoTime();
        result = runner.run(user.accountId(), "bench", false);
        wall = (System.nanoTime() - started) / 1e9;
        heapMb = heap.peakAboveBaselineMb();
      }
      int created = result.counts().getOrDefault("CreateInOdoo", 0);
      long graphRequests = world.m365.requestLog().httpRequests(user.address());
      int odooCalls = world.odooEmulator.calls().calls().size();
      Map<String, Integer> byName = new HashMap<>();
      java.util.Set<Long> seriesInOdoo = new java.util.HashSet<>();
      for (OdooEvent e : world.odoo.eventsOfUserChangedSince(user.partnerId(), user.uid(), Instant.EPOCH, 0, n * 2).items()) {
        if (e.recurrenceId() == null) {
          byName.merge(e.name(), 1, Integer::sum); // a series' occurrences share its name
        } else {
          seriesInOdoo.add(e.recurrenceId());
        }
      }
      long duplicates = byName.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
      SyncRunner.RunResult again = runner.run(user.accountId(), "bench", false);
      Figures f = new Figures("import " + n + " Outlook events (" + series + " of them weekly series) into Odoo, emulated (--service-ms "
          + serviceMs + ")")
          .add("single events created in Odoo", created)
          .add("series created in Odoo (recurrences holding events)", result.counts().getOrDefault("CreateSeriesInOdoo", 0)
              + " (" + seriesInOdoo.size() + ")")
          .add("items skipped", result.counts().getOrDefault("Skip", 0))
          .atMost("run errors", result.errors().size(), 0, "")
          .add("wall, s", wall)
          .add("events per second", created / wall)
          .add("Odoo calls (XML-RPC)", odooCalls)
          .add("HTTP requests to Graph", graphRequests)
          .atMost("duplicates in Odoo (single events)", duplicates, 0, "")
          .add("peak heap in use after GC above the start, MB (emulators in the same JVM)", heapMb)
          .atMost("changes planned by a second run", again.changes(), 0, "");
      return f;
    }
  }
}
