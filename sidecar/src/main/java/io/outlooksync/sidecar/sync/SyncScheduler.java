package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.Store;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the sidecar sync by itself: each connected account runs when its changes are announced (debounced, see
 * {@link ScheduleSettings}), at the latest after the fallback interval, and when asked through the API, with a
 * bounded pool of workers. One account never has two runs at once: a run holds the account's slot, and changes
 * announced meanwhile only mark it dirty, which gives one more run after it. A failing account backs off
 * without holding up the others.
 *
 * <p>An account is scheduled only once it has sync cursors, that is after its first sync: that one (and the
 * first after a Reset to "all events") may mail many attendees, so the user starts it through Sync now after a
 * dry run showed the forecast. Paused and stopped accounts, accounts that must sign in again, and everything
 * while sync is paused for everyone are skipped without spinning: the dispatcher only wakes for a due time, an
 * announcement, a finished run or the periodic re-read of the accounts.
 */
public final class SyncScheduler implements ChangeSink, AutoCloseable {
  /** Store row of the global pause switch (the API's pause and resume). */
  public static final String PAUSED_SETTING = "sync.paused";
  /** How often the accounts, their states and the global pause are read again. */
  static final Duration REFRESH = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

  /**
   * Hears runs start and end (metrics). Called on the run's thread, outside the scheduler's lock, while the run
   * holds its account's slot.
   */
  public interface Listener {
    default void started(long accountId, Trigger trigger) {}

    default void finished(long accountId, Trigger trigger, boolean succeeded) {}

    Listener NONE = new Listener() {};
  }

  /** Work that must not overlap a run of the same account (a reset). */
  @FunctionalInterface
  public interface Exclusive<T> {
    T run() throws SQLException;
  }

  /** An account as status shows it: when its next run is due (null: none is scheduled) and whether one is under way. */
  public record Status(Instant nextSyncAt, boolean syncing) {
    public static final Status NONE = new Status(null, false);
  }

  /** The fallback interval of one account, given the configured one (longer while its notifications are alive). */
  @FunctionalInterface
  public interface Intervals {
    Duration of(long accountId, Duration configured);

    Intervals CONFIGURED = (accountId, configured) -> configured;
  }

  private final Store store;
  private final Supplier<Optional<SyncRunner>> runners;
  private volatile Ownership ownership = Ownership.EVERYTHING;
  private volatile Intervals intervals = Intervals.CONFIGURED;
  private final ScheduleSettings settings;
  private final Clock clock;
  private final Listener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Map<Long, Slot> slots = new HashMap<>();
  private final ExecutorService workers;
  private final Thread dispatcher;
  private boolean paused;
  /** No dispatching before this (no runner yet, or sync found paused by a worker). */
  private Instant holdUntil = Instant.MIN;
  private Instant nextRefresh = Instant.MIN;
  private Instant lastRefresh = Instant.MIN;
  /** Read the accounts again soon: an unknown account was announced, or a reset may have dropped cursors. */
  private boolean refreshSoon;
  private int claimed;
  private volatile boolean stopping;
  /** Dispatcher passes so far: a test's witness that waiting accounts cause no busy loop. */
  private final AtomicLong passes = new AtomicLong();

