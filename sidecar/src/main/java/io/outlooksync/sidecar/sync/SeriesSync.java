package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.OccurrenceMatch;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Side;
import io.outlooksync.sidecar.core.SyncOptions;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.DeltaItem;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.RecurrenceMapping;
import io.outlooksync.sidecar.odoo.Found;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooRecurrence;
import io.outlooksync.sidecar.odoo.OdooRecurrenceMapper;
import io.outlooksync.sidecar.odoo.OdooSeriesEvent;
import io.outlooksync.sidecar.odoo.OdooUser;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.SeriesLinks;
import io.outlooksync.sidecar.store.Store;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The series half of a sync run (docs/recurrence.md): which Outlook items and Odoo events belong to series, reading
 * each touched series on both sides, and planning it. Series-level changes (new series, a new rule or time, "all
 * events" edits, a deleted series) become series actions that write each side once; the occurrences of a series
 * without such a change are matched by original start and handed to the runner as ordinary pairs, so the
 * reconciler merges each occurrence's fields, answers and cancellations like a single event's. A series that
 * changed as a whole has its occurrences looked at in the next run ({@code settle}), once the series agrees.
 * {@link SeriesWrites} carries the series actions out.
 */
final class SeriesSync {
  /** Series-level fields: written to the master or to every Odoo occurrence at once. */
  static final Set<Field> SERIES_FIELDS = EnumSet.of(Field.TITLE, Field.DESCRIPTION, Field.LOCATION, Field.VIDEO_URL,
      Field.PRIVACY, Field.SHOW_AS, Field.REMINDERS, Field.ATTENDEES);

  /**
   * Series fields each Outlook mailbox holds for itself (an attendee's copy keeps its own reminder and show-as):
   * not compared for a series the user was invited to, whose Odoo events other mailboxes may share.
   */
  static final Set<Field> PERSONAL_FIELDS = EnumSet.of(Field.REMINDERS, Field.SHOW_AS);

  /** The kinds of the series actions (as plans name them). */
  static final Set<String> ACTION_KINDS = Set.of("CreateSeriesInOutlook", "CreateSeriesInOdoo", "UpdateSeriesInOutlook",
      "UpdateSeriesInOdoo", "DeleteSeriesInOutlook", "ArchiveOccurrencesInOdoo", "CancelOccurrenceInOutlook",
      "DetachOccurrenceInOutlook", "LinkOccurrence", "AdoptSeries", "ForgetSeries", "AnswerSeriesInOutlook",
      "ContinueSeriesInOdoo");

  /** Where the runner puts an occurrence pair: the mapping and both sides as they are now (null: gone). */
  interface Pairs {
    void pair(Mapping m, OdooEvent odoo, GraphEvent outlook);
  }

  /** One series as read this run; {@code row} is null for a series not synced yet. */
  static final class State {
    SeriesLinks.Series row;
    Long recurrenceId;
    String masterId;
    boolean rebound;
    OdooRecurrence recurrence;
    /**
     * The recurrences that continue a series without end past Odoo's 720 events, in order (docs/recurrence.md);
     * {@code recurrence} is the first part. {@code events} holds every part's events.
     */
    List<Long> parts = List.of();
    final Map<Long, OdooRecurrence> partRecurrences = new HashMap<>();
    List<OdooSeriesEvent> events = List.of();
    GraphEvent master;
    List<GraphEvent> instances = List.of();
    List<SeriesLinks.Occurrence> occurrences = List.of();
    final Map<String, GraphEvent> detached = new HashMap<>();
    /** Read this run: each side's rule and first occurrence, the series' content on the Outlook side. */
    Recurrence odooRule;
    When odooFirst;
    Recurrence graphRule;
    CalEvent graphContent;
    /** Set by planning: whether occurrences were handed to the runner (the series had no series-level change). */
    boolean occurrencesPlanned;
    /** Set by planning: a new series found on the other side too, linked instead of created. */
    boolean adopted;
    /** A continuation part found in Odoo that the store did not list yet (saved with the run). */
    boolean partFound;

    Recurrence syncedRule() {
      return row == null ? null : RuleSnapshots.read(row.ruleSynced());
    }

    CalEvent syncedContent() {
      return row == null ? null : Snapshots.read(row.contentSynced());
    }

    boolean quiet() {
      return row != null && Snapshots.quiet(row.contentSynced());
    }
  }

  final Store store;
  final OdooGateway odoo;
  final GraphGateway graph;
  final Account account;
  final OdooUser owner;
  final SyncOptions options;
  final String mailbox;
  final boolean fresh;
  private DayOfWeek weekStart;

  private final Set<String> touchedMasters = new LinkedHashSet<>();
  private final Set<Long> touchedRecurrences = new LinkedHashSet<>();
  private final Set<Long> touchedSeries = new LinkedHashSet<>();
  final List<Action> notes = new ArrayList<>();
  /** Every series read this run, by a key of its own (row id, or the side it is new on). */
  final Map<String, State> states = new LinkedHashMap<>();
  /** The run's Odoo events by id (the series' ones added by {@link #read}), as the runner read them. */
  Map<Long, OdooEvent> odooEvents = Map.of();
  /** The Outlook organizer of each Odoo event of a series read this run, by event id ({@link SeriesOrganizer}). */
  final Map<Long, String> outlookOrganizers = new HashMap<>();

  SeriesSync(Store store, OdooGateway odoo, GraphGateway graph, Account account, OdooUser owner, SyncOptions options,
             String mailbox, boolean fresh) {
    this.store = store;
    this.odoo = odoo;
    this.graph = graph;
    this.account = account;
    this.owner = owner;
    this.options = options;
    this.mailbox = mailbox;
    this.fresh = fresh;
  }

  DayOfWeek weekStart() {
    if (weekStart == null) {
      weekStart = odoo.weekStart();
    }
    return weekStart;
  }

  ZoneId ownerZone() {
    try {
      return owner.tz() == null || owner.tz().isBlank() ? ZoneOffset.UTC : ZoneId.of(owner.tz());
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }

  // ---------------------------------------------------------------- what belongs to series

  /** Whether an Outlook delta item is part of a series; then this class, not the runner, deals with it. */
  boolean takes(DeltaItem item) throws SQLException {
    if (item instanceof GraphEvent e && e.kind() != GraphEvent.Kind.SINGLE_INSTANCE) {
      touchedMasters.add(e.kind() == GraphEvent.Kind.SERIES_MASTER ? e.id() : e.seriesMasterId());
      return true;
    }
    if (item instanceof DeltaItem.OccurrenceStub s) {
      touchedMasters.add(s.seriesMasterId());
      return true;
    }
    if (item instanceof DeltaItem.Removed r && !fresh) {
      if (store.series().byGraphMaster(account.id(), r.id()).isPresent()) {
        touchedMasters.add(r.id());
        return true;
      }
      Optional<Mapping> m = store.mappings().byGraphId(account.id(), r.id());
      if (m.isPresent() && m.get().seriesGraphId() != null) {
        touchedMasters.add(m.get().seriesGraphId());
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a changed Odoo event is part of a series. An occurrence synced as a single Outlook event (Outlook
   * refused its move) is left to the runner.
   */
  boolean takes(OdooEvent e) throws SQLException {
    if (!e.recurrency() && e.recurrenceId() == null) {
      return false;
    }
    if (!fresh) {
      Optional<Mapping> m = store.mappings().byOdooEventId(account.id(), e.id());
      if (m.isPresent()) {
        Optional<SeriesLinks.Occurrence> o = store.series().occurrenceOf(m.get().id());
        if (o.isPresent() && o.get().detached()) {
          return false;
        }
        o.ifPresent(occ -> touchedSeries.add(occ.seriesId()));
      }
    }
    if (e.recurrenceId() != null) {
      touchedRecurrences.add(e.recurrenceId());
    } else if (e.active()) {
      notes.add(new Action.Skip("skip-series-odoo-" + e.id(), "odoo:" + e.id(), "marked recurring but part of no recurrence"));
    }
    return true;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads every touched series on both sides (and the series left to settle), and adds their Odoo events to
   * {@code odooEvents}, whose content the runner reads in bulk.
   */
  void read(Map<Long, OdooEvent> odooEvents) throws SQLException {
    this.odooEvents = odooEvents;
    if (!fresh) {
      store.series().settling(account.id()).forEach(s -> touchedSeries.add(s.id()));
    }
    if (touchedMasters.isEmpty() && touchedRecurrences.isEmpty() && touchedSeries.isEmpty()) {
      return;
    }
    for (long id : touchedSeries) {
      Optional<SeriesLinks.Series> row = store.series().byId(id);
      if (row.isPresent()) {
        stateOf(row.get());
      }
    }
    for (String masterId : touchedMasters) {
      Optional<SeriesLinks.Series> row = fresh ? Optional.empty() : store.series().byGraphMaster(account.id(), masterId);
      if (row.isPresent()) {
        stateOf(row.get());
      } else {
        states.computeIfAbsent("graph:" + masterId, k -> new State()).masterId = masterId;
      }
    }
    for (long rid : touchedRecurrences) {
      Optional<SeriesLinks.Series> row = fresh ? Optional.empty() : store.series().byOdooRecurrence(account.id(), rid);
      if (row.isPresent()) {
        stateOf(row.get());
      } else if (states.values().stream().noneMatch(s -> Long.valueOf(rid).equals(s.recurrenceId))) {
        states.computeIfAbsent("odoo:" + rid, k -> new State()).recurrenceId = rid;
      }
    }
    readOdoo();
    rebindRecreated();
    readOutlook();
    List<Long> contentIds = new ArrayList<>();
    for (State s : states.values()) {
      for (OdooSeriesEvent e : s.events) {
        if (inWindow(e.start(), e.stop()) && !odooEvents.containsKey(e.id())) {
          contentIds.add(e.id());
        }
      }
    }
    if (!contentIds.isEmpty()) {
      odoo.events(contentIds).items().forEach(e -> odooEvents.putIfAbsent(e.id(), e));
    }
  }

  private void stateOf(SeriesLinks.Series row) throws SQLException {
    State s = states.computeIfAbsent("series:" + row.id(), k -> new State());
    s.row = row;
    s.recurrenceId = row.odooRecurrenceId();
    s.masterId = row.graphMasterId();
    s.parts = store.series().parts(row.id());
  }

  private void readOdoo() {
    Set<Long> rids = new LinkedHashSet<>();
    states.values().forEach(s -> {
      if (s.recurrenceId != null) {
        rids.add(s.recurrenceId);
        rids.addAll(s.parts);
      }
    });
    if (rids.isEmpty()) {
      return;
    }
    Found<OdooRecurrence> found = odoo.recurrences(rids);
    Map<Long, OdooRecurrence> byId = new HashMap<>();
    found.items().forEach(r -> byId.put(r.id(), r));
    Map<Long, List<OdooSeriesEvent>> events = new HashMap<>();
    for (OdooSeriesEvent e : odoo.seriesEvents(rids)) {
      events.computeIfAbsent(e.recurrenceId(), k -> new ArrayList<>()).add(e);
    }
    for (State s : states.values()) {
      if (s.recurrenceId != null) {
        s.recurrence = byId.get(s.recurrenceId);
        List<OdooSeriesEvent> all = new ArrayList<>(events.getOrDefault(s.recurrenceId, List.of()));
        for (long part : s.parts) {
          all.addAll(events.getOrDefault(part, List.of()));
          if (byId.containsKey(part)) {
            s.partRecurrences.put(part, byId.get(part));
          }
        }
        s.events = all;
      }
    }
  }

  /**
   * Odoo gives a series a new recurrence when "all events" changes its time or rule (the base event keeps its
   * id): a new recurrence whose events were occurrences of a synced series whose recurrence is gone is that
   * series, not a new one. A new recurrence next to a live one is a split ("this and following").
   */
  private void rebindRecreated() throws SQLException {
    if (fresh) {
      return;
    }
    boolean partsFound = false;
    for (String key : List.copyOf(states.keySet())) {
      State s = states.get(key);
      if (s.row != null || s.recurrenceId == null || s.recurrence == null) {
        continue;
      }
      boolean first = true;
      for (OdooSeriesEvent e : s.events) {
        Optional<Mapping> m = store.mappings().byOdooEventId(account.id(), e.id());
        Optional<SeriesLinks.Occurrence> occ = m.isPresent() ? store.series().occurrenceOf(m.get().id()) : Optional.empty();
        if (occ.isEmpty()) {
          continue;
        }
        Optional<SeriesLinks.Series> old = store.series().byId(occ.get().seriesId());
        if (first && old.isPresent() && unrecordedPart(s, old.get(), occ.get())) {
          states.remove(key);
          stateOf(old.get());
          State target = states.get("series:" + old.get().id());
          List<Long> parts = new ArrayList<>(target.parts);
          parts.add(s.recurrenceId);
          target.parts = parts;
          target.partFound = true;
          partsFound = true;
          break;
        }
        first = false;
        if (old.isEmpty() || old.get().odooRecurrenceId() == null || recurrenceAlive(old.get().odooRecurrenceId())) {
          continue;
        }
        states.remove(key);
        State target = states.computeIfAbsent("series:" + old.get().id(), k -> new State());
        target.row = old.get();
        target.masterId = old.get().graphMasterId();
        target.recurrenceId = s.recurrenceId;
        target.recurrence = s.recurrence;
        target.events = s.events;
        target.rebound = true;
        break;
      }
    }
    if (partsFound) {
      readOdoo();
    }
  }

  /**
   * A recurrence Odoo made from the last event of a series without end (its count Odoo's "forever") that the series
   * does not list: a run cut off between making the next part and saving it. It is that next part, not a split.
   */
  private boolean unrecordedPart(State s, SeriesLinks.Series series, SeriesLinks.Occurrence head) throws SQLException {
    if (!series.noEnd() || !forever(s.recurrence)) {
      return false;
    }
    return store.series().occurrences(series.id()).stream().noneMatch(o -> o.originalStart().isAfter(head.originalStart()));
  }

  private boolean recurrenceAlive(long rid) {
    return !odoo.recurrences(List.of(rid)).items().isEmpty();
  }

  private void readOutlook() throws SQLException {
    for (State s : states.values()) {
      if (s.masterId != null) {
        s.master = graph.event(s.masterId).filter(m -> !m.cancelled()).orElse(null);
        if (s.master != null) {
          s.instances = graph.instances(s.masterId, options.windowStart(), options.windowEnd());
          if (s.master.organizer() != null && s.master.organizer().address() != null) {
            s.events.forEach(e -> outlookOrganizers.put(e.id(), s.master.organizer().address()));
          }
        }
      }
      if (s.row != null) {
        s.occurrences = store.series().occurrences(s.row.id());
        for (SeriesLinks.Occurrence o : s.occurrences) {
          if (o.detached() && o.mapping().graphId() != null) {
            graph.event(o.mapping().graphId()).ifPresent(g -> s.detached.put(g.id(), g));
          }
        }
      }
    }
  }

  boolean inWindow(Instant start, Instant stop) {
    return start != null && start.isBefore(options.windowEnd()) && (stop == null || stop.isAfter(options.windowStart()));
  }

  // ---------------------------------------------------------------- planning

  /**
   * Plans every series read: series actions into {@code out}, occurrence pairs into {@code pairs}. {@code content}:
   * the Odoo events' content in the mailbox's terms (the runner's read).
   */
  void plan(Map<Long, CalEvent> content, Pairs pairs, List<Action> out) throws SQLException {
    out.addAll(notes);
    SeriesPlanner planner = new SeriesPlanner(this, content);
    planner.adopt(states.values(), out);
    for (State s : states.values()) {
      try {
        planner.plan(s, pairs, out);
      } catch (IllegalArgumentException e) {
        out.add(new Action.Skip("skip-series-" + key(s), key(s), "not synced: " + e.getMessage()));
      }
    }
  }

  static String key(State s) {
    return s.row != null ? "series:" + s.row.id() : s.recurrenceId != null ? "odoo-series:" + s.recurrenceId : "outlook-series:" + s.masterId;
  }

  // ---------------------------------------------------------------- reading rules

  /** The Odoo rule of a series in neutral terms, or null with a note in {@code why}. */
  Recurrence odooRule(State s, List<String> why) {
    if (s.recurrence == null) {
      why.add("the Odoo recurrence is gone");
      return null;
    }
    ZoneId zone = ownerZone();
    if (s.recurrence.rule().eventTz() != null) {
      try {
        zone = ZoneId.of(s.recurrence.rule().eventTz());
      } catch (DateTimeException e) {
        // toCore says so in its notes.
      }
    }
    LocalDate first = null;
    Map<Long, LocalDateTime> memory = memory(s);
    for (OdooSeriesEvent e : s.events) {
      LocalDate d = originalDate(e, zone, memory);
      if (d != null && (first == null || d.isBefore(first))) {
        first = d;
      }
    }
    if (first == null) {
      why.add("the Odoo recurrence has no event");
      return null;
    }
    var mapped = OdooRecurrenceMapper.toCore(s.recurrence.rule(), first, weekStart(), zone);
    if (mapped.value() == null) {
      why.addAll(mapped.notes());
      return null;
    }
    Recurrence r = mapped.value();
    if (!s.parts.isEmpty()) {
      // Continued past Odoo's 720 events: the first part's rule, ending where the last part ends.
      OdooRecurrence last = s.partRecurrences.get(s.parts.get(s.parts.size() - 1));
      if (last == null) {
        why.add("the recurrence continuing it in Odoo is gone");
        return null;
      }
      if (forever(last)) {
        return withoutEnd(r);
      }
      LocalDate end = null;
      for (OdooSeriesEvent e : s.events) {
        LocalDate d = originalDate(e, zone, memory);
        if (d != null && (end == null || d.isAfter(end))) {
          end = d;
        }
      }
      return r.endingOn(end);
    }
    // Odoo stores "forever" as a count of 720, its maximum: that count reads as no end.
    if (r.end() == Recurrence.End.COUNT && r.count() == OdooRecurrenceMapper.MAX_EVENTS) {
      r = withoutEnd(r);
    }
    return r;
  }

  /** Whether an Odoo rule is how Odoo stores "forever": a count of 720, its maximum (or "forever" itself). */
  static boolean forever(OdooRecurrence r) {
    return "forever".equals(r.rule().endType())
        || "count".equals(r.rule().endType()) && r.rule().count() == OdooRecurrenceMapper.MAX_EVENTS;
  }

  /** The Odoo recurrence holding a series' latest events: its last continuation part, or its only one. */
  static Long lastPart(State s) {
    return s.parts.isEmpty() ? s.recurrenceId : s.parts.get(s.parts.size() - 1);
  }

  static Recurrence withoutEnd(Recurrence r) {
    return new Recurrence(r.pattern(), r.interval(), r.daysOfWeek(), r.firstDayOfWeek(), r.dayOfMonth(), r.index(), r.month(),
        r.shortMonths(), r.startDate(), Recurrence.End.NO_END, null, 0, r.zone());
  }

  /** Original starts the mappings remember, by Odoo event id (Odoo forgets where a moved occurrence was). */
  static Map<Long, LocalDateTime> memory(State s) {
    Map<Long, LocalDateTime> out = new HashMap<>();
    for (SeriesLinks.Occurrence o : s.occurrences) {
      if (o.mapping().odooEventId() != null && !o.detached()) {
        out.put(o.mapping().odooEventId(), o.originalStart());
      }
    }
    return out;
  }

  static LocalDate originalDate(OdooSeriesEvent e, ZoneId zone, Map<Long, LocalDateTime> memory) {
    if (!e.follows() && memory.containsKey(e.id())) {
      return memory.get(e.id()).toLocalDate();
    }
    if (e.allday()) {
      return e.startDate();
    }
    return e.start() == null ? null : LocalDate.ofInstant(e.start(), zone);
  }

  /**
   * The Odoo series' first occurrence as times: the rule's first date at the time of day and length of the events
   * that still follow the rule (the base event first), or null when none does.
   */
  static When odooFirst(State s, Recurrence rule) {
    OdooSeriesEvent model = null;
    for (OdooSeriesEvent e : s.events) {
      if (e.follows() && e.active() && e.start() != null) {
        if (model == null || (s.recurrence != null && Long.valueOf(e.id()).equals(s.recurrence.baseEventId()))) {
          model = e;
        }
      }
    }
    if (model == null) {
      return null;
    }
    ZoneId zone = rule.zone();
    if (model.allday()) {
      long days = model.stop() == null ? 1 : Math.max(1, Duration.between(model.start(), model.stop()).toDays() + 1);
      return When.allDay(rule.startDate(), rule.startDate().plusDays(days), zone);
    }
    LocalTime time = LocalDateTime.ofInstant(model.start(), zone).toLocalTime();
    Duration length = Duration.between(model.start(), model.stop());
    Instant start = rule.startDate().atTime(time).atZone(zone).withLaterOffsetAtOverlap().toInstant();
    return When.timed(start, start.plus(length), zone);
  }

  /** The Outlook rule of a series in neutral terms, or null with a note in {@code why}. */
  Recurrence graphRule(State s, CalEvent masterContent, List<String> why) {
    Recurrence synced = s.syncedRule();
    ZoneId preferred = synced != null ? synced.zone() : ownerZone();
    var mapped = RecurrenceMapping.read(s.master.recurrence(), masterContent.when().zone(), preferred);
    if (mapped.value() == null) {
      why.addAll(mapped.notes());
    }
    return mapped.value();
  }

  /** An Outlook event's content as the mailbox reads it, or null when it cannot be read. */
  CalEvent outlookContent(GraphEvent g) {
    try {
      return CoreMapping.toState(g, mailbox).content();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static Comparator<OdooSeriesEvent> byStart() {
    return Comparator.comparing(OdooSeriesEvent::start, Comparator.nullsLast(Comparator.naturalOrder()));
  }

  /** The side that occurrences take as they are after a series was created or reshaped. */
  static Side settleSide(SeriesLinks.Series row) {
    return row == null || row.settle() == null ? null : switch (row.settle()) {
      case "ODOO" -> Side.ODOO;
      case "OUTLOOK" -> Side.OUTLOOK;
      default -> null;
    };
  }

  /** Whether the user was only invited to the series in Outlook (someone else organizes it there). */
  static boolean invited(State s) {
    return s.master != null && !s.master.isOrganizer();
  }

  /** Whether an occurrence lies beyond what Odoo holds of a series without end (Odoo stops at 720). */
  static boolean beyondOdoo(State s, Instant originalStart) {
    if (s.odooRule == null || s.odooRule.end() != Recurrence.End.NO_END) {
      return false;
    }
    Instant last = null;
    for (OdooSeriesEvent e : s.events) {
      if (e.start() != null && (last == null || e.start().isAfter(last))) {
        last = e.start();
      }
    }
    return last != null && s.events.size() >= OdooRecurrenceMapper.MAX_EVENTS && originalStart.isAfter(last);
  }

  static OccurrenceMatch.OdooOccurrence odooOccurrence(OdooSeriesEvent e, ZoneId zone, Map<Long, LocalDateTime> memory) {
    Instant start = e.allday() && e.startDate() != null ? e.startDate().atStartOfDay(zone).toInstant() : e.start();
    if (e.follows()) {
      return OccurrenceMatch.OdooOccurrence.following(e.id(), start);
    }
    LocalDateTime remembered = memory.get(e.id());
    Instant original = remembered == null ? null : remembered.atZone(zone).withLaterOffsetAtOverlap().toInstant();
    return OccurrenceMatch.OdooOccurrence.moved(e.id(), start, original);
  }
}
