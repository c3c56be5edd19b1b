package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.SyncRun;
import io.outlooksync.sidecar.sync.EmulatedAccount;
import io.outlooksync.sidecar.sync.ScheduleSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole sidecar syncing by itself: the addon's announcements over the signed API and Graph's change
 * notifications (a real subscription in the Microsoft 365 emulator, delivered to the sidecar's webhook) start
 * runs, with the default debouncing (300 ms quiet, 2 s in a burst) and the default 15-minute fallback.
 */
class SchedulingTest {
  static final String CLIENT_ID = "3c1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  static final String CLIENT_SECRET = "client-secret-for-the-scheduling-test";
  static final String SHARED = "shared-secret-for-the-scheduling-test";
  static final Duration WAIT = Duration.ofSeconds(40);

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder()
      .mailboxes("alice@example.com", "bob@example.com").app(CLIENT_ID, CLIENT_SECRET));

  @TempDir
  Path dataDir;
  EmulatedSidecar emulated;
  OdooEmulator odooEmulator;
  XmlRpcOdooGateway odoo;
  Sidecar sidecar;
  ApiClient api;
  long aliceUid;
  long account;
  GraphGateway outlook;
  Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedSidecar(m365.emulator(), dataDir, CLIENT_ID, CLIENT_SECRET, SHARED);
    odooEmulator = emulated.odooEmulator;
    odoo = emulated.odoo;
    sidecar = emulated.sidecar;
    api = emulated.api;
    aliceUid = emulated.aliceUid;
    // Signed in, then the first sync through Sync now: from then on the scheduler runs her.
    account = emulated.connectAlice();
    JsonNode before = status();
    assertTrue(before.get("next_sync_at").isNull(), "no scheduled run before the first sync: " + before);
    ApiClient.Reply first = api.post("/api/users/prod/" + aliceUid + "/sync", "{}");
    assertEquals(200, first.status(), first.body());
    outlook = emulated.outlook(account);
  }

  @AfterEach
  void stop() {
    emulated.close();
  }

  private JsonNode status() throws Exception {
    return api.get("/api/users/prod/" + aliceUid + "/status").json();
  }

  private long odooMeeting(String title) throws Exception {
    long partner = odoo.user(aliceUid).partnerId();
    return odoo.createEvents(List.of(OdooEventDraft.timed(title, tomorrow, tomorrow.plusSeconds(3600)).withOrganizer(aliceUid)
        .withPartners(List.of(partner)))).get(0);
  }

  private void outlookEvent(String title) {
    CalEvent c = new CalEvent(title, When.timed(tomorrow.plusSeconds(7200), tomorrow.plusSeconds(9000), ZoneId.of("Europe/Brussels")),
        null, null, null, null, null, null, null, null);
    assertTrue(outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "test-" + title))).get(0).done());
  }

  private boolean inOutlook(String title) {
    return EmulatedAccount.hasTitle(outlook, title);
  }

  private boolean inOdoo(String title) {
    return odoo.eventsChangedSince(Instant.EPOCH, 0, 500).items().stream().map(OdooEvent::name).anyMatch(title::equals);
  }

  private void announce(long... ids) throws Exception {
    StringBuilder list = new StringBuilder();
    for (long id : ids) {
      list.append(list.length() == 0 ? "" : ",").append(id);
    }
    ApiClient.Reply r = api.post("/api/events/changed", "{\"db\": \"prod\", \"model\": \"calendar.event\", \"ids\": [" + list + "]}");
    assertEquals(202, r.status(), r.body());
  }

  /** The account's runs after the first sync (the journal, oldest first). */
  private List<SyncRun> scheduledRuns() throws Exception {
    List<SyncRun> runs = new ArrayList<>(sidecar.store().syncRuns().recent(account, 500));
    runs.removeIf(r -> r.cause().startsWith("api"));
    runs.sort((a, b) -> Long.compare(a.id(), b.id()));
    return runs;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Waits until the journal has not grown for {@code quiet}; returns the runs then. */
  private List<SyncRun> runsOnceQuiet(Duration quiet) throws Exception {
    long until = System.nanoTime() + WAIT.toNanos();
    int seen = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() < until) {
      List<SyncRun> runs = scheduledRuns();
      boolean running = runs.stream().anyMatch(r -> r.status() == SyncRun.Status.RUNNING);
      if (runs.size() != seen || running) {
        seen = runs.size();
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > quiet.toNanos()) {
        return runs;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the runs never stopped: " + scheduledRuns().size());
  }

  @Test
  void anAnnouncedOdooChangeRunsTheAccountAfterTheShortQuietAndReachesOutlook() throws Exception {
    long planning = odooMeeting("Planning");
    Instant announced = Instant.now();
    announce(planning);
    await(() -> inOutlook("Planning"), "the announced event in Outlook");
    List<SyncRun> runs = runsOnceQuiet(Duration.ofSeconds(3));
    assertEquals(1, runs.size(), "one run for one announcement");
    assertEquals("odoo-change", runs.get(0).cause());
    assertEquals(SyncRun.Status.SUCCEEDED, runs.get(0).status());
    // A lone change of an idle account waits the short quiet (300 ms by default), not the burst's 2 s.
    Duration wait = Duration.between(announced, runs.get(0).startedAt());
    assertTrue(wait.compareTo(ScheduleSettings.QUIET) >= 0 && wait.compareTo(ScheduleSettings.BURST_QUIET) < 0,
        "the run started " + wait.toMillis() + " ms after the announcement");

    JsonNode s = status();
    assertFalse(s.get("syncing").asBoolean(), s.toString());
    Instant next = Instant.parse(s.get("next_sync_at").asText());
    assertTrue(next.isAfter(Instant.now().plus(Duration.ofMinutes(14))), "the fallback is 15 minutes after the run: " + next);
    String metrics = api.get("/metrics").body();
    assertTrue(metrics.contains("outlook_sync_runs_started_total{trigger=\"odoo\"} 1"), metrics);
    assertTrue(metrics.contains("outlook_sync_runs_finished_total{trigger=\"odoo\",result=\"succeeded\"} 1"), metrics);
    assertTrue(metrics.contains("outlook_sync_runs_finished_total{trigger=\"api\",result=\"succeeded\"} 1"), metrics);
    assertTrue(metrics.contains("outlook_sync_changes_routed_total{source=\"odoo\",result=\"matched\"} 1"), metrics);
    assertTrue(metrics.contains("outlook_sync_accounts_due 0"), metrics);
  }

  @Test
  void aBurstOfFiftyAnnouncementsGivesOneRun() throws Exception {
    long planning = odooMeeting("Planning");
    for (int i = 0; i < 50; i++) {
      announce(planning);
    }
    await(() -> inOutlook("Planning"), "the announced event in Outlook");
    List<SyncRun> runs = runsOnceQuiet(Duration.ofSeconds(4));
    assertEquals(1, runs.size(), "50 announcements, the second within the first's quiet, gave one run");
  }

  @Test
  void changesAnnouncedDuringARunGiveExactlyOneFollowUpRun() throws Exception {
    long first = odooMeeting("First");
    m365.emulator().controls().serviceMillis(400); // the run waits on Graph; routing (an Odoo read) stays quick
    try {
      announce(first);
      await(() -> running().isPresent(), "the announced run under way");
      long second = odooMeeting("Second");
      for (int i = 0; i < 3; i++) {
        announce(second);
      }
      await(() -> routedFromOdoo() == 4, "the announcements routed to the scheduler");
      assertTrue(running().isPresent(), "the announcements reached the scheduler while the run was under way");
    } finally {
      m365.emulator().controls().serviceMillis(0);
    }
    await(() -> inOutlook("Second"), "the change made during the run in Outlook");
    List<SyncRun> runs = runsOnceQuiet(Duration.ofSeconds(4));
    assertEquals(2, runs.size(), "the run and exactly one follow-up: " + runs);
    assertFalse(runs.get(1).startedAt().isBefore(runs.get(0).finishedAt()), "the follow-up started after the run");
  }

  private java.util.Optional<SyncRun> running() {
    try {
      return scheduledRuns().stream().filter(r -> r.status() == SyncRun.Status.RUNNING).findFirst();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long routedFromOdoo() {
    try {
      return api.get("/metrics").body().lines().filter(l -> l.startsWith("outlook_sync_changes_routed_total{source=\"odoo\",result=\"matched\"}"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aGraphNotificationRunsTheAccountAndReachesOdoo() throws Exception {
    subscribe();
    outlookEvent("Dentist");
    await(() -> inOdoo("Dentist"), "the Outlook event in Odoo");
    List<SyncRun> runs = runsOnceQuiet(Duration.ofSeconds(3));
    assertEquals("graph-notification", runs.get(0).cause());
    assertTrue(api.get("/metrics").body().contains("outlook_sync_changes_routed_total{source=\"graph\",result=\"matched\"}"));
  }

  /**
   * The sidecar's own writes are announced back to it (the addon's hook, Graph's notifications). One change
   * each way leads to a few runs, then to none: the run's mappings make its own writes no change.
   */
  @Test
  void aRunsOwnWritesDoNotLoop() throws Exception {
    subscribe();
    try (AddonHook hook = new AddonHook()) {
      outlookEvent("Dentist");
      await(() -> inOdoo("Dentist"), "the Outlook event in Odoo");
      int afterOutlookChange = runsOnceQuiet(Duration.ofSeconds(5)).size();
      assertTrue(afterOutlookChange <= 3, "one Outlook change gave " + afterOutlookChange + " runs");
      assertTrue(hook.announced > 0, "the sidecar's write to Odoo was announced back");

      long planning = odooMeeting("Planning");
      await(() -> inOutlook("Planning"), "the Odoo event in Outlook");
      odoo.writeEvents(Map.of(planning, EventChanges.of().name("Planning, moved")));
      await(() -> inOutlook("Planning, moved"), "the Odoo edit in Outlook");
      int total = runsOnceQuiet(Duration.ofSeconds(5)).size();
      assertTrue(total - afterOutlookChange <= 6, "two Odoo changes gave " + (total - afterOutlookChange) + " runs");
      Thread.sleep(3000);
      assertEquals(total, scheduledRuns().size(), "no run started once things were quiet");
    }
  }

  /** The addon pushes a public base URL: the sidecar subscribes alice's calendar to Graph's change notifications. */
  private void subscribe() throws Exception {
    ApiClient.Reply r = api.post("/api/configure", "{\"public_base_url\": \"http://127.0.0.1:" + sidecar.address().getPort() + "\"}");
    assertEquals(200, r.status(), r.body());
    sidecar.subscriptions().wake();
    await(() -> m365.emulator().subscriptions().list().size() == 1, "the sidecar's subscription in the emulator");
  }

  /** What the addon's after-commit hook does: every write of a calendar event, the sidecar's too, is announced. */
  private final class AddonHook implements AutoCloseable {
    final Thread thread = new Thread(this::watch, "addon-hook");
    final Set<String> seen = new HashSet<>();
    volatile boolean closed;
    volatile int announced;

    AddonHook() {
      odoo.eventsChangedSince(Instant.EPOCH, 0, 1000).items().forEach(e -> seen.add(e.id() + "@" + e.writeDate()));
      thread.start();
    }

    private void watch() {
      while (!closed) {
        try {
          List<Long> changed = new ArrayList<>();
          for (OdooEvent e : odoo.eventsChangedSince(Instant.EPOCH, 0, 1000).items()) {
            if (seen.add(e.id() + "@" + e.writeDate())) {
              changed.add(e.id());
            }
          }
          if (!changed.isEmpty()) {
            announce(changed.stream().mapToLong(Long::longValue).toArray());
            announced += changed.size();
          }
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.join();
    }
  }
}
