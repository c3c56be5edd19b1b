package io.outlooksync.sidecar.bench;

import io.outlooksync.fixtures.m365.RequestLog;
import io.outlooksync.fixtures.m365.graph.StoredEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue #8's first figure: N new Odoo events pushed to one mailbox in one run, Graph at {@code --service-ms} per
 * request and 4 in flight. Bound: wall within 1.15 x N x service / 4, at most N / 20 + 10 HTTP requests
 * (260 for 5,000), no event twice in Outlook, and a second run that changes nothing.
 */
final class PushBench implements Benchmark {
  @Override
  public String describe() {
    return "push --events 5000 --service-ms 40: new Odoo events to one mailbox (wall, HTTP requests, duplicates)";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int n = o.integer("events", 5000);
    int serviceMs = o.integer("service-ms", 40);
    try (BenchWorld world = BenchWorld.start(1)) {
      BenchWorld.User user = world.user(0);
      seed(world, user, n);
      world.serviceMillis(serviceMs);
      world.m365.requestLog().clear();
      SyncRunner runner = world.runner();
      long started;
      java.time.Instant startedAt;
      SyncRunner.RunResult result;
      long heapMb;
      try (HeapWatch heap = HeapWatch.start()) {
        started = System.nanoTime();
        startedAt = java.time.Instant.now();
        result = runner.run(user.accountId(), "bench", false);
        heapMb = heap.peakAboveBaselineMb();
      }
      double wall = (System.nanoTime() - started) / 1e9;
      long requests = world.m365.requestLog().httpRequests(user.address());
      List<RequestLog.Entry> log = world.m365.requestLog().forMailbox(user.address());
      double stepMs = log.stream().filter(RequestLog.Entry::inBatch).mapToLong(RequestLog.Entry::millis).average().orElse(0);
      double batchMs = log.stream().filter(e -> e.path().contains("$batch")).mapToLong(RequestLog.Entry::millis).average().orElse(0);
      // When the first batch reached Graph: what gathering and planning cost before Outlook's writes began.
      double firstBatch = log.stream().filter(e -> e.path().contains("$batch")).findFirst()
          .map(e -> java.time.Duration.between(startedAt, e.at()).toMillis() / 1000.0).orElse(-1.0);
      int created = result.counts().getOrDefault("CreateInOutlook", 0);
      Map<String, Integer> bySubject = new HashMap<>();
      for (StoredEvent e : world.m365.mailbox(user.address()).storedEvents()) {
        if (!e.isCancelled()) {
          bySubject.merge(e.subject(), 1, Integer::sum);
        }
      }
      long duplicates = bySubject.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
      world.m365.requestLog().clear();
      SyncRunner.RunResult again = runner.run(user.accountId(), "bench", false);
      double bound = n * serviceMs / 4.0 / 1000;
      return new Figures("push " + n + " new Odoo events to one mailbox (--service-ms " + serviceMs + ")")
          .add("events created in Outlook", created)
          .atMost("run errors", result.errors().size(), 0, "")
          .atMost("wall", wall, bound * 1.15, " s")
          .add("wall / bound (" + Figures.format(bound) + " s)", wall / bound)
          .add("first Outlook batch sent after, s", firstBatch)
          .add("mean time Graph spent on a batch step / on a whole batch, ms", Figures.format(stepMs) + " / " + Figures.format(batchMs))
          .atMost("HTTP requests to Graph", requests, n / 20.0 + 10, "")
          .atMost("duplicates in Outlook", duplicates, 0, "")
          .atLeast("events in Outlook", bySubject.size(), n, "")
          .add("peak heap in use after GC above the start, MB (emulators in the same JVM)", heapMb)
          .atMost("changes planned by a second run", again.changes(), 0, "")
          .add("HTTP requests of the second run", world.m365.requestLog().httpRequests(user.address()));
    }
  }

  /** N one-hour events the user organizes, an hour apart from tomorrow on, made in a few bulk creates. */
  static void seed(BenchWorld world, BenchWorld.User user, int n) {
    Instant first = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS);
    List<OdooEventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant start = first.plus(i, ChronoUnit.HOURS);
      drafts.add(OdooEventDraft.timed("Push " + i, start, start.plus(1, ChronoUnit.HOURS)).withOrganizer(user.uid())
          .withPartners(List.of(user.partnerId())));
      if (drafts.size() == 500 || i == n - 1) {
        world.odoo.createEvents(drafts);
        drafts.clear();
      }
    }
  }
}
