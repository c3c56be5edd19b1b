package io.outlooksync.sidecar.bench;

import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphEventDraft;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.RecurrenceMapping;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue #8's import figure: a mailbox holding N Outlook events, 20 of them weekly series, brought into Odoo by
 * one run (the first sync), Graph at {@code --service-ms} per request. Reports events per second, Odoo calls,
 * Graph requests, duplicates and what a second run still finds to do.
 */
final class ImportBench implements Benchmark {
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

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
      seed(world, user, n - series, series);
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
      for (OdooEvent e : world.odoo.eventsOfUserChangedSince(user.partnerId(), user.uid(), Instant.EPOCH, 0, n * 2).items()) {
        byName.merge(e.name(), 1, Integer::sum);
      }
      long duplicates = byName.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
      SyncRunner.RunResult again = runner.run(user.accountId(), "bench", false);
      Figures f = new Figures("import " + n + " Outlook events (" + series + " of them weekly series) into Odoo, emulated (--service-ms "
          + serviceMs + ")")
          .add("single events created in Odoo", created)
          .add("series occurrences skipped (series sync pending)", result.counts().getOrDefault("Skip", 0))
          .atMost("run errors", result.errors().size(), 0, "")
          .add("wall, s", wall)
          .add("events per second", created / wall)
          .add("Odoo calls (XML-RPC)", odooCalls)
          .add("HTTP requests to Graph", graphRequests)
          .atMost("duplicates in Odoo", duplicates, 0, "")
          .add("peak heap in use after GC above the start, MB (emulators in the same JVM)", heapMb)
          .atMost("changes planned by a second run", again.plan().changes(), 0, "");
      return f.note("Series are created in Outlook and skipped by the run: the runner does not sync series yet.");
    }
  }

  /** Single half-hour events an hour apart from tomorrow, and weekly series of ten, written in $batches at full speed. */
  static void seed(BenchWorld world, BenchWorld.User user, int singles, int series) {
    Instant first = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(7, ChronoUnit.HOURS);
    List<GraphWrite> writes = new ArrayList<>();
    for (int i = 0; i < singles; i++) {
      Instant start = first.plus(i, ChronoUnit.HOURS);
      CalEvent c = new CalEvent("Import " + i, When.timed(start, start.plus(30, ChronoUnit.MINUTES), BRUSSELS), null, null, null, null,
          null, null, null, null);
      writes.add(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "seed-" + i));
    }
    LocalDate monday = LocalDate.now(BRUSSELS).plusWeeks(1).with(DayOfWeek.MONDAY);
    for (int s = 0; s < series; s++) {
      LocalDate day = monday.plusDays(s % 5);
      Recurrence weekly = new Recurrence(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(day.getDayOfWeek()), null, 0, null, 0, null,
          day, Recurrence.End.COUNT, null, 10, BRUSSELS);
      Instant start = day.atTime(6 + s % 4, 0).atZone(BRUSSELS).toInstant();
      GraphEventDraft draft = GraphEventDraft.timed("Series " + s, start, start.plus(45, ChronoUnit.MINUTES), BRUSSELS)
          .withRecurrence(RecurrenceMapping.write(weekly).value());
      writes.add(new GraphWrite.Create(draft, "seed-series-" + s));
    }
    for (WriteResult r : user.outlook().write(writes)) {
      if (!r.done()) {
        throw new IllegalStateException("seeding Outlook failed: " + r);
      }
    }
  }
}