  public SyncScheduler(Store store, Supplier<Optional<SyncRunner>> runners, ScheduleSettings settings, Clock clock, Listener listener) {
    this.store = store;
    this.runners = runners;
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(settings.workers(), r -> daemon(r, "sync-worker-" + n.incrementAndGet()));
    this.dispatcher = daemon(this::dispatchLoop, "sync-scheduler");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public SyncScheduler start() {
    dispatcher.start();
    return this;
  }

  public ScheduleSettings settings() {
    return settings;
  }

  /** Schedules only the accounts {@code o} holds (scale-out); set before {@link #start}. */
  public SyncScheduler ownedBy(Ownership o) {
    this.ownership = o;
    return this;
  }

  /** Per-account fallback intervals; set before {@link #start}. */
  public SyncScheduler intervals(Intervals i) {
    this.intervals = i;
    return this;
  }

  private Duration interval(long accountId) {
    return intervals.of(accountId, settings.interval());
  }

  /**
   * Lets go of an account another sidecar is to sync: false while a run of it is under way or queued (then it
   * stays). Once let go, it is not scheduled until {@link Ownership#holds} says so again.
   */
  public boolean surrender(long accountId) {
    lock.lock();
    try {
      Slot s = slots.get(accountId);
      if (s != null && s.claimed) {
        return false;
      }
      slots.remove(accountId);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Something of the account changed: a run follows once the burst is over. Unknown accounts are looked up. */
  @Override
  public void changed(long accountId, Trigger trigger) {
    if (!ownership.holds(accountId)) {
      return; // another sidecar syncs it: routing sends the change there
    }
    lock.lock();
    try {
      Slot s = slots.get(accountId);
      if (s == null) {
        s = new Slot(accountId, clock.instant().plus(interval(accountId)));
        slots.put(accountId, s);
        refreshSoon = true;
      }
      s.poke(trigger, clock.instant(), settings.quiet());
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Looks at the clock and the accounts again now (after a resume, or a test moving its clock). */
  public void wake() {
    lock.lock();
    try {
      refreshSoon = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * One run on the caller's thread (Sync now), in the account's slot: {@link SyncRunner.Busy} at once when a run
   * is under way or about to start; the account is then marked changed, so a run follows that one. A real run
   * replaces any run the account was due for and starts its fallback interval again.
   */
  public SyncRunner.RunResult runNow(SyncRunner runner, long accountId, boolean dryRun) throws SQLException {
    Trigger trigger = dryRun ? Trigger.API_DRY_RUN : Trigger.API;
    Slot s = claimForCaller(accountId, dryRun ? null : Trigger.API);
    Instant startedAt = s.claimedAt;
    boolean ok = false;
    listener.started(accountId, trigger);
    try {
      SyncRunner.RunResult r = runner.run(accountId, trigger.cause(), dryRun);
      ok = r.succeeded();
      return r;
    } finally {
      listener.finished(accountId, trigger, ok); // while the slot is held: listeners never see two runs overlap
      lock.lock();
      try {
        s.release();
        if (!dryRun && ok) {
          s.state = AccountState.CONNECTED;
          s.hasCursors = Boolean.TRUE;
          s.succeeded(startedAt.plus(interval(accountId)));
        }
        wake.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Runs {@code work} in the account's slot, as {@link #runNow}: never beside a run ({@link SyncRunner.Busy}). */
  public <T> T exclusively(long accountId, Exclusive<T> work) throws SQLException {
    Slot s = claimForCaller(accountId, null);
    try {
      return work.run();
    } finally {
      lock.lock();
      try {
        s.release();
        s.hasCursors = null; // a reset may have dropped them: look again
        refreshSoon = true;
        wake.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private Slot claimForCaller(long accountId, Trigger ifBusy) {
    lock.lock();
    try {
      Instant now = clock.instant();
      Slot s = slots.computeIfAbsent(accountId, id -> new Slot(id, now.plus(interval(id))));
      // A run under way usually ends within seconds: wait for it rather than send the user away.
      long left = settings.callerWait().toNanos();
      while (s.claimed && left > 0) {
        try {
          left = wake.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (s.claimed) {
        if (ifBusy != null) {
          s.poke(ifBusy, clock.instant(), settings.quiet()); // a run follows the one under way
        }
        throw new SyncRunner.Busy(accountId);
      }
      s.claimed = true;
      s.running = true;
      s.claimedAt = now;
      if (ifBusy != null) {
        s.clean(); // this run reads everything announced so far
      }
      return s;
    } finally {
      lock.unlock();
    }
  }

  public Status status(long accountId) {
    lock.lock();
    try {
      Slot s = slots.get(accountId);
      if (s == null || !s.schedulable()) {
        return s != null && s.claimed ? new Status(null, true) : Status.NONE;
      }
      Instant next = s.claimed ? s.claimedAt.plus(interval(accountId)) : s.dueAt(settings);
      return new Status(paused ? null : next, s.claimed);
    } finally {
      lock.unlock();
    }
  }

  /** Accounts due now and waiting for a worker. */
  public int accountsDue() {
    lock.lock();
    try {
      Instant now = clock.instant();
      return paused ? 0 : (int) slots.values().stream().filter(s -> s.schedulable() && !s.claimed && !s.dueAt(settings).isAfter(now)).count();
    } finally {
      lock.unlock();
    }
  }

  /** Runs under way, scheduled or through the API. */
  public int runsInProgress() {
    lock.lock();
    try {
      return (int) slots.values().stream().filter(s -> s.running).count();
    } finally {
      lock.unlock();
    }
  }

  /** Accounts whose last scheduled run failed, waiting out their back-off. */
  public int accountsBackingOff() {
    lock.lock();
    try {
      return (int) slots.values().stream().filter(s -> s.failures > 0).count();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ dispatching

  private void dispatchLoop() {
    while (!stopping) {
      try {
        refreshIfDue();
        lock.lock();
        try {
          if (!stopping) {
            dispatchDue();
          }
        } finally {
          lock.unlock();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.atError().setCause(e).log("the sync scheduler's dispatcher failed; it goes on");
        sleepQuietly();
      }
    }
  }

  /** Claims what is due, as far as workers are free; then waits for the next due time or a signal. */
  private void dispatchDue() throws InterruptedException {
    passes.incrementAndGet();
    Instant now = clock.instant();
    boolean holding = paused || now.isBefore(holdUntil);
    if (!holding) {
      List<Slot> due = new ArrayList<>();
      for (Slot s : slots.values()) {
        if (s.schedulable() && !s.claimed && !s.dueAt(settings).isAfter(now)) {
          due.add(s);
        }
      }
      due.sort(Comparator.comparing((Slot s) -> s.dueAt(settings)).thenComparingLong(s -> s.id));
      for (Slot s : due) {
        if (claimed >= settings.workers()) {
          break;
        }
        claim(s, now);
      }
    }
    Instant next = nextRefresh;
    if (!paused && now.isBefore(holdUntil) && holdUntil.isBefore(next)) {
      next = holdUntil;
    } else if (!holding && claimed < settings.workers()) {
      for (Slot s : slots.values()) {
        if (s.schedulable() && !s.claimed && s.dueAt(settings).isBefore(next)) {
          next = s.dueAt(settings);
        }
      }
    }
    if (refreshSoon) {
      Instant soon = lastRefresh.plusSeconds(1); // bursts of unknown ids read the accounts at most once a second
      next = soon.isBefore(next) ? soon : next;
    }
    long millis = Math.max(1, Duration.between(now, next).toMillis());
    wake.await(Math.min(millis, REFRESH.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void claim(Slot s, Instant now) {
    Trigger trigger = s.dirty != null ? s.dirty : s.failures > 0 ? Trigger.RETRY : Trigger.INTERVAL;
    s.claimed = true;
    s.claimedAt = now;
    s.clean();
    claimed++;
    try {
      workers.execute(() -> work(s, trigger));
    } catch (RejectedExecutionException e) {
      s.claimed = false;
      claimed--;
    }
  }

  /** One scheduled run: the account's state is read again first, so a pause or stop since the last look counts. */
  private void work(Slot s, Trigger trigger) {
    Outcome outcome = Outcome.SKIPPED;
    boolean started = false;
    try {
      if (stopping) {
        return;
      }
      Optional<Account> account = store.accounts().get(s.id);
      boolean pausedNow = globallyPaused();
      boolean cursors = account.isPresent() && hasCursors(s.id);
      lock.lock();
      try {
        account.ifPresent(a -> s.state = a.state());
        s.hasCursors = cursors;
        if (pausedNow) {
          paused = true;
        }
      } finally {
        lock.unlock();
      }
      if (account.isEmpty() || account.get().state() != AccountState.CONNECTED || pausedNow || !cursors) {
        return;
      }
      Optional<SyncRunner> runner;
      try {
        runner = runners.get();
      } catch (RunnerUnavailable e) {
        // As Sync now does: the account says why its runs fail (cleared by the next success).
        store.accounts().recordError(s.id, e.getMessage());
        throw e;
      }
      if (runner.isEmpty()) {
        outcome = Outcome.NO_RUNNER;
        return;
      }
      if (!ownership.confirm(s.id)) {
        outcome = Outcome.NOT_HELD;
        return;
      }
      markRunning(s);
      listener.started(s.id, trigger);
      started = true;
      SyncRunner.RunResult r = runner.get().run(s.id, trigger.cause(), false);
      outcome = r.succeeded() ? Outcome.SUCCEEDED : Outcome.FAILED;
      LOG.atInfo().addKeyValue("account", s.id).addKeyValue("run", r.runId()).addKeyValue("trigger", trigger.label())
          .addKeyValue("changes", r.changes()).addKeyValue("errors", r.errors().size()).log("scheduled sync run");
    } catch (SyncRunner.Busy busy) {
      outcome = Outcome.BUSY; // someone ran the runner directly; come back after
    } catch (SQLException | RuntimeException e) {
      outcome = Outcome.FAILED;
      LOG.atWarn().setCause(e).addKeyValue("account", s.id).addKeyValue("trigger", trigger.label()).log("scheduled sync run failed");
    } finally {
      if (started) {
        listener.finished(s.id, trigger, outcome == Outcome.SUCCEEDED);
      }
      finish(s, trigger, outcome);
    }
  }

  private enum Outcome { SUCCEEDED, FAILED, SKIPPED, NO_RUNNER, BUSY, NOT_HELD }

  private void markRunning(Slot s) {
    lock.lock();
    try {
      s.running = true;
    } finally {
      lock.unlock();
    }
  }

  private void finish(Slot s, Trigger trigger, Outcome outcome) {
    lock.lock();
    try {
      Instant now = clock.instant();
      s.release();
      claimed--;
      switch (outcome) {
        case SUCCEEDED -> s.succeeded(s.claimedAt.plus(interval(s.id)));
        case FAILED -> {
          s.failures++;
          Duration wait = settings.backoff(s.failures);
          s.retryAt = now.plus(wait);
          s.nextFallback = s.retryAt;
          LOG.atWarn().addKeyValue("account", s.id).addKeyValue("failures", s.failures).addKeyValue("retry_in_s", wait.toSeconds())
              .log("sync of the account backs off");
        }
        case SKIPPED -> s.nextFallback = now.plus(interval(s.id));
        case NOT_HELD -> slots.remove(s.id, s); // its lease went to another sidecar
        case NO_RUNNER -> {
          holdUntil = now.plus(REFRESH);
          s.pokeInBurst(trigger, now);
        }
        case BUSY -> s.pokeInBurst(trigger, now); // a run beside ours is under way: come back after it
        default -> throw new IllegalStateException(outcome.name());
      }
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ the accounts

  private void refreshIfDue() throws InterruptedException {
    Instant now = clock.instant();
    lock.lock();
    try {
      boolean soon = refreshSoon && !now.isBefore(lastRefresh.plusSeconds(1));
      if (now.isBefore(nextRefresh) && !soon) {
        return;
      }
      refreshSoon = false;
      lastRefresh = now;
      nextRefresh = now.plus(REFRESH);
    } finally {
      lock.unlock();
    }
    try {
      List<Account> accounts = new ArrayList<>(store.accounts().all());
      accounts.removeIf(a -> !ownership.holds(a.id()));
      boolean pausedNow = globallyPaused();
      Set<Long> unsure = new HashSet<>();
      lock.lock();
      try {
        for (Account a : accounts) {
          Slot s = slots.get(a.id());
          if (a.state() == AccountState.CONNECTED && (s == null || s.hasCursors != Boolean.TRUE)) {
            unsure.add(a.id());
          }
        }
      } finally {
        lock.unlock();
      }
      Map<Long, Boolean> cursors = new HashMap<>();
      if (!unsure.isEmpty()) {
        Set<Long> synced = SyncRunner.accountsWithCursors(store); // one read, not one per account (all of them at start)
        unsure.forEach(id -> cursors.put(id, synced.contains(id)));
      }
      lock.lock();
      try {
        paused = pausedNow;
        Set<Long> present = new HashSet<>();
        for (Account a : accounts) {
          present.add(a.id());
          // First seen (at start-up): due at once, so changes made while the sidecar was down are caught up.
          Slot s = slots.computeIfAbsent(a.id(), id -> new Slot(id, now));
          s.state = a.state();
          if (cursors.containsKey(a.id())) {
            s.hasCursors = cursors.get(a.id());
          }
        }
        slots.values().removeIf(s -> !present.contains(s.id) && !s.claimed);
      } finally {
        lock.unlock();
      }
    } catch (SQLException e) {
      LOG.atWarn().setCause(e).log("the sync scheduler cannot read the accounts; it keeps what it knew");
    }
  }

  private boolean hasCursors(long accountId) throws SQLException {
    return store.settings().value(SyncRunner.watermarkKey(accountId)).isPresent();
  }

  private boolean globallyPaused() throws SQLException {
    return store.settings().value(PAUSED_SETTING).map(Boolean::parseBoolean).orElse(false);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ shutdown

  /** Starts no more runs; those under way go on. */
  public void stopDispatching() {
    stopping = true;
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    workers.shutdown();
  }

  /**
   * Waits for runs under way until {@code deadline}, then gives up on them: the engine is crash-safe (cursors
   * move only after a run succeeded), so a run cut off by the store closing is read again on the next start.
   * Runs are not interrupted: an interrupt inside the embedded database's file I/O would close its files under
   * everyone. Returns how many runs were abandoned.
   */
  public int awaitRuns(Instant deadline) {
    stopDispatching();
    try {
      dispatcher.join(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
      if (workers.awaitTermination(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS)) {
        return 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int cut = runsInProgress();
    LOG.atWarn().addKeyValue("runs", cut).log("sync runs still going at the shutdown deadline were abandoned");
    return cut;
  }

  long dispatchPasses() {
    return passes.get();
  }

  public boolean stopped() {
    return workers.isTerminated() && !dispatcher.isAlive();
  }

  @Override
  public void close() {
    awaitRuns(Instant.now().plusSeconds(10));
  }

  /** One account as the scheduler tracks it; guarded by the scheduler's lock. */
  private static final class Slot {
    final long id;
    AccountState state;
    /** The account has sync cursors (its first sync is done); null: not known yet. */
    Boolean hasCursors;
    Instant nextFallback;
    /** Why the account is dirty (changes announced since its last run started); null when it is not. */
    Trigger dirty;
    Instant firstPoke;
    Instant lastPoke;
    /** Announced again within the quiet of the announcement before: waits for the burst quiet. */
    boolean burst;
    int failures;
    Instant retryAt;
    /** Held by a run (queued, under way, or on an API caller's thread). */
    boolean claimed;
    boolean running;
    Instant claimedAt;

    Slot(long id, Instant nextFallback) {
      this.id = id;
      this.nextFallback = nextFallback;
    }

    boolean schedulable() {
      return state == AccountState.CONNECTED && hasCursors == Boolean.TRUE;
    }

    /**
     * A change was announced: the account runs the short quiet after it. An announcement within the quiet of the one
     * before starts a burst, which runs once the burst quiet passed without another. A run under way only holds the
     * next one back until it ends: a lone announcement during a run is most often that run's own write coming back
     * (Graph's notification, the addon's hook), and a burst rule for it would hold the next real change 2 s.
     */
    void poke(Trigger why, Instant now, Duration quiet) {
      boolean again = lastPoke != null && now.isBefore(lastPoke.plus(quiet));
      if (dirty == null) {
        dirty = why;
        firstPoke = now;
      }
      burst |= again;
      lastPoke = now;
    }

    void pokeInBurst(Trigger why, Instant now) {
      poke(why, now, Duration.ZERO);
      burst = true;
    }

    void clean() {
      dirty = null;
      burst = false;
    }

    /** When the next run is due: the fallback, sooner when dirty (after the quiet or the burst), never before a back-off ends. */
    Instant dueAt(ScheduleSettings s) {
      Instant at = nextFallback;
      if (dirty != null) {
        Instant quietEnd = burst ? lastPoke.plus(s.burstQuiet()) : firstPoke.plus(s.quiet());
        Instant latest = firstPoke.plus(s.maxDelay());
        Instant burst = quietEnd.isBefore(latest) ? quietEnd : latest;
        at = burst.isBefore(at) ? burst : at;
      }
      return retryAt != null && retryAt.isAfter(at) ? retryAt : at;
    }

    void succeeded(Instant next) {
      failures = 0;
      retryAt = null;
      nextFallback = next;
    }

    void release() {
      claimed = false;
      running = false;
    }
  }
}
