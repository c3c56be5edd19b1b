package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.MailForecast;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.Side;
import io.outlooksync.sidecar.core.SyncInput;
import io.outlooksync.sidecar.core.SyncOptions;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.DeltaExpiredException;
import io.outlooksync.sidecar.graph.DeltaItem;
import io.outlooksync.sidecar.graph.DeltaPage;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphEventError;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.AttendeeState;
import io.outlooksync.sidecar.odoo.DraftContext;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.Mapped;
import io.outlooksync.sidecar.odoo.OdooAttendee;
import io.outlooksync.sidecar.odoo.OdooCreate;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooEventMapper;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooUser;
import io.outlooksync.sidecar.odoo.OdooException;
import io.outlooksync.sidecar.odoo.OdooProtocolException;
import io.outlooksync.sidecar.odoo.OdooUnavailableException;
import io.outlooksync.sidecar.odoo.OdooWrite;
import io.outlooksync.sidecar.odoo.Page;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.DeltaState;
import io.outlooksync.sidecar.store.Outbox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One sync run for one account: gather both sides' changes, plan with the {@link Reconciler} (series with
 * {@link SeriesSync}), journal the plan, then carry it out. See docs/sync.md for the order and what is left out.
 *
 * <p>Cursors (Outlook's delta link, Odoo's watermark) move only when every action succeeded: a failed action's
 * source change is then read again next run, and the mappings and transaction ids make repeating the rest harmless.
 */
public final class SyncRunner {
  /** A stored delta round whose window drifted this far from the configured one is replaced by a new round. */
  static final Duration WINDOW_SLACK = Duration.ofDays(7);
  static final Duration RETRY_AFTER = Duration.ofMinutes(5);
  private static final int DELTA_PAGE = 100;
  private static final int ODOO_PAGE = 500;
  /** A run's first Odoo page: small, so that a big push's first Outlook batch goes out soon. */
  private static final int ODOO_FIRST_PAGE = 100;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

  /** The Graph gateway of an account's mailbox. */
  @FunctionalInterface
  public interface Graphs {
    GraphGateway gateway(Account account);
  }

  /** Another run of the same account is under way. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Busy(long accountId) {
      super("account " + accountId + " is already syncing");
    }
  }

  /**
   * What a run decided and did. {@code plan}: its actions, the first {@link #KEPT_ACTIONS} of a bigger one (the
   * journal has them all); {@code changes}: how many actions change a calendar; {@code counts}: actions per kind;
   * {@code errors}: one line per failure, ids only.
   */
  public record RunResult(long runId, boolean dryRun, Plan plan, long changes, MailForecast forecast, Map<String, Integer> counts,
                          List<String> errors) {
    public boolean succeeded() {
      return errors.isEmpty();
    }

    /** Whether {@link #plan} holds only the first of the run's actions. */
    public boolean planCut() {
      return plan.actions().size() < counts.values().stream().mapToLong(Integer::longValue).sum();
    }
  }

  /** Actions a {@link RunResult} holds: a first sync of tens of thousands of events keeps a page's worth in memory. */
  static final int KEPT_ACTIONS = 2000;

  private final Store store;
  private final OdooGateway odoo;
  private final Graphs graphs;
  private final Clock clock;
  private final Supplier<RunSettings> settings;
  private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final ParkedActions parked;

  public SyncRunner(Store store, OdooGateway odoo, Graphs graphs, Clock clock) {
    this(store, odoo, graphs, clock, () -> RunSettings.DEFAULTS);
  }

  public SyncRunner(Store store, OdooGateway odoo, Graphs graphs, Clock clock, Supplier<RunSettings> settings) {
    this.store = store;
    this.odoo = odoo;
    this.graphs = graphs;
    this.clock = clock;
    this.settings = settings;
    this.parked = new ParkedActions(store.outbox());
  }

  /** Where runs set aside their new Outlook events past the first few hundred; null: the temporary directory. */
  private volatile Path spillDir;
  private volatile int backlogInMemory = OutlookBacklog.IN_MEMORY;

  /** Runs set their big backlogs of new Outlook events aside in {@code dir} (the data directory's, not a tmpfs). */
  public SyncRunner spillTo(Path dir) {
    this.spillDir = dir;
    return this;
  }

  /** How many new Outlook events a run keeps whole in memory before it uses a file (tests make it small). */
  SyncRunner backlogInMemory(int events) {
    this.backlogInMemory = events;
    return this;
  }

  private static final String WATERMARK = "odoo_watermark:";

  static String watermarkKey(long accountId) {
    return WATERMARK + accountId;
  }

  /** The accounts that have sync cursors, that is that have synced once: one read for all of them. */
  static Set<Long> accountsWithCursors(Store store) throws SQLException {
    Set<Long> out = new HashSet<>();
    for (String name : store.settings().namesStartingWith(WATERMARK)) {
      out.add(Long.parseLong(name.substring(WATERMARK.length())));
    }
    return out;
  }

