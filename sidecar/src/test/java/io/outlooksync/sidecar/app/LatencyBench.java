package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.m365.graph.ChangeKind;
import io.outlooksync.fixtures.m365.graph.StoredEvent;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.sidecar.bench.BenchOptions;
import io.outlooksync.sidecar.bench.Benchmark;
import io.outlooksync.sidecar.bench.Figures;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEventDraft;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import io.outlooksync.sidecar.sync.ScheduleSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue #8's change latency with notifications, both ways, on a real sidecar process ({@code Main serve}, embedded
 * store) whose {@code public_base_url} is its own loopback address: the Graph emulator subscribes it and posts
 * change notifications to it. An edit in Outlook is a user's PATCH through Graph (another app's token, as Outlook
 * itself); an edit in Odoo is an XML-RPC write followed by the addon's after-commit announcement
 * ({@code POST /api/events/changed}, signed). Each latency runs from just before the edit is sent to the moment the
 * change is seen on the other side (the Graph emulator's change listener; the Odoo emulator read every 20 ms).
 * Edits go round the users, one every {@code --gap-ms}, never to a user whose previous edit has not arrived (so
 * no two edits share a run). The journal then splits each latency into the wait before its run and the run.
 */
public final class LatencyBench implements Benchmark {
  private static final String CLIENT_ID = "3c1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c50";
  private static final String CLIENT_SECRET = "latency-bench-secret";
  private static final String SHARED = "latency-bench-shared-secret-0123456789";
  private static final String PREFIX = "lat ";

  /** One edit: which user, when it was sent, when it was seen on the other side (null: not yet). */
  private record Edit(String title, int user, Instant sent) {}

  @Override
  public String describe() {
    return "latency --users 10 --edits 100 --service-ms 40 --gap-ms 300: change latency Outlook->Odoo and Odoo->Outlook "
        + "with notifications, p50/p95/max";
  }

  @Override
  public Figures run(BenchOptions o) throws Exception {
    int n = o.integer("users", 10);
    int edits = o.integer("edits", 100);
    int serviceMs = o.integer("service-ms", 40);
    int gapMs = o.integer("gap-ms", 300);
    int events = o.integer("events", 3);
    Path dir = Files.createTempDirectory("outlook-sync-bench-latency");
    BenchUsers people = BenchUsers.of(n);
    String keys = SecretBox.newKeyLine("k1");
    Map<String, Instant> arrived = new ConcurrentHashMap<>();
    try (M365Emulator m365 = M365Emulator.builder().mailboxes(people.addresses()).app(CLIENT_ID, CLIENT_SECRET)
        .app(TestLogin.CLIENT_ID, TestLogin.SECRET).start();
         OdooEmulator odooEmulator = people.odoo().build().start()) {
      XmlRpcOdooGateway odoo = people.seed(odooEmulator, events);
      Map<String, String> env = people.sidecarEnv(m365, odooEmulator, dir, CLIENT_ID, CLIENT_SECRET, SHARED);
      env.put("OUTLOOK_SYNC_SECRET_KEYS", keys);
      List<Edit> outlookToOdoo = new ArrayList<>();
      List<Edit> odooToOutlook = new ArrayList<>();
      Thread odooWatch = null;
      try (ServeProcess sidecar = ServeProcess.start(env, List.of("-Xmx512m"), SHARED, dir.resolve("sidecar.log"))) {
        for (int i = 0; i < n; i++) {
          sidecar.signIn(m365, BenchUsers.DB, people.uid(odooEmulator, i), people.login(i), people.address(i));
          sidecar.syncNow(BenchUsers.DB, people.uid(odooEmulator, i));
        }
        String self = "http://127.0.0.1:" + sidecar.port;
        ServeProcess.expect200(sidecar.api.post("/api/configure", "{\"public_base_url\": \"" + self + "\"}"), "public_base_url");
        awaitTrue(() -> m365.subscriptions().list().size() == n, Duration.ofSeconds(90), "a subscription per user" + sidecar.tail(10));
        settle(sidecar);

        m365.directory().addListener((mailbox, event, kind) -> {
          if (kind != ChangeKind.DELETED && event.subject() != null && event.subject().startsWith(PREFIX + "d2o ")) {
            arrived.putIfAbsent(event.subject(), Instant.now());
          }
        });
        odooWatch = watchOdoo(odooEmulator, arrived);
        m365.controls().serviceMillis(serviceMs);

        List<GraphGateway> outlooks = people.userOutlooks(m365);
        for (int i = 0; i < edits; i++) {
          int u = i % n;
          awaitPrevious(outlookToOdoo, u, arrived);
          List<StoredEvent> mine = m365.mailbox(people.address(u)).storedEvents();
          StoredEvent target = mine.get((i / n) % mine.size());
          String title = PREFIX + "o2d " + i;
          Instant sent = Instant.now();
          GraphEventDraft draft = GraphEventDraft.timed(title, target.startInstant(), target.endInstant(), ZoneId.of("UTC"));
          if (!outlooks.get(u).write(List.of(new GraphWrite.Update(target.immutableId(), draft, Set.of(GraphEventDraft.Field.SUBJECT),
              null))).get(0).done()) {
            throw new IllegalStateException("the Outlook edit " + title + " failed");
          }
          outlookToOdoo.add(new Edit(title, u, sent));
          Thread.sleep(gapMs);
        }
        awaitAll(outlookToOdoo, arrived);
        settle(sidecar);

        for (int i = 0; i < edits; i++) {
          int u = i % n;
          awaitPrevious(odooToOutlook, u, arrived);
          List<Long> mine = people.seededIds(u);
          long id = mine.get((i / n) % mine.size());
          String title = PREFIX + "d2o " + i;
          Instant sent = Instant.now();
          odoo.writeEvents(Map.of(id, EventChanges.of().name(title)));
          ApiClient.Reply announced = sidecar.api.post("/api/events/changed",
              "{\"db\": \"" + BenchUsers.DB + "\", \"model\": \"calendar.event\", \"ids\": [" + id + "]}");
          if (announced.status() != 202) {
            throw new IllegalStateException("announcement refused: " + announced.status() + " " + announced.body());
          }
          odooToOutlook.add(new Edit(title, u, sent));
          Thread.sleep(gapMs);
        }
        awaitAll(odooToOutlook, arrived);
      } finally {
        if (odooWatch != null) {
          odooWatch.interrupt();
          odooWatch.join(2000);
        }
      }
      // The sidecar has stopped: its journal says when each edit's run started and how long it took.
      try (Store store = Store.readOnly(Database.embeddedReadOnly(dir.resolve("data")), Clock.systemUTC())) {
        List<List<SyncRun>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long account = store.accounts().find(BenchUsers.DB, people.uid(odooEmulator, i)).orElseThrow().id();
          runs.add(store.syncRuns().recent(account, 10_000).stream().filter(r -> !r.dryRun() && r.finishedAt() != null)
              .sorted((a, b) -> a.startedAt().compareTo(b.startedAt())).toList());
        }
        Figures f = new Figures("change latency with notifications, " + n + " users, " + edits + " edits each way, Graph service time "
            + serviceMs + " ms");
        direction(f, "Outlook -> Odoo", outlookToOdoo, arrived, runs);
        direction(f, "Odoo -> Outlook", odooToOutlook, arrived, runs);
        return f.note("Each latency runs from just before the edit is sent (the user's Graph PATCH, or the Odoo write that the "
                + "announcement follows) to the change seen on the other side. \"wait\" is edit to the start of the run that "
                + "carried it (notification delivery, the scheduler's quiet of " + ScheduleSettings.QUIET.toMillis()
                + " ms, " + ScheduleSettings.BURST_QUIET.toMillis() + " ms in a burst, the end of a run under way, a free worker); "
                + "\"run\" is that run's duration in the journal.")
            .note("The sidecar is one `Main serve` process (-Xmx512m, embedded HSQLDB); the emulators and this driver share "
                + "one other JVM on the same machine.");
      }
    } finally {
      BenchUsers.delete(dir);
    }
  }

  private static void direction(Figures f, String name, List<Edit> edits, Map<String, Instant> arrived, List<List<SyncRun>> runs) {
    List<Long> latencies = new ArrayList<>();
    List<Long> waits = new ArrayList<>();
    List<Long> durations = new ArrayList<>();
    int lost = 0;
    for (Edit e : edits) {
      Instant at = arrived.get(e.title());
      if (at == null) {
        lost++;
        continue;
      }
      latencies.add(Duration.between(e.sent(), at).toMillis());
      for (SyncRun r : runs.get(e.user())) {
        if (!r.startedAt().isBefore(e.sent()) && !r.finishedAt().isBefore(at.minusMillis(50))) {
          waits.add(Duration.between(e.sent(), r.startedAt()).toMillis());
          durations.add(Duration.between(r.startedAt(), r.finishedAt()).toMillis());
          break;
        }
      }
    }
    f.add(name + ": edits arrived / sent", latencies.size() + " / " + edits.size());
    f.add(name + ": p50 latency, ms", percentile(latencies, 50));
    f.atMost(name + ": p95 latency", percentile(latencies, 95) / 1000.0, 2, " s");
    f.add(name + ": max latency, ms", percentile(latencies, 100));
    f.add(name + ": wait before the run p50 / p95, ms", percentile(waits, 50) + " / " + percentile(waits, 95));
    f.add(name + ": the run p50 / p95, ms", percentile(durations, 50) + " / " + percentile(durations, 95));
    if (lost > 0) {
      f.atMost(name + ": edits that never arrived", lost, 0, "");
    }
  }

  /** Nearest-rank percentile; -1 for no values. */
  static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** Reads every event name in the Odoo emulator every 20 ms; the first sighting of a title is its arrival. */
  private static Thread watchOdoo(OdooEmulator odoo, Map<String, Instant> arrived) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        List<Object> names = odoo.database().sudo(env -> {
          var orm = env.orm();
          return orm.read("calendar.event", orm.search("calendar.event", List.of(), 0, null, null), List.of("name")).stream()
              .map(row -> row.get("name")).toList();
        });
        Instant now = Instant.now();
        for (Object name : names) {
          if (name instanceof String s && s.startsWith(PREFIX + "o2d ")) {
            arrived.putIfAbsent(s, now);
          }
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "odoo-watch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits until the last edit sent to {@code user} has arrived (60 s at most: then it counts as lost). */
  private static void awaitPrevious(List<Edit> sent, int user, Map<String, Instant> arrived) throws InterruptedException {
    for (int i = sent.size() - 1; i >= 0; i--) {
      Edit e = sent.get(i);
      if (e.user() == user) {
        awaitTrue(() -> arrived.containsKey(e.title()) || Duration.between(e.sent(), Instant.now()).toSeconds() > 60,
            Duration.ofSeconds(70), e.title());
        return;
      }
    }
  }

  private static void awaitAll(List<Edit> sent, Map<String, Instant> arrived) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until && !sent.stream().allMatch(e -> arrived.containsKey(e.title()))) {
      Thread.sleep(50);
    }
  }

  /** Waits until the sidecar has been idle for 4 s: the runs that echo its own writes are over. */
  private static void settle(ServeProcess sidecar) throws Exception {
    double last = -1;
    int still = 0;
    long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (still < 8 && System.nanoTime() < until) {
      double started = sidecar.metric("outlook_sync_runs_started_total");
      boolean idle = sidecar.metric("outlook_sync_runs_in_progress") == 0 && sidecar.metric("outlook_sync_accounts_due") == 0;
      still = idle && started == last ? still + 1 : 0;
      last = started;
      Thread.sleep(500);
    }
  }

  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  static void awaitTrue(Condition c, Duration limit, String what) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    try {
      while (!c.holds()) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException("waited " + limit.toSeconds() + " s for: " + what);
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(what, e);
    }
  }
}
