package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler driving real runs against both emulators. Its clock is the real one plus an offset the test
 * moves, so debouncing takes its real (short) time and a fallback interval of 15 minutes passes in one jump.
 */
class SyncSchedulerTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  EmulatedAccount emulated;
  OdooEmulator odooEmulator;
  XmlRpcOdooGateway odoo;
  Store store;
  SyncRunner runner;
  long alice;
  final JumpingClock clock = new JumpingClock();
  final Runs runs = new Runs();
  SyncScheduler scheduler;
  Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedAccount(m365.emulator(), dataDir);
    odooEmulator = emulated.odooEmulator;
    odoo = emulated.odoo;
    store = emulated.store;
    alice = emulated.account;
    runner = new SyncRunner(store, odoo, a -> emulated.outlook, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    emulated.close();
  }

  /** Fast debouncing (100 ms quiet, 300 ms in a burst, 2 s at most), the default 15-minute fallback. */
  ScheduleSettings fast() {
    return ScheduleSettings.defaults().withDebounce(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(2));
  }

  SyncScheduler scheduler(ScheduleSettings settings) {
    scheduler = new SyncScheduler(store, () -> Optional.of(runner), settings, clock, runs).start();
    return scheduler;
  }

  /** The first sync, as the user starts it through Sync now; afterwards the account is scheduled. */
  void firstSync() throws Exception {
    assertTrue(scheduler.runNow(runner, alice, false).succeeded());
  }

  long odooMeeting(String title) {
    return emulated.odooMeeting(title, tomorrow);
  }

  void outlookEvent(String title) {
    emulated.outlookEvent(title, tomorrow.plusSeconds(7200));
  }

  boolean inOutlook(String title) {
    return EmulatedAccount.hasTitle(emulated.outlook, title);
  }

  boolean inOdoo(String title) {
    return odoo.eventsChangedSince(Instant.EPOCH, 0, 500).items().stream().map(OdooEvent::name).anyMatch(title::equals);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Waits until nothing runs, nothing is queued to run, and nothing is due now. */
  void settle() throws InterruptedException {
    await(() -> scheduler.runsInProgress() == 0 && scheduler.accountsDue() == 0 && !scheduler.status(alice).syncing()
        && runs.started.size() == runs.finished.size(), "the scheduler to be idle");
  }

  @Test
  void aBurstOfAnnouncementsGivesOneRunThatCarriesTheChange() throws Exception {
    scheduler(fast());
    firstSync();
    odooMeeting("Planning");
    for (int i = 0; i < 50; i++) {
      scheduler.changed(alice, Trigger.ODOO);
    }
    await(() -> runs.finishedBy(alice, Trigger.ODOO) >= 1, "a run after the burst");
    Thread.sleep(1000); // more than the quiet time: a second run would have started by now
    settle();
    int scheduled = runs.startedBy(alice, Trigger.ODOO);
    assertTrue(scheduled >= 1 && scheduled <= 2, "50 announcements gave " + scheduled + " runs");
    assertTrue(inOutlook("Planning"), "the run carried the Odoo event to Outlook");
    assertEquals(0, runs.startedBy(alice, Trigger.INTERVAL), "the fallback is 15 minutes away");
  }

  /** A short quiet before an idle account's run, a burst quiet no lone change could be carried within the test's wait. */
  static ScheduleSettings shortQuietLongBurst() {
    return ScheduleSettings.defaults().withDebounce(Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMinutes(10));
  }

  @Test
  void aLoneChangeOfAnIdleAccountRunsAfterTheShortQuiet() throws Exception {
    scheduler(shortQuietLongBurst());
    firstSync();
    odooMeeting("Standup");
    Instant announced = Instant.now();
    scheduler.changed(alice, Trigger.ODOO);
    // Waiting for the burst quiet would take five minutes: the run within the test's wait is the short quiet's.
    await(() -> runs.finishedBy(alice, Trigger.ODOO) == 1, "the run after the short quiet");
    assertTrue(inOutlook("Standup"), "the run carried the change");
    Instant started = runs.startedAt(alice, Trigger.ODOO).get(0);
    assertFalse(started.isBefore(announced.plusMillis(200)), "the run waited for the quiet: started " + Duration.between(announced, started));
    settle();
    assertEquals(1, runs.startedScheduled(alice), "one change, one run");
  }

  @Test
  void aBurstOfAnnouncementsWithinTheQuietGivesOneRunAfterTheBurst() throws Exception {
    scheduler(ScheduleSettings.defaults().withDebounce(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMinutes(1)));
    firstSync();
    odooMeeting("Review");
    Instant lastAnnounced = null;
    for (int i = 0; i < 20; i++) {
      scheduler.changed(alice, Trigger.ODOO);
      lastAnnounced = Instant.now();
      Thread.sleep(50); // a second within 200 ms of the first makes it a burst; each then holds the run 2 s more
    }
    Instant last = lastAnnounced;
    await(() -> runs.finishedBy(alice, Trigger.ODOO) == 1, "the run after the burst");
    Instant started = runs.startedAt(alice, Trigger.ODOO).get(0);
    assertFalse(started.isBefore(last.plusSeconds(2)), "the run waited for 2 s of quiet after the last announcement: started "
        + Duration.between(last, started) + " after it");
    Thread.sleep(2500);
    settle();
    assertEquals(1, runs.startedScheduled(alice), "20 announcements gave one run");
    assertTrue(inOutlook("Review"), "the run carried the change");
  }

  @Test
  void changesAnnouncedDuringARunGiveExactlyOneFollowUpRunAfterTheBurst() throws Exception {
    scheduler(ScheduleSettings.defaults().withDebounce(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofMinutes(1)));
    firstSync();
    odooMeeting("First");
    odooEmulator.controls().serviceTime(Duration.ofMillis(300)); // every Odoo call of the run takes a while
    scheduler.changed(alice, Trigger.ODOO);
    await(() -> scheduler.status(alice).syncing(), "the run to start");
    long second = odooMeeting("Second");
    Instant lastAnnounced = null;
    for (int i = 0; i < 5; i++) {
      scheduler.changed(alice, Trigger.ODOO);
      lastAnnounced = Instant.now();
    }
    assertEquals(0, runs.finishedBy(alice, Trigger.ODOO), "the announcements came while the run was under way");
    odooEmulator.controls().serviceTime(Duration.ZERO);
    Instant last = lastAnnounced;
    await(() -> runs.finishedBy(alice, Trigger.ODOO) == 2, "the follow-up run");
    Thread.sleep(1500); // more than the burst quiet: a third run would have started
    settle();
    assertEquals(2, runs.startedScheduled(alice), "the run and exactly one follow-up");
    List<Instant> started = runs.startedAt(alice, Trigger.ODOO);
    assertFalse(started.get(1).isBefore(last.plusMillis(800)), "the follow-up waited for the burst quiet");
    assertFalse(started.get(1).isBefore(runs.finishedAt(alice, Trigger.ODOO).get(0)), "the follow-up started after the run");
    assertTrue(inOutlook("Second"), "the follow-up carried the change made during the run (Odoo event " + second + ")");
  }

  @Test
  void aLoneAnnouncementDuringARunGivesOneFollowUpRunRightAfterIt() throws Exception {
    scheduler(shortQuietLongBurst());
    firstSync();
    odooEmulator.controls().serviceTime(Duration.ofMillis(300));
    scheduler.changed(alice, Trigger.ODOO);
    await(() -> scheduler.status(alice).syncing(), "the run to start");
    scheduler.changed(alice, Trigger.GRAPH); // as the run's own write to Outlook comes back as a notification
    assertEquals(0, runs.finishedBy(alice, Trigger.ODOO), "announced while the run was under way");
    odooEmulator.controls().serviceTime(Duration.ZERO);
    // The burst quiet is five minutes: a follow-up within the test's wait is the one after the run, not a burst's.
    await(() -> runs.finishedBy(alice, Trigger.GRAPH) == 1, "the follow-up run");
    assertFalse(runs.startedAt(alice, Trigger.GRAPH).get(0).isBefore(runs.finishedAt(alice, Trigger.ODOO).get(0)),
        "the follow-up started after the run");
    settle();
    assertEquals(2, runs.startedScheduled(alice), "the run and one follow-up");
  }

  @Test
  void theFallbackIntervalRunsAnAccountNobodyAnnounces() throws Exception {
    scheduler(fast());
    firstSync();
    Instant next = scheduler.status(alice).nextSyncAt();
    assertNotNull(next);
    assertTrue(Duration.between(clock.instant(), next).compareTo(Duration.ofMinutes(14)) > 0, "due in 15 minutes: " + next);
    outlookEvent("Dentist");
    Thread.sleep(600);
    assertEquals(0, runs.startedScheduled(alice), "nothing announced, interval not over: no run");

    clock.jump(Duration.ofMinutes(15).plusSeconds(1));
    scheduler.wake();
    await(() -> runs.finishedBy(alice, Trigger.INTERVAL) == 1, "the fallback run");
    assertTrue(inOdoo("Dentist"), "the run carried the Outlook event to Odoo");
    settle();
    assertTrue(scheduler.status(alice).nextSyncAt().isAfter(clock.instant().plus(Duration.ofMinutes(14))), "the next one is 15 minutes on");
  }

  @Test
  void pausedStoppedAndNotYetSyncedAccountsAreNotRunAndCauseNoBusyLoop() throws Exception {
    scheduler(fast());
    // Connected, but its first sync has not happened: that one is the user's, after the mail forecast.
    scheduler.changed(alice, Trigger.ODOO);
    clock.jump(Duration.ofMinutes(16));
    scheduler.wake();
    Thread.sleep(800);
    assertEquals(0, runs.startedScheduled(alice), "no scheduled first sync");
    assertNull(scheduler.status(alice).nextSyncAt());

    firstSync();
    for (AccountState state : List.of(AccountState.PAUSED, AccountState.STOPPED, AccountState.NEEDS_REAUTH)) {
      store.accounts().setState(alice, state, "test");
      clock.jump(Duration.ofMinutes(16));
      scheduler.wake();
      Thread.sleep(1200); // the scheduler reads states again within a second of a wake
      long passes = scheduler.dispatchPasses();
      for (int i = 0; i < 20; i++) {
        scheduler.changed(alice, Trigger.ODOO);
      }
      clock.jump(Duration.ofMinutes(16));
      Thread.sleep(1000);
      assertEquals(0, runs.startedScheduled(alice), state + " accounts are not run");
      assertTrue(scheduler.dispatchPasses() - passes < 60, state + ": " + (scheduler.dispatchPasses() - passes) + " passes in a second");
      assertNull(scheduler.status(alice).nextSyncAt(), state + ": nothing scheduled");
    }

    store.settings().put(SyncScheduler.PAUSED_SETTING, "true");
    store.accounts().setState(alice, AccountState.CONNECTED, null);
    scheduler.wake();
    Thread.sleep(1200);
    for (int i = 0; i < 20; i++) {
      scheduler.changed(alice, Trigger.ODOO);
    }
    Thread.sleep(800);
    assertEquals(0, runs.startedScheduled(alice), "nothing runs while sync is paused for everyone");

    store.settings().put(SyncScheduler.PAUSED_SETTING, "false");
    scheduler.wake();
    await(() -> runs.finishedBy(alice, Trigger.ODOO) == 1, "the announced changes run after the resume");
  }

  @Test
  void aFailingAccountBacksOffWhileTheOthersKeepSyncing() throws Exception {
    // Bob's Odoo user does not exist: every run of his fails while gathering.
    long bob = store.accounts().ensure("prod", 999_999L, "bob").id();
    store.accounts().connected(bob, "home-bob", "bob@example.com", "tenant");
    store.settings().put(SyncRunner.watermarkKey(bob), Instant.EPOCH.toString());
    assertTrue(runner.run(alice, "test", false).succeeded());
    ScheduleSettings settings = fast().withInterval(Duration.ofMinutes(1)).withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(8));
    scheduler(settings);
    // At start-up every scheduled account runs once, to catch up on what changed while the sidecar was down.
    await(() -> runs.finishedBy(alice, Trigger.INTERVAL) == 1 && runs.finishedBy(bob, Trigger.INTERVAL) == 1, "the start-up runs");
    settle();
    for (int minute = 1; minute <= 10; minute++) {
      clock.jump(Duration.ofSeconds(61));
      scheduler.wake();
      int expected = 1 + minute;
      await(() -> runs.finishedBy(alice, Trigger.INTERVAL) == expected, "alice's run of minute " + minute);
      settle();
    }
    int bobs = runs.startedBy(bob, Trigger.INTERVAL) + runs.startedBy(bob, Trigger.RETRY);
    assertEquals(0, runs.succeeded(bob));
    // Failing at 0, then retried after 1, 2, 4 and 8 minutes: at 1, 3 and 7 within these ten.
    assertTrue(bobs >= 3 && bobs <= 5, "bob ran " + bobs + " times in 11 minutes");
    assertEquals(11, runs.succeeded(alice), "alice ran every minute");
    assertEquals(1, scheduler.accountsBackingOff());
    assertTrue(store.accounts().get(bob).orElseThrow().lastError().contains("failed"));
  }

  @Test
  void neverTwoRunsOfOneAccountAtOnce() throws Exception {
    // Sync now answers busy at once here, so callers and scheduled runs really contend.
    scheduler(fast().withDebounce(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5)).withWorkers(4).withCallerWait(Duration.ZERO));
    firstSync();
    AtomicInteger busy = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      callers.execute(() -> {
        for (int i = 0; i < 8; i++) {
          scheduler.changed(alice, Trigger.GRAPH);
          try {
            scheduler.runNow(runner, alice, i % 3 == 0);
          } catch (SyncRunner.Busy e) {
            busy.incrementAndGet();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
    }
    callers.shutdown();
    assertTrue(callers.awaitTermination(120, TimeUnit.SECONDS));
    scheduler.changed(alice, Trigger.GRAPH);
    await(() -> runs.finishedBy(alice, Trigger.GRAPH) > 0, "a scheduled run");
    settle();
    assertEquals(1, runs.mostAtOnce(alice), "never two runs of alice at once");
    assertTrue(busy.get() > 0, "Sync now found the account busy and said so");
    assertTrue(runs.startedBy(alice, Trigger.GRAPH) > 0, "scheduled runs took place among the API's");

    // Every run the scheduler started reached the runner and its journal: none was refused there as busy.
    await(() -> {
      try {
        return runs.started.size() == store.syncRuns().recent(alice, 500).size();
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }, "a journal row for every run started");
    settle();
    List<SyncRun> journal = new ArrayList<>(store.syncRuns().recent(alice, 500));
    journal.sort(Comparator.comparing(SyncRun::startedAt));
    assertTrue(journal.size() >= 3, journal.size() + " runs");
    for (int i = 1; i < journal.size(); i++) {
      SyncRun before = journal.get(i - 1);
      SyncRun after = journal.get(i);
      assertNotNull(before.finishedAt(), "run " + before.id() + " finished");
      assertFalse(after.startedAt().isBefore(before.finishedAt()), "run " + after.id() + " started before run " + before.id() + " ended");
    }
  }

  @Test
  void aResetToAllEventsIsNotScheduledUntilTheNextSyncNow() throws Exception {
    scheduler(fast());
    firstSync();
    assertNotNull(scheduler.status(alice).nextSyncAt());
    scheduler.exclusively(alice, () -> runner.reset(alice, AccountReset.DeletePolicy.LEAVE, AccountReset.NextSync.ALL_EXISTING, false));
    await(() -> scheduler.status(alice).nextSyncAt() == null, "the account to leave the schedule");
    scheduler.changed(alice, Trigger.ODOO);
    Thread.sleep(800);
    assertEquals(0, runs.startedScheduled(alice), "the first sync after the reset is the user's");

    firstSync();
    scheduler.exclusively(alice, () -> runner.reset(alice, AccountReset.DeletePolicy.LEAVE, AccountReset.NextSync.NEW_ONLY, false));
    Thread.sleep(1200); // the scheduler looks at the account again within a second
    assertNotNull(scheduler.status(alice).nextSyncAt(), "a reset to new events keeps the account scheduled");
  }

  @Test
  void syncNowFindingARunUnderWayIsBusyAndARunFollows() throws Exception {
    scheduler(fast().withCallerWait(Duration.ZERO)); // busy at once: a run longer than the wait
    firstSync();
    odooEmulator.controls().serviceTime(Duration.ofMillis(200)); // a scheduled run that takes a while
    scheduler.changed(alice, Trigger.ODOO);
    await(() -> scheduler.status(alice).syncing(), "the scheduled run to start");
    assertThrows(SyncRunner.Busy.class, () -> scheduler.runNow(runner, alice, false));
    odooEmulator.controls().serviceTime(Duration.ZERO);
    // The refused Sync now marked the account changed: a scheduled run follows the one under way.
    await(() -> runs.finishedBy(alice, Trigger.API) == 2, "the run that follows");
    settle();
    assertEquals(1, runs.finishedBy(alice, Trigger.ODOO));
  }

  @Test
  void closingStopsTheWorkersAfterTheRunUnderWay() throws Exception {
    scheduler(fast());
    firstSync();
    odooMeeting("Last one");
    odooEmulator.controls().serviceTime(Duration.ofMillis(100));
    scheduler.changed(alice, Trigger.ODOO);
    await(() -> scheduler.status(alice).syncing(), "a run to start");
    assertEquals(0, scheduler.awaitRuns(Instant.now().plusSeconds(30)), "the run under way finished within the deadline");
    assertTrue(scheduler.stopped());
    assertEquals(SyncRun.Status.SUCCEEDED, store.syncRuns().recent(alice, 1).get(0).status());
    int before = runs.startedScheduled(alice);
    scheduler.changed(alice, Trigger.ODOO);
    clock.jump(Duration.ofHours(1));
    scheduler.wake();
    Thread.sleep(500);
    assertEquals(before, runs.startedScheduled(alice), "nothing runs after shutdown");
  }

  /** Runs as the scheduler reports them, per account and trigger, with the most that overlapped. */
  static final class Runs implements SyncScheduler.Listener {
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> finished = new CopyOnWriteArrayList<>();
    /** When each run started and finished (the real clock), by "account trigger". */
    final Map<String, List<Instant>> startTimes = new ConcurrentHashMap<>();
    final Map<String, List<Instant>> finishTimes = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> now = new ConcurrentHashMap<>();
    final Map<Long, Integer> most = new ConcurrentHashMap<>();

    @Override
    public void started(long accountId, Trigger trigger) {
      int n = now.computeIfAbsent(accountId, k -> new AtomicInteger()).incrementAndGet();
      most.merge(accountId, n, Math::max);
      startTimes.computeIfAbsent(accountId + " " + trigger, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
      started.add(accountId + " " + trigger);
    }

    @Override
    public void finished(long accountId, Trigger trigger, boolean succeeded) {
      now.get(accountId).decrementAndGet();
      finishTimes.computeIfAbsent(accountId + " " + trigger, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
      finished.add(accountId + " " + trigger + " " + succeeded);
    }

    List<Instant> startedAt(long accountId, Trigger trigger) {
      return startTimes.getOrDefault(accountId + " " + trigger, List.of());
    }

    List<Instant> finishedAt(long accountId, Trigger trigger) {
      return finishTimes.getOrDefault(accountId + " " + trigger, List.of());
    }

    int startedBy(long accountId, Trigger trigger) {
      return (int) started.stream().filter(s -> s.equals(accountId + " " + trigger)).count();
    }

    int startedScheduled(long accountId) {
      return (int) started.stream().filter(s -> s.startsWith(accountId + " ") && !s.contains(" API")).count();
    }

    int finishedBy(long accountId, Trigger trigger) {
      return (int) finished.stream().filter(s -> s.startsWith(accountId + " " + trigger + " ")).count();
    }

    int succeeded(long accountId) {
      return (int) finished.stream().filter(s -> s.startsWith(accountId + " ") && s.endsWith(" true")).count();
    }

    int mostAtOnce(long accountId) {
      return most.getOrDefault(accountId, 0);
    }
  }

  /** The real clock plus an offset the test moves forward. */
  static final class JumpingClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void jump(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void syncNowWaitsForARunUnderWayInsteadOfAnsweringBusy() throws Exception {
    scheduler(fast());
    firstSync();
    java.util.concurrent.CountDownLatch inRun = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread holder = new Thread(() -> {
      try {
        scheduler.exclusively(alice, () -> {
          inRun.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    holder.start();
    assertTrue(inRun.await(10, TimeUnit.SECONDS));
    new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    }).start();
    SyncRunner.RunResult r = scheduler.runNow(runner, alice, true);
    assertTrue(r.succeeded(), "Sync now ran once the slot was free: " + r.errors());
    holder.join(10_000);
  }
}