  /**
   * Runs one sync of the account. Never two at once for one account ({@link Busy}). Failures of single actions
   * are in the result; a failure to gather (a side unreachable, sign-in needed) fails the run as a whole.
   */
  public RunResult run(long accountId, String cause, boolean dryRun) throws SQLException {
    ReentrantLock lock = locks.computeIfAbsent(accountId, k -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new Busy(accountId);
    }
    try {
      return runLocked(accountId, cause, dryRun);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Resets the account (see {@link AccountReset}), under the same lock as runs: never during a run of the same
   * account.
   */
  public AccountReset.Result reset(long accountId, AccountReset.DeletePolicy delete, AccountReset.NextSync next, boolean dryRun)
      throws SQLException {
    ReentrantLock lock = locks.computeIfAbsent(accountId, k -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new Busy(accountId);
    }
    try {
      Account account = store.accounts().get(accountId).orElseThrow(() -> new IllegalArgumentException("no account " + accountId));
      GraphGateway graph = graphs.gateway(account);
      AccountReset.Result r = new AccountReset(store, odoo, clock, settings.get()).apply(account, graph, delete, next, dryRun);
      if (dryRun && next == AccountReset.NextSync.ALL_EXISTING && r.errors().isEmpty()) {
        r = r.withNextSync(firstSyncAfterReset(account, graph, delete));
      }
      return r;
    } finally {
      lock.unlock();
    }
  }

  /**
   * What the first sync after a reset to "all existing events" would do (nothing is written, nothing journaled):
   * every event in the window is new again, but for those the reset deletes.
   */
  private Preview firstSyncAfterReset(Account account, GraphGateway graph, AccountReset.DeletePolicy delete) throws SQLException {
    Set<String> goneFromOutlook = new java.util.HashSet<>();
    Set<Long> goneFromOdoo = new java.util.HashSet<>();
    boolean outlook = delete == AccountReset.DeletePolicy.DELETE_FROM_OUTLOOK || delete == AccountReset.DeletePolicy.DELETE_FROM_BOTH;
    boolean odooSide = delete == AccountReset.DeletePolicy.DELETE_FROM_ODOO || delete == AccountReset.DeletePolicy.DELETE_FROM_BOTH;
    store.mappings().forEach(account.id(), 500, m -> {
      if (outlook && m.graphId() != null) {
        goneFromOutlook.add(m.graphId());
      }
      if (odooSide && m.odooEventId() != null) {
        goneFromOdoo.add(m.odooEventId());
      }
    });
    Run run = new Run(account, graph, optionsFor(account, clock.instant()));
    run.fresh(goneFromOutlook, goneFromOdoo);
    List<Action> kept = new ArrayList<>();
    List<MailForecast.Mail> mails = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    long[] changes = new long[1];
    RuntimeException failed = planInParts(run, true, (input, notes, part) -> {
      for (Action a : part.actions()) {
        counts.merge(kind(a), 1, Integer::sum);
        if (kept.size() < KEPT_ACTIONS) {
          kept.add(a);
        }
      }
      changes[0] += part.changes();
      mails.addAll(part.mail(run.mailbox).mails());
    });
    if (failed != null) {
      throw failed;
    }
    return new Preview(new Plan(kept), changes[0], new MailForecast(mails), counts);
  }

  /**
   * A plan computed for a question (nothing executed): its first {@link #KEPT_ACTIONS} actions, how many change a
   * calendar, its forecast and counts per action kind.
   */
  public record Preview(Plan plan, long changes, MailForecast forecast, Map<String, Integer> counts) {}

  private SyncOptions optionsFor(Account account, Instant now) throws SQLException {
    RunSettings s = settings.get();
    return s.optionsAt(now, UserOptions.read(store, account.id(), s));
  }

  private RunResult runLocked(long accountId, String cause, boolean dryRun) throws SQLException {
    Account account = store.accounts().get(accountId).orElseThrow(() -> new IllegalArgumentException("no account " + accountId));
    Instant now = clock.instant();
    SyncOptions options = optionsFor(account, now);
    ObjectNode inputs = JSON.createObjectNode()
        .put("window_start", options.windowStart().toString())
        .put("window_end", options.windowEnd().toString())
        .put("only_future", options.onlyFutureEvents())
        .put("quiet", options.quiet());
    long runId = store.syncRuns().start(accountId, cause, dryRun, inputs.toString());
    try {
      return runJournaled(account, runId, cause, now, options, dryRun);
    } catch (SQLException | RuntimeException | Error e) {
      // The store or the code failed mid-run: the journal says so rather than RUNNING until the next start.
      try {
        store.syncRuns().finish(runId, SyncRun.Status.FAILED, null, "the run stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        store.accounts().recordError(accountId, RunFailure.lastError(runId, "stopped", e));
        store.outbox().abandon(runId);
      } catch (SQLException | RuntimeException journal) {
        e.addSuppressed(journal);
      }
      throw e;
    }
  }

  private RunResult runJournaled(Account account, long runId, String cause, Instant now, SyncOptions options, boolean dryRun)
      throws SQLException {
    long accountId = account.id();
    progress(accountId, runId).addKeyValue("cause", cause).addKeyValue("dry_run", dryRun).log("sync run started");
    Run run = new Run(account, graphs.gateway(account), options);
    if (!dryRun) {
      run.writer = new PartWriter("sync-writes-" + accountId);
    }
    List<Action> kept = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    long[] changes = new long[1];
    RunRecord.PlanRecorder planRecord = new RunRecord.PlanRecorder();
    List<MailForecast.Mail> mails = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    Map<String, String> holding = new LinkedHashMap<>();
    RunRecord.Recorder[] record = new RunRecord.Recorder[1];
    // Each part (an Odoo page, then the rest) is planned, screened and carried out before the next is planned.
    RuntimeException gathering = planInParts(run, dryRun, (input, notes, part) -> {
      if (record[0] == null) {
        record[0] = new RunRecord.Recorder(run.mailbox, options, run.backlog::forEach, run.meetingsInOdoo);
      }
      record[0].add(input.pairs(), input.newInOdoo(), notes);
      Plan screened = parked.screen(accountId, part, dryRun);
      // The parts' actions are let go once written: only their counts, their journal lines and the first few stay.
      for (Action a : screened.actions()) {
        counts.merge(kind(a), 1, Integer::sum);
        if (kept.size() < KEPT_ACTIONS) {
          kept.add(a);
        }
      }
      changes[0] += screened.changes();
      planRecord.add(screened);
      mails.addAll(screened.mail(run.mailbox).mails());
      if (!dryRun) {
        // Into the outbox before it is handed over: the rows are there before any of the part's writes.
        store.outbox().enqueue(accountId, runId, run.queued(screened));
        Run.Writing writing = run.writing();
        run.writer.submit(writing.odooIds(), () -> {
          for (Plan slice : slices(screened)) {
            Map<String, String> sliceFailed = writing.execute(runId, slice, failed);
            // Failures of actions parked now (ParkedActions) no longer hold the cursors.
            holding.putAll(parked.park(slice, sliceFailed));
            failed.putAll(sliceFailed);
          }
          writing.release(screened);
        });
      }
    });
    if (run.writer != null) {
      run.writer.settle();
    }
    Plan plan = new Plan(kept);
    MailForecast forecast = new MailForecast(mails);
    if (record[0] != null) {
      // What the reconciler saw, so that `replay` can plan this run again (docs/shell.md).
      store.syncRuns().recordInputs(runId, record[0].document());
    }
    store.syncRuns().recordPlan(runId, planRecord.document(forecast));
    long actions = counts.values().stream().mapToLong(Integer::longValue).sum();
    progress(accountId, runId).addKeyValue("changes", changes[0]).addKeyValue("notes", actions - changes[0])
        .addKeyValue("mail", forecast.total()).log(dryRun ? "sync run planned (dry run: nothing is written)" : "sync run planned");
    List<String> errors = new ArrayList<>();
    failed.forEach((id, why) -> errors.add(id + ": " + why + (holding.containsKey(id) ? "" : " (parked)")));
    if (gathering != null) {
      String error = "gathering failed: " + gathering.getClass().getSimpleName() + ": " + gathering.getMessage();
      progress(accountId, runId).addKeyValue("error", gathering.getClass().getSimpleName()).log("sync run failed while gathering");
      errors.add(0, error);
      store.syncRuns().finish(runId, SyncRun.Status.FAILED, null, String.join("\n", errors));
      store.accounts().recordError(accountId, RunFailure.lastError(runId, "failed", gathering));
      return new RunResult(runId, dryRun, plan, changes[0], forecast, counts, List.copyOf(errors));
    }
    if (!dryRun) {
      if (holding.isEmpty()) {
        run.saveCursors();
        store.accounts().recordSync(accountId, now);
      }
      if (failed.isEmpty()) {
        store.outbox().supersedeBefore(accountId, runId);
      }
      if (!errors.isEmpty()) {
        store.accounts().recordError(accountId, "sync run " + runId + ": " + errors.size() + " action(s) failed");
      }
    }
    store.syncRuns().finish(runId, errors.isEmpty() ? SyncRun.Status.SUCCEEDED : SyncRun.Status.FAILED, RunRecord.outcome(counts, errors),
        errors.isEmpty() ? null : String.join("\n", errors));
    progress(accountId, runId).addKeyValue("errors", errors.size()).log("sync run finished");
    return new RunResult(runId, dryRun, plan, changes[0], forecast, counts, List.copyOf(errors));
  }

  /**
   * A part's plan as it is carried out: everything but the Odoo creates, then those a page at a time (the new
   * Outlook events of a first sync all come in the last part), so no write holds thousands of events at once.
   */
  static List<Plan> slices(Plan plan) {
    List<Action> first = new ArrayList<>();
    List<Action.CreateInOdoo> creates = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.CreateInOdoo c) {
        creates.add(c);
      } else {
        first.add(a);
      }
    }
    List<Plan> out = new ArrayList<>();
    out.add(new Plan(first));
    for (int i = 0; i < creates.size(); i += ODOO_PAGE) {
      out.add(new Plan(new ArrayList<>(creates.subList(i, Math.min(creates.size(), i + ODOO_PAGE)))));
    }
    return out;
  }

  /** What is done with each part of a run as soon as it is planned. */
  @FunctionalInterface
  private interface PartTaker {
    void take(SyncInput input, List<Action> notes, Plan plan) throws SQLException;
  }

  /**
   * Gathers and plans the run part by part (docs/sync.md, "Page by page"): Outlook's changes whole, then each page
   * of Odoo's against the new Outlook events still free, then the rest (pairs only Outlook reported, series, the
   * Outlook events of meetings linked elsewhere or alike the rest's Odoo events), then the Outlook events no part
   * took, a page at a time. Each part's plan starts with the notes gathering made for it. Returns the failure
   * that stopped gathering or planning (a side unreachable, sign-in needed), or null; the parts before it were taken.
   */
  private RuntimeException planInParts(Run run, boolean dryRun, PartTaker taker) throws SQLException {
    try {
      try {
        run.gatherOutlook(dryRun);
      } catch (RuntimeException e) {
        return e;
      }
      while (true) {
        SyncInput input;
        Plan plan;
        boolean rest;
        try {
          rest = !run.nextPage();
          if (rest) {
            run.gatherRest();
            input = run.input();
            plan = CrossingMoves.foresee(Reconciler.plan(input), run.series);
          } else {
            input = run.input();
            plan = Reconciler.planPage(input);
          }
        } catch (RuntimeException e) {
          return e;
        }
        List<Action> notes = run.takeNotes();
        List<Action> part = new ArrayList<>(notes);
        part.addAll(plan.actions());
        taker.take(input, notes, new Plan(part));
        run.endPart(input, plan);
        if (rest) {
          break;
        }
      }
      while (true) {
        SyncInput input;
        Plan plan;
        try {
          input = run.backlogPage();
          if (input == null) {
            return null;
          }
          plan = Reconciler.plan(input);
        } catch (RuntimeException e) {
          return e;
        }
        taker.take(input, List.of(), plan);
      }
    } finally {
      run.close();
    }
  }

  static String kind(Action a) {
    return a.getClass().getSimpleName();
  }

  /** A progress line of a run: the shell's `sync` follows these in the sidecar's log. */
  private static LoggingEventBuilder progress(long accountId, long runId) {
    return LOG.atInfo().addKeyValue("account", accountId).addKeyValue("run", runId);
  }

  /** One run's state: what was read, the input it makes, and carrying out the plan. */
  private final class Run {
    final Account account;
    final GraphGateway graph;
    final SyncOptions options;
    final String mailbox;
    final OdooSide odooSide = new OdooSide(odoo);
    final List<Action> skips = new ArrayList<>();
    OdooUser owner;
    MailboxIdentity identity;
    DeltaState nextDelta;
    Instant nextWatermark;
    /** Mapped pairs touched this run, by mapping id, with both sides as they are now. */
    final Map<Long, Touched> pairs = new LinkedHashMap<>();
    /** The part being planned: its pairs (by mapping id) and its new Odoo events. */
    final Map<Long, Touched> part = new LinkedHashMap<>();
    final List<SyncInput.OdooState> newInOdoo = new ArrayList<>();
    /** The new Outlook events no part took yet, in the round's order; on disk past a few hundred. */
    final OutlookBacklog backlog;
    /** The new Outlook events the part being planned was given, by id, for its writes. */
    Map<String, SyncInput.OutlookState> partOutlook = new HashMap<>();
    /** Changed Odoo events of series occurrences (detached ones are pairs): planned with the series, at the end. */
    final Map<Long, OdooEvent> deferred = new LinkedHashMap<>();
    /** Odoo events of meetings another mailbox linked, by id: read again for the rest, which adopts them. */
    final Map<Long, OdooEvent> meetingEvents = new LinkedHashMap<>();
    OdooPages pages;
    /** Contents and rows read this run. */
    Map<Long, CalEvent> odooContent = new HashMap<>();
    /** Read by the part being written while the next is planned. */
    final Map<String, SyncInput.OutlookState> outlookState = new ConcurrentHashMap<>();
    OdooSide.Read odooRead;
    /**
     * Odoo events an earlier run created from this run's new Outlook events but did not map (it was cut off in
     * between), by create key: they are linked, not created again, nor copied to Outlook as new Odoo events.
     */
    final Map<String, Long> madeInOdoo = new HashMap<>();
    /** Odoo events already linked to a meeting through another mailbox of the same database, by iCalUId. */
    final Map<String, Long> meetingsInOdoo = new HashMap<>();
    /** A round over the whole window (first run, expired link, window moved): no deletions are reported. */
    boolean fullRound;
    /** A preview that ignores what was synced: every event is new, but for those named gone. */
    boolean fresh;
    Set<String> goneFromOutlook = Set.of();
    Set<Long> goneFromOdoo = Set.of();
    /** Recurring events: read, planned and written by their own classes (docs/recurrence.md). */
    SeriesSync series;
    /** Carries out the parts while the next is planned; null in a dry run. */
    PartWriter writer;
    /** The last part (series, the rest) is being planned; false again for the backlog's pages after it. */
    boolean rest;

    Run(Account account, GraphGateway graph, SyncOptions options) {
      this.account = account;
      this.graph = graph;
      this.options = options;
      this.mailbox = account.msUsername();
      this.backlog = new OutlookBacklog(spillDir, backlogInMemory);
    }

    void fresh(Set<String> goneFromOutlook, Set<Long> goneFromOdoo) {
      this.fresh = true;
      this.goneFromOutlook = goneFromOutlook;
      this.goneFromOdoo = goneFromOdoo;
    }

    // ---------------------------------------------------------------- gather

    /**
     * The first part of gathering: the mailbox's identity, Outlook's changes (the whole round, page by page), what
     * they link to in Odoo; and Odoo's first page, read meanwhile on the page reader's thread.
     */
    void gatherOutlook(boolean dryRun) throws SQLException {
      owner = odoo.user(account.odooUserId());
      odooSide.know(owner);
      identity = new MailboxIdentity(owner.email(), mailbox, owner.partnerId());
      series = new SeriesSync(store, odoo, graph, account, owner, options, mailbox, fresh);
      Instant watermark = fresh ? Instant.EPOCH
          : store.settings().value(watermarkKey(account.id())).map(Instant::parse).orElse(Instant.EPOCH);
      OdooUser user = owner;
      pages = new OdooPages((after, afterId, size) -> odoo.eventsOfUserChangedSince(user.partnerId(), user.id(), after, afterId, size),
          odooSide, watermark, ODOO_FIRST_PAGE, ODOO_PAGE, "odoo-pages-" + account.id());
      // Pages are taken in as they come (one mapping query per page), so no round is held whole.
      OutlookIntake outlook = outlookChanges(dryRun);
      skips.addAll(outlook.skips());
      if (fullRound && !fresh) {
        missedByTheRound(outlook.seen());
      }
      linkMeetingsOfOtherMailboxes();
      findWhatOdooMadeAlready();
    }

    /**
     * The next page of Odoo's changes as the part to plan: its mapped events with both sides as they are now, its new
     * ones. False after the last page.
     */
    boolean nextPage() throws SQLException {
      if (!pages.hasNext()) {
        return false;
      }
      OdooPages.Fetched fetched = pages.next();
      Page<OdooEvent> page = fetched.page();
      if (writer != null) {
        // An event a part still being written holds came again (edited meanwhile): its mapping must be saved first.
        writer.settleIfTouching(page.items().stream().map(OdooEvent::id).toList());
      }
      List<OdooEvent> wanted = new ArrayList<>();
      for (OdooEvent e : page.items()) {
        if (!goneFromOdoo.contains(e.id()) && !series.takes(e)) {
          wanted.add(e);
        }
      }
      Map<Long, Mapping> mapped = fresh || wanted.isEmpty() ? Map.of()
          : store.mappings().byOdooEventIds(account.id(), wanted.stream().map(OdooEvent::id).toList());
      Map<Long, OdooEvent> events = new LinkedHashMap<>();
      List<OdooEvent> unmapped = new ArrayList<>();
      for (OdooEvent e : wanted) {
        Mapping m = mapped.get(e.id());
        if (m == null) {
          unmapped.add(e);
          events.put(e.id(), e);
          continue;
        }
        Touched t = touched(m);
        t.odoo(e);
        if (m.seriesGraphId() != null || m.odooRecurrenceId() != null) {
          deferred.put(e.id(), e);
        } else {
          part.put(m.id(), t);
          events.put(e.id(), e);
        }
      }
      page.malformed().keySet().forEach(id ->
          skips.add(new Action.Skip("skip-unreadable-odoo-" + id, "odoo:" + id, "Odoo sent this event in a form that cannot be read")));
      if (!page.hasMore()) {
        nextWatermark = page.nextWatermark();
      }
      odooRead = fetched.read();
      keepContent(odooRead, events.values());
      if (!fullRound && !fresh) {
        forgetUnchanged(part.values());
      }
      readOutlookSides(part.values());
      for (OdooEvent e : unmapped) {
        if (!e.active() || madeInOdoo.containsValue(e.id())) {
          continue;
        }
        CalEvent c = odooContent.get(e.id());
        if (c == null) {
          skips.add(new Action.Skip("skip-unmappable-odoo-" + e.id(), "odoo:" + e.id(), "cannot be mapped: "
              + String.join("; ", odooRead.events().get(e.id()).notes())));
          continue;
        }
        newInOdoo.add(new SyncInput.OdooState(e.id(), c, e.active(), e.writeDate()));
      }
      return true;
    }

    /**
     * The last part: the pairs no page brought (Outlook reported them, or they are series occurrences), the series,
     * and the new Outlook events no page took, which are adopted by iCalUId or created in Odoo.
     */
    void gatherRest() throws SQLException {
      rest = true;
      if (writer != null) {
        writer.settle();
      }
      Map<Long, OdooEvent> odooEvents = new LinkedHashMap<>(deferred);
      series.read(odooEvents);
      odooRead = odooSide.read(odooEvents.values());
      keepContent(odooRead, odooEvents.values());
      part.putAll(pairs);
      if (!fullRound && !fresh) {
        forgetUnchanged(part.values());
      }
      readOutlookSides(part.values());
      Set<Long> odooMissing = new LinkedHashSet<>();
      for (Touched t : part.values()) {
        if (!t.odooKnown && t.mapping.odooEventId() != null) {
          odooMissing.add(t.mapping.odooEventId());
        }
      }
      Map<Long, OdooEvent> moreOdoo = new LinkedHashMap<>();
      if (!odooMissing.isEmpty()) {
        Map<Long, OdooEvent> found = new HashMap<>();
        odoo.events(odooMissing).items().forEach(e -> found.put(e.id(), e));
        for (Touched t : part.values()) {
          if (!t.odooKnown && t.mapping.odooEventId() != null) {
            OdooEvent e = found.get(t.mapping.odooEventId());
            t.odoo(e);
            if (e != null && !odooEvents.containsKey(e.id())) {
              moreOdoo.put(e.id(), e);
            }
          }
        }
      }
      meetingEvents.forEach((id, e) -> {
        if (!odooEvents.containsKey(id)) {
          moreOdoo.putIfAbsent(id, e);
        }
      });
      if (!moreOdoo.isEmpty()) {
        OdooSide.Read more = odooSide.read(moreOdoo.values());
        keepContent(more, moreOdoo.values());
        odooRead = odooRead.plus(more);
        odooEvents.putAll(moreOdoo);
      }
      series.plan(odooContent, (m, o, g) -> {
        Touched t = touched(m);
        t.odoo(o);
        t.outlook(g);
        part.put(m.id(), t);
      }, skips);
    }

    /** The Outlook side, as it is now, of the pairs Outlook did not report: in $batch GETs. */
    private void readOutlookSides(java.util.Collection<Touched> touched) {
      List<String> outlookMissing = new ArrayList<>();
      for (Touched t : touched) {
        if (!t.outlookKnown && t.mapping.graphId() != null) {
          outlookMissing.add(t.mapping.graphId());
        }
      }
      if (outlookMissing.isEmpty()) {
        return;
      }
      Map<String, GraphEvent> now = graph.events(outlookMissing);
      for (Touched t : touched) {
        if (!t.outlookKnown && t.mapping.graphId() != null) {
          t.outlook(now.get(t.mapping.graphId()));
        }
      }
    }

    /** The notes gathered since the last part, for the next part's plan. */
    List<Action> takeNotes() {
      List<Action> notes = List.copyOf(skips);
      skips.clear();
      return notes;
    }

    /**
     * After a part was carried out: its pairs and contents are let go, and the Outlook events it adopted are no
     * longer free for later pages.
     */
    void endPart(SyncInput input, Plan plan) {
      for (Action.Adopt a : plan.of(Action.Adopt.class)) {
        backlog.remove(a.graphId());
      }
      if (rest) {
        // The last part decides every new Outlook event it was given: adopted, created, or outside the window.
        input.newInOutlook().forEach(g -> backlog.remove(g.graphId()));
        // What follows are the backlog's pages: no series, no pairs.
        rest = false;
      }
      part.keySet().forEach(pairs::remove);
      part.clear();
      newInOdoo.clear();
      odooContent = new HashMap<>();
    }

    void close() {
      if (pages != null) {
        pages.close();
      }
      if (writer != null) {
        writer.close();
      }
      backlog.close();
    }

    /**
     * Pairs Odoo reported but did not change since they were synced (the watermark's second is read again every
     * run; the addon announces our own writes) and Outlook did not report either: nothing to do, and nothing to
     * read from Outlook. Only after an incremental round, where Outlook's silence means no change.
     */
    private void forgetUnchanged(java.util.Collection<Touched> touched) {
      for (var it = touched.iterator(); it.hasNext(); ) {
        Touched t = it.next();
        if (!t.outlookKnown && t.odooEvent != null
            && Snapshots.unchanged(t.mapping.odooSynced(), odooContent.get(t.odooEvent.id()), t.odooEvent.active())) {
          it.remove();
          pairs.remove(t.mapping.id());
        }
      }
    }

    /**
     * What a delta round brought, page by page, besides the new events (into the backlog): the skips by id (an item Graph sends again later
     * in the round counts in its latest form), and every id seen (a full round's deletions need them).
     */
    private static final class OutlookIntake {
      final Map<String, Action> skips = new LinkedHashMap<>();
      final Set<String> seen = new java.util.HashSet<>();

      List<Action> skips() {
        return List.copyOf(skips.values());
      }

      Set<String> seen() {
        return seen;
      }
    }

    /**
     * The Odoo copies of this run's new Outlook events that a run cut off before mapping them made, by create key.
     * A copy that still looks like its source is left to adoption by its looks (as without the addon); one that
     * does not (the source was edited since) is no new Odoo event: the plan's create of its source links it.
     */
    private void findWhatOdooMadeAlready() throws SQLException {
      // By create key, a thousand at a time: the backlog may be far bigger than one Odoo call should carry.
      Map<String, String> lookKeys = new LinkedHashMap<>();
      SQLException[] failed = new SQLException[1];
      backlog.forEach(g -> {
        lookKeys.put(Reconciler.createInOdooId(mailbox, g.graphId()), Reconciler.matchKey(g.content()));
        if (lookKeys.size() == 1000 && failed[0] == null) {
          failed[0] = madeAlready(lookKeys);
          lookKeys.clear();
        }
      });
      if (failed[0] == null && !lookKeys.isEmpty()) {
        failed[0] = madeAlready(lookKeys);
      }
      if (failed[0] != null) {
        throw failed[0];
      }
    }

    /** {@link #findWhatOdooMadeAlready} for some events: their look-alike keys by create key. */
    private SQLException madeAlready(Map<String, String> lookKeys) {
      Map<String, Long> found = odoo.eventsBySource(lookKeys.keySet());
      if (found.isEmpty()) {
        return null;
      }
      Map<Long, Mapping> mapped;
      try {
        mapped = fresh ? Map.of() : store.mappings().byOdooEventIds(account.id(), found.values());
      } catch (SQLException e) {
        return e;
      }
      List<OdooEvent> copies = odoo.events(found.values()).items();
      Map<Long, CalEvent> content = contentOf(odooSide.read(copies), copies);
      for (Map.Entry<String, Long> made : found.entrySet()) {
        CalEvent copy = content.get(made.getValue());
        boolean alike = copy != null && Reconciler.matchKey(copy).equals(lookKeys.get(made.getKey()));
        if (!alike && !mapped.containsKey(made.getValue())) {
          madeInOdoo.put(made.getKey(), made.getValue());
        }
      }
      return null;
    }

    /**
     * A round over the whole window reports no deletions: a mapped event the round did not bring, whose last
     * synced time lies in the window, is read by id (a 404 then says it is gone).
     */
    private void missedByTheRound(Set<String> seen) throws SQLException {
      store.mappings().forEach(account.id(), 500, m -> {
        if (m.graphId() == null || seen.contains(m.graphId()) || pairs.containsKey(m.id()) || m.seriesGraphId() != null) {
          return;
        }
        CalEvent last = Snapshots.read(m.graphSynced());
        if (last != null && last.when().endInstant().isAfter(options.windowStart())
            && last.when().startInstant().isBefore(options.windowEnd())) {
          touched(m);
        }
      });
    }

    /**
     * New Outlook copies of meetings another mailbox of this Odoo database already linked: the Odoo event is the
     * same meeting (one Odoo event per meeting). Only active events, and not one this mailbox maps already.
     */
    private void linkMeetingsOfOtherMailboxes() throws SQLException {
      // A thousand iCalUIds to a store query: the backlog may hold tens of thousands.
      Map<String, Long> linked = new LinkedHashMap<>();
      Set<String> uids = new LinkedHashSet<>();
      SQLException[] failed = new SQLException[1];
      backlog.forEach(g -> {
        if (g.iCalUId() != null && failed[0] == null) {
          uids.add(g.iCalUId());
          if (uids.size() == 1000) {
            failed[0] = meetingsLinked(uids, linked);
          }
        }
      });
      if (failed[0] == null && !uids.isEmpty()) {
        failed[0] = meetingsLinked(uids, linked);
      }
      if (failed[0] != null) {
        throw failed[0];
      }
      if (linked.isEmpty()) {
        return;
      }
      Map<Long, Mapping> mappedHere = fresh ? Map.of() : store.mappings().byOdooEventIds(account.id(), linked.values());
      Set<Long> wanted = new LinkedHashSet<>();
      for (Map.Entry<String, Long> e : linked.entrySet()) {
        if (!mappedHere.containsKey(e.getValue())) {
          wanted.add(e.getValue());
        }
      }
      if (wanted.isEmpty()) {
        return;
      }
      Map<Long, OdooEvent> found = new HashMap<>();
      odoo.events(wanted).items().forEach(e -> found.put(e.id(), e));
      for (Map.Entry<String, Long> e : linked.entrySet()) {
        OdooEvent event = found.get(e.getValue());
        if (event != null && event.active() && !event.recurrency() && event.recurrenceId() == null) {
          meetingsInOdoo.put(e.getKey(), event.id());
          meetingEvents.putIfAbsent(event.id(), event);
        }
      }
      backlog.knowMeetings(meetingsInOdoo);
    }

    /** Adds to {@code linked} the Odoo events other mailboxes linked to the meetings {@code uids}, and clears them. */
    private SQLException meetingsLinked(Set<String> uids, Map<String, Long> linked) {
      try {
        linked.putAll(store.mappings().odooEventsOfMeetings(account.odooDb(), account.id(), uids));
        uids.clear();
        return null;
      } catch (SQLException e) {
        return e;
      }
    }

    /**
     * Outlook's changes since the stored delta link, or a full round of the window: on the first run, when the
     * link expired, and when the window moved on by more than {@link #WINDOW_SLACK} (time passing, or the
     * administrator changing it).
     */
    private OutlookIntake outlookChanges(boolean dryRun) throws SQLException {
      Optional<DeltaState> stored = fresh ? Optional.empty()
          : store.deltaStates().get(account.id()).filter(s -> s.deltaLink() != null).filter(this::windowStillFits);
      try {
        return round(stored.orElse(null));
      } catch (DeltaExpiredException expired) {
        if (!dryRun) {
          store.deltaStates().clear(account.id());
        }
        // What the cut-off round brought is read again by the full one.
        pairs.clear();
        outlookState.clear();
        backlog.clear();
        return round(null);
      }
    }

    private boolean windowStillFits(DeltaState s) {
      return Duration.between(s.windowStart(), options.windowStart()).abs().compareTo(WINDOW_SLACK) <= 0
          && Duration.between(s.windowEnd(), options.windowEnd()).abs().compareTo(WINDOW_SLACK) <= 0;
    }

    private OutlookIntake round(DeltaState from) throws SQLException {
      fullRound = from == null;
      Instant start = from == null ? options.windowStart() : from.windowStart();
      Instant end = from == null ? options.windowEnd() : from.windowEnd();
      DeltaPage page = from == null ? graph.firstPage(start, end, DELTA_PAGE) : graph.nextPage(from.deltaLink(), DELTA_PAGE);
      OutlookIntake intake = new OutlookIntake();
      while (true) {
        takeIn(page.items(), intake);
        if (page.last()) {
          break;
        }
        page = graph.nextPage(page.nextLink(), DELTA_PAGE);
      }
      nextDelta = new DeltaState(account.id(), start, end, page.deltaLink(), null);
      return intake;
    }

    /** One delta page: its mapped items become touched pairs (one store query for the page), the others new or skipped. */
    private void takeIn(List<DeltaItem> items, OutlookIntake intake) throws SQLException {
      List<String> lookup = new ArrayList<>();
      for (DeltaItem item : items) {
        if ((item instanceof GraphEvent e && e.kind() == GraphEvent.Kind.SINGLE_INSTANCE) || item instanceof DeltaItem.Removed) {
          lookup.add(item.id());
        }
      }
      Map<String, Mapping> mapped = fresh || lookup.isEmpty() ? Map.of() : store.mappings().byGraphIds(account.id(), lookup);
      for (DeltaItem item : items) {
        intake.seen.add(item.id());
        if (goneFromOutlook.contains(item.id())) {
          continue;
        }
        backlog.remove(item.id());
        intake.skips.remove(item.id());
        if (series.takes(item)) {
          continue;
        }
        Mapping m = mapped.get(item.id());
        if (item instanceof GraphEvent e && e.kind() == GraphEvent.Kind.SINGLE_INSTANCE) {
          if (m != null) {
            touched(m).outlook(e);
          } else if (!e.cancelled()) {
            backlog.add(CoreMapping.toState(e, mailbox));
          }
        } else if (item instanceof DeltaItem.Removed) {
          if (m != null) {
            touched(m).outlook(null);
          }
        } else if (item instanceof GraphEventError err) {
          intake.skips.put(err.id(), new Action.Skip("skip-unreadable-" + err.id(), "outlook:" + err.id(), "unreadable: " + err.reason()));
        }
      }
    }

    private Touched touched(Mapping m) {
      return pairs.computeIfAbsent(m.id(), k -> new Touched(m));
    }

    /** The part's input: its pairs and new Odoo events, and the new Outlook events still free. */
    SyncInput input() {
      List<SyncInput.Pair> out = new ArrayList<>();
      for (Touched t : part.values()) {
        SyncInput.OdooState o = null;
        if (t.odooEvent != null) {
          CalEvent c = odooContent.get(t.odooEvent.id());
          if (c == null) {
            skips.add(new Action.Skip("skip-unmappable-odoo-" + t.odooEvent.id(), "odoo:" + t.odooEvent.id(), "cannot be mapped"));
            continue;
          }
          o = new SyncInput.OdooState(t.odooEvent.id(), c, t.odooEvent.active(), t.odooEvent.writeDate());
        }
        SyncInput.OutlookState g = null;
        if (t.outlookEvent != null) {
          g = CoreMapping.toState(t.outlookEvent, mailbox);
          outlookState.put(g.graphId(), g);
        }
        CalEvent base = Snapshots.read(t.mapping.odooSynced());
        CalEvent graphBase = Snapshots.read(t.mapping.graphSynced());
        if (base == null) {
          base = graphBase;
        } else if (g != null && graphBase != null) {
          g = comparedWithItsOwnSnapshot(g, base, graphBase);
        }
        if (base != null && Snapshots.quiet(t.mapping.graphSynced())) {
          o = o == null ? null : new SyncInput.OdooState(o.id(), withoutPeople(o.content(), base), o.active(), o.writeDate());
          g = g == null ? null : new SyncInput.OutlookState(g.graphId(), g.iCalUId(), g.changeKey(), withoutPeople(g.content(), base),
              g.isOrganizer(), g.cancelled(), g.ownResponse(), g.lastModified());
        }
        out.add(new SyncInput.Pair(t.mapping, base, Snapshots.archived(t.mapping.odooSynced()), o, g));
      }
      return new SyncInput(mailbox, out, newInOdoo, outlookFor(backlog.candidates(newInOdoo, rest)), meetingsInOdoo, options);
    }

    /**
     * After the last part, the new Outlook events no part took, a page at a time: nothing in Odoo looks like them
     * any more, so each is created in Odoo (or left, outside the window). Null when none is left.
     */
    SyncInput backlogPage() {
      if (backlog.isEmpty()) {
        return null;
      }
      return new SyncInput(mailbox, List.of(), List.of(), outlookFor(backlog.takeNext(ODOO_PAGE)), meetingsInOdoo, options);
    }

    /** The part's new Outlook events, kept by id for its writes. */
    private List<SyncInput.OutlookState> outlookFor(List<SyncInput.OutlookState> events) {
      partOutlook = new HashMap<>();
      events.forEach(g -> partOutlook.put(g.graphId(), g));
      return events;
    }

    /** A quiet pair's side with the base's attendees and answers: people are not synced for it, either way. */
    private CalEvent withoutPeople(CalEvent side, CalEvent base) {
      return side.with(Field.ATTENDEES, base).with(Field.RESPONSES, base);
    }

    /**
     * Outlook's side as the merge should see it: each side is compared with its own snapshot, since the same
     * event reads differently on each (others' answers Outlook has not heard yet, say). A field Outlook did not
     * change since its snapshot shows the Odoo base's value, so only real Outlook edits count as edits.
     */
    private SyncInput.OutlookState comparedWithItsOwnSnapshot(SyncInput.OutlookState g, CalEvent base, CalEvent graphBase) {
      CalEvent seen = base;
      for (Field f : Field.values()) {
        if (!f.same(graphBase, g.content())) {
          seen = seen.with(f, g.content());
        }
      }
      return new SyncInput.OutlookState(g.graphId(), g.iCalUId(), g.changeKey(), seen, g.isOrganizer(), g.cancelled(),
          g.ownResponse(), g.lastModified());
    }

    void saveCursors() throws SQLException {
      if (nextDelta != null && nextDelta.deltaLink() != null) {
        store.deltaStates().save(nextDelta);
      }
      if (nextWatermark != null) {
        store.settings().put(watermarkKey(account.id()), nextWatermark.toString());
      }
    }

    /** The mapped contents of {@code events}, in the mailbox's terms ({@link MailboxIdentity}), for the part. */
    private void keepContent(OdooSide.Read read, java.util.Collection<OdooEvent> events) {
      odooContent.putAll(contentOf(read, events));
    }

    private Map<Long, CalEvent> contentOf(OdooSide.Read read, java.util.Collection<OdooEvent> events) {
      Map<Long, CalEvent> out = new HashMap<>();
      for (OdooEvent e : events) {
        Mapped<CalEvent> mapped = read.events().get(e.id());
        if (mapped != null && mapped.value() != null) {
          boolean ownerOrganizes = e.userId() != null && e.userId() == owner.id();
          CalEvent c = identity.read(mapped.value(), ownerOrganizes);
          String outlookOrganizer = series == null ? null : series.outlookOrganizers.get(e.id());
          if (outlookOrganizer != null) {
            c = SeriesOrganizer.asOutlookLists(c, e.id(), e.userId() == null ? null : read.users().get(e.userId()), read.attendees(),
                outlookOrganizer);
          }
          out.put(e.id(), c);
        }
      }
      return out;
    }

    // ---------------------------------------------------------------- execute

    /** The plan's changing actions as outbox rows. */
    List<Outbox.NewAction> queued(Plan plan) {
      List<Outbox.NewAction> queued = new ArrayList<>();
      for (Action a : plan.actions()) {
        if (!(a instanceof Action.Skip) && !(a instanceof Action.Conflict)) {
          queued.add(new Outbox.NewAction(a.id(), kind(a), "{}"));
        }
      }
      return queued;
    }

    /** What carrying out the part just planned needs, handed over so that the next part can be planned meanwhile. */
    Writing writing() {
      return new Writing(new LinkedHashMap<>(part), odooContent, partOutlook, odooRead, rest);
    }

    /**
     * Carries out one part's plan with that part's pairs, contents and Odoo rows (the run goes on planning the next
     * part meanwhile: docs/sync.md, "Page by page"). Only the last part holds series.
     */
    final class Writing {
      final Map<Long, Touched> pairs;
      final Map<Long, CalEvent> odooContent;
      /** The new Outlook events the part was given, by id. */
      final Map<String, SyncInput.OutlookState> newOutlook;
      final OdooSide.Read odooRead;
      final boolean withSeries;
      SeriesWrites seriesWrites;

      Writing(Map<Long, Touched> pairs, Map<Long, CalEvent> odooContent, Map<String, SyncInput.OutlookState> newOutlook,
              OdooSide.Read odooRead, boolean withSeries) {
        this.pairs = pairs;
        this.odooContent = odooContent;
        this.newOutlook = newOutlook;
        this.odooRead = odooRead;
        this.withSeries = withSeries;
      }

      /** The Odoo events of the part's pairs: a later page bringing one again waits until this part is written. */
      Set<Long> odooIds() {
        Set<Long> ids = new java.util.HashSet<>(odooContent.keySet());
        pairs.values().forEach(t -> {
          if (t.mapping.odooEventId() != null) {
            ids.add(t.mapping.odooEventId());
          }
        });
        return ids;
      }

      /** The part's Outlook states are no longer needed once it is written. */
      void release(Plan plan) {
        for (Touched t : pairs.values()) {
          if (t.outlookEvent != null) {
            outlookState.remove(t.outlookEvent.id());
          }
        }
      }

      private void keepContent(OdooSide.Read read, java.util.Collection<OdooEvent> events) {
        odooContent.putAll(contentOf(read, events));
      }


      /**
       * Carries out one part's plan; returns why each failed action failed, by action id (ids only). {@code earlier}:
       * the failures of the run's earlier parts (a series is settled only when nothing failed).
       */
      Map<String, String> execute(long runId, Plan plan, Map<String, String> earlier) throws SQLException {
        List<Outbox.NewAction> queued = queued(plan);
        Map<String, String> failed = new LinkedHashMap<>();
        Map<Long, Mapping> saves = new LinkedHashMap<>();
        List<Mapping> creates = new ArrayList<>();
        Set<Long> odooWritten = new LinkedHashSet<>();

        // A slice of a part's Odoo creates (slices) has nothing of series: those were written and settled with the part.
        boolean createsOnly = !plan.actions().isEmpty() && plan.actions().stream().allMatch(a -> a instanceof Action.CreateInOdoo);
        boolean seriesPart = withSeries && !createsOnly;
        if (seriesPart) {
          seriesWrites = new SeriesWrites(series, identity, odooSide, odooRead, odooContent);
          seriesWrites.write(plan, failed);
        }
        graphWrites(plan, failed, saves, creates);
        odooWrites(plan, failed, creates, odooWritten);
        odooOnlySaves.forEach(saves::putIfAbsent);

        for (Action a : plan.actions()) {
          if (a instanceof Action.Adopt ad && !failed.containsKey(a.id())) {
            SyncInput.OutlookState g = newOutlook.get(ad.graphId());
            CalEvent o = odooContent.get(ad.odooEventId());
            creates.add(new Mapping(0, account.id(), ad.odooEventId(), ad.graphId(), ad.iCalUId(), g == null ? null : g.changeKey(),
                null, null, o == null ? null : Snapshots.write(o), g == null ? null : Snapshots.write(g.content()), null, null));
          } else if (a instanceof Action.Forget f) {
            store.mappings().delete(f.mappingId());
          } else if (archives(a) && !failed.containsKey(a.id())) {
            long mappingId = a instanceof Action.ArchiveInOdoo ar ? ar.mappingId()
                : a instanceof Action.DeleteInOutlook d ? d.mappingId() : ((Action.DeclineInOutlook) a).mappingId();
            Mapping m = pairs.get(mappingId).mapping;
            if (m.odooSynced() != null && !Snapshots.archived(m.odooSynced())) {
              saves.putIfAbsent(mappingId, new Mapping(m.id(), m.accountId(), m.odooEventId(), m.graphId(), m.iCalUId(), m.changeKey(),
                  m.seriesGraphId(), m.odooRecurrenceId(), Snapshots.withArchived(m.odooSynced(), true), m.graphSynced(), m.odooHash(),
                  m.graphHash()));
            }
          }
        }
        // The Odoo side as written, read back: its snapshot is what the next run compares against.
        refreshOdoo(odooWritten);
        List<Mapping> toSave = new ArrayList<>();
        for (Mapping m : creates) {
          toSave.add(withOdooSnapshot(m));
        }
        for (Mapping m : saves.values()) {
          toSave.add(withOdooSnapshot(m));
        }
        store.mappings().saveAll(toSave);
        if (seriesPart) {
          Map<String, String> all = new LinkedHashMap<>(earlier);
          all.putAll(failed);
          seriesWrites.finish(all);
          all.forEach((id, why) -> {
            if (!earlier.containsKey(id)) {
              failed.putIfAbsent(id, why);
            }
          });
        }
        List<String> done = new ArrayList<>();
        for (Outbox.NewAction q : queued) {
          String error = failed.get(q.actionId());
          if (error == null) {
            done.add(q.actionId());
          } else {
            store.outbox().failed(q.actionId(), error, clock.instant().plus(RETRY_AFTER), false);
          }
        }
        store.outbox().doneAll(done);
        return failed;
      }

      /** Actions after which the pair's Odoo side is archived and its Outlook copy gone or declined. */
      private boolean archives(Action a) {
        return a instanceof Action.ArchiveInOdoo || a instanceof Action.DeleteInOutlook || a instanceof Action.DeclineInOutlook;
      }

      private Mapping withOdooSnapshot(Mapping m) {
        CalEvent o = m.odooEventId() == null ? null : odooContent.get(m.odooEventId());
        if (o == null || Snapshots.archived(m.odooSynced())) {
          return m;
        }
        return new Mapping(m.id(), m.accountId(), m.odooEventId(), m.graphId(), m.iCalUId(), m.changeKey(), m.seriesGraphId(),
            m.odooRecurrenceId(), Snapshots.write(o), m.graphSynced(), m.odooHash(), m.graphHash());
      }

      private void refreshOdoo(Set<Long> ids) {
        if (ids.isEmpty()) {
          return;
        }
        try {
          List<OdooEvent> events = odoo.events(ids).items();
          keepContent(odooSide.read(events), events);
        } catch (RuntimeException e) {
          // The snapshot then holds what was written (the merged target), which is the same content.
        }
      }

      private void graphWrites(Plan plan, Map<String, String> failed, Map<Long, Mapping> saves, List<Mapping> creates) {
        List<Action> actions = new ArrayList<>();
        List<GraphWrite> writes = new ArrayList<>();
        for (Action a : plan.actions()) {
          GraphWrite w = null;
          if (a instanceof Action.CreateInOutlook c) {
            w = new GraphWrite.Create(CoreMapping.toDraft(c.content(), c.quiet(), account.odooDb() + ":" + c.odooEventId()), c.id());
          } else if (a instanceof Action.UpdateOutlook u) {
            w = CoreMapping.toUpdate(u.fields(), u.target()).toWrite(u.graphId(), u.changeKey());
            if (w == null) {
              // Nothing Outlook can take (others' answers): its snapshot stays what it holds, so it shows no edit next run.
              SyncInput.OutlookState g = outlookState.get(u.graphId());
              saves.put(u.mappingId(), snapshotted(pairs.get(u.mappingId()).mapping, u.target(), g == null ? null : g.content(), null));
            }
          } else if (a instanceof Action.DeleteInOutlook d) {
            w = new GraphWrite.Delete(d.graphId());
          } else if (a instanceof Action.DeclineInOutlook d) {
            w = new GraphWrite.Answer(d.graphId(), GraphWrite.Response.DECLINE, true, null);
          } else if (a instanceof Action.Answer ans && ans.to() == Side.OUTLOOK && ans.response() != Response.NONE) {
            w = new GraphWrite.Answer(ans.graphId(), switch (ans.response()) {
              case ACCEPTED -> GraphWrite.Response.ACCEPT;
              case TENTATIVE -> GraphWrite.Response.TENTATIVE;
              default -> GraphWrite.Response.DECLINE;
            }, true, null);
          }
          if (w != null) {
            actions.add(a);
            writes.add(w);
          }
        }
        if (writes.isEmpty()) {
          return;
        }
        List<WriteResult> results;
        try {
          results = graph.write(writes);
        } catch (RuntimeException e) {
          actions.forEach(a -> failed.put(a.id(), "Outlook write failed: " + e.getClass().getSimpleName()));
          return;
        }
        for (int i = 0; i < actions.size(); i++) {
          Action a = actions.get(i);
          WriteResult r = results.get(i);
          if (!r.done()) {
            if (seriesWrites == null || !seriesWrites.refused(a, r, a instanceof Action.UpdateOutlook u ? pairs.get(u.mappingId()).mapping : null)) {
              failed.put(a.id(), "Outlook answered " + r.status() + " " + r.httpStatus() + (r.errorCode() == null ? "" : " " + r.errorCode()));
            }
            continue;
          }
          CalEvent readBack = r.event() == null ? null : CoreMapping.toCore(r.event());
          if (a instanceof Action.CreateInOutlook c) {
            CalEvent graphSide = readBack != null ? readBack : c.content();
            Touched existing = pairs.values().stream()
                .filter(t -> t.mapping.odooEventId() != null && t.mapping.odooEventId() == c.odooEventId()).findFirst().orElse(null);
            String graphSnapshot = Snapshots.withQuiet(Snapshots.write(graphSide), c.quiet() && c.content().isMeeting());
            Mapping m = new Mapping(existing == null ? 0 : existing.mapping.id(), account.id(), c.odooEventId(), r.id(),
                r.event() == null ? null : r.event().iCalUId(), r.changeKey(), null, null, Snapshots.write(c.content()),
                graphSnapshot, null, null);
            if (existing == null) {
              creates.add(m);
            } else {
              saves.put(m.id(), m);
            }
          } else if (a instanceof Action.UpdateOutlook u) {
            saves.put(u.mappingId(), snapshotted(pairs.get(u.mappingId()).mapping, u.target(), readBack != null ? readBack : u.target(),
                r.changeKey()));
          }
        }
      }

      /** The mapping with both snapshots at {@code odooSide}; the Outlook one from {@code graphSide} when given. */
      private Mapping snapshotted(Mapping m, CalEvent odooSide, CalEvent graphSide, String changeKey) {
        return new Mapping(m.id(), m.accountId(), m.odooEventId(), m.graphId(), m.iCalUId(), changeKey != null ? changeKey : m.changeKey(),
            m.seriesGraphId(), m.odooRecurrenceId(), Snapshots.write(odooSide),
            Snapshots.withQuiet(Snapshots.write(graphSide != null ? graphSide : odooSide), Snapshots.quiet(m.graphSynced())),
            m.odooHash(), m.graphHash());
      }

      /**
       * Writes {@code actions} to Odoo in one call. When Odoo answers a fault, which rolls the call back, and
       * {@code nothingMade} holds, each is written alone, so that only the event at fault fails. Not when Odoo was
       * unreachable or its reply unreadable: the writes may have happened (create keys find them).
       */
      private <A extends Action> void isolating(List<A> actions, String failure, java.util.function.Consumer<List<A>> write,
                                                java.util.function.BooleanSupplier nothingMade, Map<String, String> failed) {
        if (actions.isEmpty()) {
          return;
        }
        try {
          write.accept(actions);
        } catch (OdooException refused) {
          if (answered(refused) && actions.size() > 1 && nothingMade.getAsBoolean()) {
            for (A a : actions) {
              try {
                write.accept(List.of(a));
              } catch (RuntimeException e) {
                failed.putIfAbsent(a.id(), failure + e.getClass().getSimpleName());
              }
            }
          } else {
            actions.forEach(a -> failed.putIfAbsent(a.id(), failure + refused.getClass().getSimpleName()));
          }
        } catch (RuntimeException e) {
          actions.forEach(a -> failed.putIfAbsent(a.id(), failure + e.getClass().getSimpleName()));
        }
      }

      private void odooWrites(Plan plan, Map<String, String> failed, List<Mapping> creates, Set<Long> odooWritten) {
        List<Action.CreateInOdoo> toCreate = plan.of(Action.CreateInOdoo.class);
        int made = creates.size() + odooWritten.size();
        // A refused create rolled the one call back (nothing made), unless a part of it was recorded as made.
        isolating(toCreate, "Odoo create failed: ", some -> createInOdoo(some, failed, creates, odooWritten),
            () -> creates.size() + odooWritten.size() == made, failed);
        // A refused write is rolled back and writing again is harmless.
        isolating(plan.of(Action.UpdateOdoo.class), "Odoo update failed: ", some -> updateOdoo(some, failed, odooWritten),
            () -> true, failed);
        List<Action.ArchiveInOdoo> toArchive = plan.of(Action.ArchiveInOdoo.class);
        if (!toArchive.isEmpty()) {
          try {
            odoo.archiveEvents(toArchive.stream().map(Action.ArchiveInOdoo::odooEventId).toList());
          } catch (RuntimeException e) {
            toArchive.forEach(a -> failed.put(a.id(), "Odoo archive failed: " + e.getClass().getSimpleName()));
          }
        }
        List<Action.Answer> answers = plan.of(Action.Answer.class).stream().filter(a -> a.to() == Side.ODOO).toList();
        if (!answers.isEmpty()) {
          try {
            Map<Long, AttendeeState> states = new LinkedHashMap<>();
            for (Action.Answer a : answers) {
              for (OdooAttendee at : odooRead.attendees()) {
                if (at.eventId() == a.odooEventId() && at.partnerId() == owner.partnerId()) {
                  states.put(at.id(), state(a.response()));
                }
              }
            }
            odoo.setAttendeeStates(states);
          } catch (RuntimeException e) {
            answers.forEach(a -> failed.put(a.id(), "Odoo answer failed: " + e.getClass().getSimpleName()));
          }
        }
      }

      private void createInOdoo(List<Action.CreateInOdoo> actions, Map<String, String> failed, List<Mapping> creates,
                                Set<Long> odooWritten) {
        Set<String> emails = new LinkedHashSet<>();
        actions.forEach(a -> emails.addAll(OdooEventMapper.emailsToResolve(a.content())));
        emails.removeIf(identity::isMailbox);
        Map<String, Long> partners = identity.withUser(emails.isEmpty() ? Map.of() : odoo.partnersByEmail(emails, true));
        DraftContext ctx = DraftContext.forCreate(owner, List.of(owner), partners, odooSide.alarms());
        List<Action.CreateInOdoo> going = new ArrayList<>();
        List<OdooCreate> drafts = new ArrayList<>();
        for (Action.CreateInOdoo a : actions) {
          Mapped<OdooCreate> d = OdooEventMapper.toDraft(a.content(), ctx);
          if (d.skipped()) {
            failed.put(a.id(), "cannot be written to Odoo: " + String.join("; ", d.notes()));
          } else {
            going.add(a);
            drafts.add(d.value());
          }
        }
        List<OdooEventDraft> toCreate = new ArrayList<>();
        for (int i = 0; i < going.size(); i++) {
          if (!madeInOdoo.containsKey(going.get(i).id())) {
            toCreate.add(drafts.get(i).draft().withSource(going.get(i).id()));
          }
        }
        OdooCreates.Result created = OdooCreates.create(odoo, toCreate);
        // An event made before the run that made it was cut off gets this run's content: the Outlook event may have
        // been edited since. Answers are set below as for a create.
        DraftContext made = DraftContext.forUpdate(owner, partners, odooSide.alarms(), List.of(), Map.of());
        Set<Field> content = EnumSet.complementOf(EnumSet.of(Field.RESPONSES));
        Map<Long, EventChanges> writes = new LinkedHashMap<>();
        Map<Long, Map<Long, AttendeeState>> answers = new HashMap<>();
        for (int i = 0, next = 0; i < going.size(); i++) {
          Action.CreateInOdoo a = going.get(i);
          Long earlier = madeInOdoo.get(a.id());
          Long id = earlier;
          if (id == null) {
            int k = next++;
            id = created.id(k);
            if (id == null) {
              failed.put(a.id(), "Odoo create failed: " + created.error(k));
              continue;
            }
          }
          OdooCreate d = drafts.get(i);
          if (earlier != null) {
            Mapped<OdooWrite> w = OdooEventMapper.toChanges(content, a.content(), made);
            if (w.skipped()) {
              failed.put(a.id(), "cannot be written to Odoo: " + String.join("; ", w.notes()));
              continue;
            }
            writes.put(id, w.value().event());
          } else if (!d.alarmIds().isEmpty()) {
            writes.put(id, EventChanges.of().alarms(d.alarmIds()));
          }
          odooWritten.add(id);
          if (!d.answersByPartner().isEmpty()) {
            answers.put(id, d.answersByPartner());
          }
          SyncInput.OutlookState g = newOutlook.get(a.graphId());
          creates.add(new Mapping(0, account.id(), id, a.graphId(), a.iCalUId(), g == null ? null : g.changeKey(), null, null,
              Snapshots.write(a.content()), Snapshots.write(a.content()), null, null));
        }
        if (!writes.isEmpty()) {
          odoo.writeEvents(writes);
        }
        if (!answers.isEmpty()) {
          Map<Long, AttendeeState> states = new LinkedHashMap<>();
          for (OdooAttendee at : odoo.attendees(answers.keySet())) {
            AttendeeState s = answers.get(at.eventId()).get(at.partnerId());
            if (s != null) {
              states.put(at.id(), s);
            }
          }
          if (!states.isEmpty()) {
            odoo.setAttendeeStates(states);
          }
        }
      }

      private void updateOdoo(List<Action.UpdateOdoo> actions, Map<String, String> failed, Set<Long> odooWritten) {
        Map<String, CalEvent> targets = new HashMap<>();
        for (Action.UpdateOdoo a : actions) {
          GraphEvent g = pairs.get(a.mappingId()).outlookEvent;
          // An occurrence of a series the user was invited to: Odoo keeps its Outlook organizer among the attendees.
          boolean invited = g != null && g.seriesMasterId() != null && !g.isOrganizer() && g.organizer() != null;
          targets.put(a.id(), invited && a.fields().contains(Field.ATTENDEES) ? SeriesOrganizer.withOrganizerAttending(a.target(),
              new io.outlooksync.sidecar.core.Person(g.organizer().name(), g.organizer().address())) : a.target());
        }
        Set<String> emails = new LinkedHashSet<>();
        targets.values().forEach(t -> emails.addAll(OdooEventMapper.emailsToResolve(t)));
        emails.removeIf(identity::isMailbox);
        Map<String, Long> partners = identity.withUser(emails.isEmpty() ? Map.of() : odoo.partnersByEmail(emails, true));
        Map<Long, EventChanges> changes = new LinkedHashMap<>();
        Map<Long, AttendeeState> states = new LinkedHashMap<>();
        List<Action.UpdateOdoo> going = new ArrayList<>();
        for (Action.UpdateOdoo a : actions) {
          Touched t = pairs.get(a.mappingId());
          Long organizerId = t.odooEvent == null ? null : t.odooEvent.userId();
          OdooUser organizer = organizerId == null ? null : odooRead.users().get(organizerId);
          // This event's attendee rows only: answers are matched by address, and a partner attends several events.
          List<OdooAttendee> rows = odooRead.attendees().stream().filter(at -> at.eventId() == a.odooEventId()).toList();
          DraftContext ctx = DraftContext.forUpdate(organizer, partners, odooSide.alarms(), rows, odooRead.partners());
          Mapped<OdooWrite> w = OdooEventMapper.toChanges(a.fields(), targets.get(a.id()), ctx);
          if (w.skipped()) {
            failed.put(a.id(), "cannot be written to Odoo: " + String.join("; ", w.notes()));
            continue;
          }
          if (!w.value().event().isEmpty()) {
            changes.put(a.odooEventId(), w.value().event());
          }
          states.putAll(w.value().states());
          going.add(a);
        }
        if (!changes.isEmpty()) {
          odoo.writeEvents(changes);
        }
        if (!states.isEmpty()) {
          odoo.setAttendeeStates(states);
        }
        for (Action.UpdateOdoo a : going) {
          odooWritten.add(a.odooEventId());
          Touched t = pairs.get(a.mappingId());
          SyncInput.OutlookState g = t.outlookEvent == null ? null : outlookState.get(t.outlookEvent.id());
          // The Outlook side as read (an Outlook update of the same pair, saved first, takes precedence).
          odooOnlySaves.put(a.mappingId(), snapshotted(t.mapping, a.target(), g == null ? a.target() : g.content(), null));
        }
      }

      /** Mappings whose Odoo side was updated, to save unless an Outlook update of the pair already is. */
      final Map<Long, Mapping> odooOnlySaves = new LinkedHashMap<>();
    }
  }

  /** Odoo answered the call with a fault, so it rolled back; not unreachable, not an unreadable reply. */
  private static boolean answered(OdooException e) {
    return !(e instanceof OdooUnavailableException) && !(e instanceof OdooProtocolException);
  }

  private static AttendeeState state(Response r) {
    return switch (r) {
      case ACCEPTED -> AttendeeState.ACCEPTED;
      case TENTATIVE -> AttendeeState.TENTATIVE;
      case DECLINED -> AttendeeState.DECLINED;
      case NONE -> AttendeeState.NEEDS_ACTION;
    };
  }

  /** A mapped pair touched this run and what each side is now (null: gone). */
  private static final class Touched {
    final Mapping mapping;
    OdooEvent odooEvent;
    boolean odooKnown;
    GraphEvent outlookEvent;
    boolean outlookKnown;

    Touched(Mapping mapping) {
      this.mapping = mapping;
    }

    void odoo(OdooEvent e) {
      odooEvent = e;
      odooKnown = true;
    }

    void outlook(GraphEvent e) {
      outlookEvent = e;
      outlookKnown = true;
    }
  }
}
