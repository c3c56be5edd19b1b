package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.OccurrenceMatch;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Occurrences;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Side;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphEventDraft;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.RecurrenceMapping;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.DraftContext;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.Mapped;
import io.outlooksync.sidecar.odoo.OdooAttendee;
import io.outlooksync.sidecar.odoo.OdooCreate;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventMapper;
import io.outlooksync.sidecar.odoo.OdooRecurrenceMapper;
import io.outlooksync.sidecar.odoo.OdooSeriesEvent;
import io.outlooksync.sidecar.odoo.OdooWrite;
import io.outlooksync.sidecar.odoo.SeriesScope;
import io.outlooksync.sidecar.store.SeriesLinks;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a plan's series actions: Outlook writes in one batch, Odoo's series writes one call each, then the
 * series rows and occurrence mappings in one transaction, after the runner saved its own mappings. Also turns an
 * occurrence move Outlook refuses ({@code ErrorOccurrenceCrossingBoundary}), foreseen ({@link CrossingMoves}) or
 * refused when written, into a single Outlook event, once.
 */
final class SeriesWrites {
  static final String CROSSING = "ErrorOccurrenceCrossingBoundary";

  private final SeriesSync sync;
  private final MailboxIdentity identity;
  private final OdooSide odooSide;
  private final OdooSide.Read odooRead;
  private final Map<Long, CalEvent> content;

  /** New series rows (occurrences name them by -1 - index) and changed ones. */
  private final List<SeriesLinks.Series> newRows = new ArrayList<>();
  private final List<SeriesLinks.Series> rows = new ArrayList<>();
  private final List<SeriesLinks.Occurrence> links = new ArrayList<>();
  private final Set<Long> forgetMappings = new LinkedHashSet<>();
  private final Set<Long> forgetSeries = new LinkedHashSet<>();
  private final Set<Long> written = new HashSet<>();
  private final List<Refused> refused = new ArrayList<>();

  /** An occurrence move Outlook refused, or would refuse, because it crosses a neighbour: the action and its target. */
  private record Refused(String actionId, CalEvent target, Mapping mapping) {}

  SeriesWrites(SeriesSync sync, MailboxIdentity identity, OdooSide odooSide, OdooSide.Read odooRead, Map<Long, CalEvent> content) {
    this.sync = sync;
    this.identity = identity;
    this.odooSide = odooSide;
    this.odooRead = odooRead;
    this.content = content;
  }

  // ---------------------------------------------------------------- series actions

  void write(Plan plan, Map<String, String> failed) {
    outlook(plan, failed);
    for (Action a : plan.actions()) {
      try {
        if (a instanceof Action.CreateSeriesInOdoo c) {
          createInOdoo(c, failed);
        } else if (a instanceof Action.UpdateSeriesInOdoo u) {
          updateOdoo(u, failed);
        } else if (a instanceof Action.ArchiveOccurrencesInOdoo ar) {
          sync.odoo.archiveEvents(ar.odooEventIds());
          if (ar.id().startsWith("archive-series-")) {
            forgetSeries.add(ar.seriesId());
          }
        } else if (a instanceof Action.ContinueSeriesInOdoo c) {
          continueInOdoo(c);
        } else if (a instanceof Action.ForgetSeries f) {
          forgetSeries.add(f.seriesId());
        } else if (a instanceof Action.AdoptSeries ad) {
          // No side wins: the next run links the occurrences, each compared with its own side from then on.
          newRows.add(new SeriesLinks.Series(0, sync.account.id(), ad.odooRecurrenceId(), ad.graphMasterId(), ad.iCalUId(),
              RuleSnapshots.write(ad.rule()), Snapshots.write(ad.first()), ad.rule().end() == Recurrence.End.NO_END, "LOOK"));
        } else if (a instanceof Action.LinkOccurrence l) {
          link(l);
        } else if (a instanceof Action.DetachOccurrenceInOutlook d) {
          Mapping m = sync.store.mappings().byGraphId(sync.account.id(), d.graphId()).orElse(null);
          if (m == null) {
            failed.put(d.id(), "the occurrence's mapping is gone");
          } else {
            refused.add(new Refused(d.id(), d.target(), m));
          }
        }
      } catch (RuntimeException | SQLException e) {
        failed.put(a.id(), "series write failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
    }
  }

  private void outlook(Plan plan, Map<String, String> failed) {
    List<Action> actions = new ArrayList<>();
    List<GraphWrite> writes = new ArrayList<>();
    for (Action a : plan.actions()) {
      GraphWrite w = null;
      if (a instanceof Action.CreateSeriesInOutlook c) {
        GraphEvent.Recurrence rule = RecurrenceMapping.write(c.rule()).value();
        w = new GraphWrite.Create(CoreMapping.toDraft(c.first(), c.quiet(), null).withRecurrence(rule), c.id());
      } else if (a instanceof Action.UpdateSeriesInOutlook u) {
        w = masterUpdate(u);
      } else if (a instanceof Action.DeleteSeriesInOutlook d) {
        w = new GraphWrite.Delete(d.graphMasterId());
      } else if (a instanceof Action.CancelOccurrenceInOutlook c) {
        w = new GraphWrite.Delete(c.graphId());
      } else if (a instanceof Action.AnswerSeriesInOutlook ans) {
        w = new GraphWrite.Answer(ans.graphMasterId(), switch (ans.response()) {
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
      results = sync.graph.write(writes);
    } catch (RuntimeException e) {
      actions.forEach(a -> failed.put(a.id(), "Outlook write failed: " + e.getClass().getSimpleName()));
      return;
    }
    for (int i = 0; i < actions.size(); i++) {
      Action a = actions.get(i);
      WriteResult r = results.get(i);
      if (!r.done()) {
        failed.put(a.id(), "Outlook answered " + r.status() + " " + r.httpStatus() + (r.errorCode() == null ? "" : " " + r.errorCode()));
        continue;
      }
      try {
        if (a instanceof Action.CreateSeriesInOutlook c) {
          createdInOutlook(c, r);
        } else if (a instanceof Action.UpdateSeriesInOutlook u) {
          updated(u.seriesId(), u.fields(), u.target(), u.rule(), Side.OUTLOOK);
        } else if (a instanceof Action.DeleteSeriesInOutlook d) {
          forgetSeries.add(d.seriesId());
        } else if (a instanceof Action.AnswerSeriesInOutlook ans && stateOf(ans.seriesId()) != null) {
          // The occurrences, which now all show the answer, are looked at next run.
          SeriesLinks.Series row = current(stateOf(ans.seriesId()));
          replace(row.withSettle(row.settle() == null ? "LOOK" : row.settle()));
        }
      } catch (RuntimeException e) {
        failed.put(a.id(), "after the Outlook write: " + e.getClass().getSimpleName());
      }
    }
  }

  private GraphWrite masterUpdate(Action.UpdateSeriesInOutlook u) {
    SeriesSync.State s = stateOf(u.seriesId());
    CoreMapping.Patch patch = CoreMapping.toUpdate(u.fields(), u.target(), s != null && s.quiet());
    GraphEventDraft changes = patch.changes();
    Set<GraphEventDraft.Field> fields = EnumSet.noneOf(GraphEventDraft.Field.class);
    fields.addAll(patch.fields());
    if (u.rule() != null) {
      changes = changes.withRecurrence(RecurrenceMapping.write(u.rule()).value());
      fields.add(GraphEventDraft.Field.RECURRENCE);
    }
    return new GraphWrite.Update(u.graphMasterId(), changes, fields, null);
  }

  /** Links the new master's instances to Odoo's events by original start; the Odoo side's differences go next run. */
  private void createdInOutlook(Action.CreateSeriesInOutlook c, WriteResult r) {
    SeriesSync.State s = sync.states.get("odoo:" + c.odooRecurrenceId());
    String iCalUId = r.event() == null ? null : r.event().iCalUId();
    String contentJson = Snapshots.withQuiet(Snapshots.write(c.first()), c.quiet() && c.first().isMeeting());
    newRows.add(new SeriesLinks.Series(0, sync.account.id(), c.odooRecurrenceId(), r.id(), iCalUId, RuleSnapshots.write(c.rule()),
        contentJson, c.rule().end() == Recurrence.End.NO_END, "ODOO"));
    long ref = -newRows.size();
    List<GraphEvent> instances = sync.graph.instances(r.id(), sync.options.windowStart(), sync.options.windowEnd());
    linkAll(s == null ? List.of() : s.events, instances, c.rule().zone(), c.first().when().allDay(), ref, c.odooRecurrenceId(),
        r.id(), Side.ODOO, c.quiet() && c.first().isMeeting(), c.first());
  }

  private void createInOdoo(Action.CreateSeriesInOdoo c, Map<String, String> failed) throws SQLException {
    SeriesSync.State s = sync.states.get("graph:" + c.graphMasterId());
    CalEvent asOdoo = forOdoo(s, c.first());
    Set<String> emails = new LinkedHashSet<>(OdooEventMapper.emailsToResolve(asOdoo));
    emails.removeIf(identity::isMailbox);
    Map<String, Long> partners = identity.withUser(emails.isEmpty() ? Map.of() : sync.odoo.partnersByEmail(emails, true));
    // The user organizes it in Odoo, or stands in for an organizer Odoo does not have (SeriesOrganizer).
    DraftContext ctx = DraftContext.forCreate(sync.owner, List.of(sync.owner), partners, odooSide.alarms());
    Mapped<OdooCreate> d = OdooEventMapper.toDraft(asOdoo, ctx);
    var rule = OdooRecurrenceMapper.toOdoo(c.rule(), sync.weekStart());
    if (d.skipped() || rule.value() == null) {
      failed.put(c.id(), "cannot be written to Odoo: " + String.join("; ", d.skipped() ? d.notes() : rule.notes()));
      return;
    }
    // A run cut off after Odoo made the series and before it was saved made it already: found by its create key.
    Long earlier = sync.odoo.eventsBySource(List.of(c.id())).get(c.id());
    long first = earlier != null ? earlier : sync.odoo.createSeries(d.value().draft().withSource(c.id()), rule.value());
    OdooEvent base = sync.odoo.events(List.of(first)).items().get(0);
    if (!d.value().alarmIds().isEmpty()) {
      sync.odoo.writeSeries(first, EventChanges.of().alarms(d.value().alarmIds()), null, SeriesScope.ALL_EVENTS);
    }
    Long rid = base.recurrenceId();
    newRows.add(new SeriesLinks.Series(0, sync.account.id(), rid, c.graphMasterId(), c.iCalUId(), RuleSnapshots.write(c.rule()),
        Snapshots.write(c.first()), c.rule().end() == Recurrence.End.NO_END, "OUTLOOK"));
    long ref = -newRows.size();
    List<OdooSeriesEvent> events = rid == null ? List.of() : sync.odoo.seriesEvents(List.of(rid));
    linkAll(events, s == null ? List.of() : s.instances, c.rule().zone(), c.first().when().allDay(), ref, rid, c.graphMasterId(),
        Side.OUTLOOK, false, c.first());
  }

  /**
   * Pairs a new series' occurrences by original start. Both snapshots are the plain occurrence (the series'
   * content at the occurrence's slot), so what the authority side holds otherwise (exceptions, cancellations)
   * shows as its change next run and is carried over then.
   */
  private void linkAll(List<OdooSeriesEvent> odooEvents, List<GraphEvent> instances, ZoneId zone, boolean allDay, long seriesRef,
                       Long rid, String masterId, Side authority, boolean quiet, CalEvent series) {
    List<OccurrenceMatch.OdooOccurrence> odoo = new ArrayList<>();
    for (OdooSeriesEvent e : odooEvents) {
      if (e.active() && sync.inWindow(e.start(), e.stop())) {
        odoo.add(SeriesSync.odooOccurrence(e, zone, Map.of()));
      }
    }
    Map<String, GraphEvent> byId = new HashMap<>();
    List<OccurrenceMatch.GraphInstance> graph = new ArrayList<>();
    for (GraphEvent g : instances) {
      if (g.originalStart() != null) {
        byId.put(g.id(), g);
        Instant start = g.allDay() && g.startDate() != null ? g.startDate().atStartOfDay(zone).toInstant() : g.start();
        graph.add(new OccurrenceMatch.GraphInstance(g.id(), start, g.originalStart(), g.kind() == GraphEvent.Kind.EXCEPTION));
      }
    }
    for (OccurrenceMatch.Pair p : OccurrenceMatch.match(odoo, graph, zone, allDay, Map.of()).pairs()) {
      GraphEvent g = byId.get(p.graph().id());
      When slot = slot(series.when(), p.originalStart(), zone);
      CalEvent plain = SeriesPlanner.at(authority == Side.ODOO ? orSeries(sync.outlookContent(g), series) : series, slot);
      String snapshot = Snapshots.write(plain);
      links.add(new SeriesLinks.Occurrence(new Mapping(0, sync.account.id(), p.odoo().id(), g.id(), g.iCalUId(), g.changeKey(),
          masterId, rid, snapshot, Snapshots.withQuiet(snapshot, quiet), null, null), seriesRef, p.originalStart(), false));
    }
  }

  private static CalEvent orSeries(CalEvent c, CalEvent series) {
    return c == null ? series : c;
  }

  /** The occurrence at {@code originalStart}: the series' time of day and length on that slot. */
  private static When slot(When first, LocalDateTime originalStart, ZoneId zone) {
    if (first.allDay()) {
      long days = first.endDateExclusive().toEpochDay() - first.startDate().toEpochDay();
      return When.allDay(originalStart.toLocalDate(), originalStart.toLocalDate().plusDays(days), zone);
    }
    Instant start = Occurrences.startOf(originalStart.toLocalDate(), originalStart.toLocalTime(), zone);
    return When.timed(start, start.plus(java.time.Duration.between(first.start(), first.end())), zone);
  }

  /**
   * Outlook's content of a series the user was invited to as Odoo holds it: its Outlook organizer attends there
   * ({@link SeriesOrganizer}). Other series unchanged.
   */
  private static CalEvent forOdoo(SeriesSync.State s, CalEvent c) {
    if (s == null || !SeriesSync.invited(s) || s.master.organizer() == null) {
      return c;
    }
    return SeriesOrganizer.withOrganizerAttending(c, new Person(s.master.organizer().name(), s.master.organizer().address()));
  }

  private void updateOdoo(Action.UpdateSeriesInOdoo u, Map<String, String> failed) throws SQLException {
    CalEvent target = forOdoo(stateOf(u.seriesId()), u.target());
    Set<String> emails = new LinkedHashSet<>(OdooEventMapper.emailsToResolve(target));
    emails.removeIf(identity::isMailbox);
    Map<String, Long> partners = identity.withUser(emails.isEmpty() ? Map.of() : sync.odoo.partnersByEmail(emails, true));
    OdooEvent base = sync.odooEvents.get(u.baseEventId());
    List<OdooAttendee> rows = odooRead.attendees().stream().filter(a -> a.eventId() == u.baseEventId()).toList();
    DraftContext ctx = DraftContext.forUpdate(base == null || base.userId() == null ? sync.owner : odooRead.users().get(base.userId()),
        partners, odooSide.alarms(), rows, odooRead.partners());
    // With a new rule or time the base event goes to the new first occurrence; Odoo shifts the others with it.
    Mapped<OdooWrite> w = OdooEventMapper.toChanges(u.fields(), target, ctx);
    if (w.skipped()) {
      failed.put(u.id(), "cannot be written to Odoo: " + String.join("; ", w.notes()));
      return;
    }
    if (u.rule() != null) {
      sync.odoo.writeSeries(u.baseEventId(), w.value().event(), OdooRecurrenceMapper.toOdoo(u.rule(), sync.weekStart()).value(),
          SeriesScope.ALL_EVENTS);
      // Odoo replaces the recurrence (the base event keeps its id): the series follows it.
      SeriesSync.State s = stateOf(u.seriesId());
      Long rid = sync.odoo.events(List.of(u.baseEventId())).items().get(0).recurrenceId();
      if (s != null && !s.parts.isEmpty()) {
        // The first part took the rule (a series without end as Odoo's 720 events); the later parts' events go, and
        // the next runs continue the series again from the first part's last event.
        Long first = s.recurrenceId;
        sync.odoo.archiveEvents(s.events.stream().filter(e -> e.active() && !first.equals(e.recurrenceId()))
            .map(OdooSeriesEvent::id).toList());
        saveParts(s, List.of());
      }
      if (s != null && rid != null) {
        s.recurrenceId = rid;
      }
    } else {
      // As Outlook's master change, which leaves the instances edited on their own as they are.
      Map<Long, EventChanges> each = new HashMap<>();
      for (long id : plainOccurrences(stateOf(u.seriesId()))) {
        each.put(id, w.value().event());
      }
      sync.odoo.writeEvents(each);
    }
    updated(u.seriesId(), u.fields(), u.target(), u.rule(), Side.ODOO);
  }

  /**
   * The series' next Odoo part: "this and following" on the last part's last event with the rule counted 720 from
   * there. Saved at once: a run cut off before the end would otherwise leave the new recurrence unknown.
   */
  private void continueInOdoo(Action.ContinueSeriesInOdoo c) throws SQLException {
    SeriesSync.State s = stateOf(c.seriesId());
    sync.odoo.writeSeries(c.lastEventId(), EventChanges.of(), OdooRecurrenceMapper.toOdoo(c.rule(), sync.weekStart()).value(),
        SeriesScope.FUTURE_EVENTS);
    Long rid = sync.odoo.events(List.of(c.lastEventId())).items().get(0).recurrenceId();
    if (rid == null) {
      throw new IllegalStateException("Odoo made no recurrence from event " + c.lastEventId());
    }
    List<Long> parts = new ArrayList<>(s.parts);
    parts.add(rid);
    saveParts(s, parts);
    // The next run links the new part's occurrences, each compared with its own side.
    SeriesLinks.Series row = current(s);
    replace(row.withSettle(row.settle() == null ? "LOOK" : row.settle()));
  }

  private void saveParts(SeriesSync.State s, List<Long> parts) throws SQLException {
    sync.store.series().saveAll(List.of(), List.of(), List.of(), List.of(), Map.of(s.row.id(), parts));
    s.parts = parts;
  }

  /** The active Odoo occurrences whose Outlook instance is not an exception (all of them outside the window). */
  private static List<Long> plainOccurrences(SeriesSync.State s) {
    Set<Long> exceptions = exceptionOdooIds(s);
    return s.events.stream().filter(OdooSeriesEvent::active).map(OdooSeriesEvent::id).filter(id -> !exceptions.contains(id)).toList();
  }

  /**
   * Odoo ids of the occurrences whose Outlook instance is an exception (edited on its own), by original start: an
   * instance gets a new id when it becomes an exception.
   */
  private static Set<Long> exceptionOdooIds(SeriesSync.State s) {
    Recurrence rule = s.syncedRule();
    Set<LocalDateTime> exceptions = new HashSet<>();
    s.instances.stream().filter(g -> g.kind() == GraphEvent.Kind.EXCEPTION && g.originalStart() != null)
        .forEach(g -> exceptions.add(LocalDateTime.ofInstant(g.originalStart(), rule.zone())));
    Set<Long> out = new HashSet<>();
    for (SeriesLinks.Occurrence o : s.occurrences) {
      if (o.mapping().odooEventId() != null && exceptions.contains(o.originalStart())) {
        out.add(o.mapping().odooEventId());
      }
    }
    return out;
  }

  /**
   * After an "all events" write: the series row takes the new content (and rule), and the occurrence snapshots
   * that held the old series value take the new one, so no occurrence is written again. A new rule or time
   * re-creates Odoo's occurrences (new ids): their mappings are rebuilt next run; Outlook keeps its instance ids
   * for the slots that remain, but drops its exceptions, so those mappings restart from the plain occurrence.
   */
  private void updated(long seriesId, Set<Field> fields, CalEvent target, Recurrence rule, Side writtenTo) {
    SeriesSync.State s = stateOf(seriesId);
    if (s == null) {
      return;
    }
    SeriesLinks.Series row = current(s);
    CalEvent before = Snapshots.read(row.contentSynced());
    CalEvent after = before;
    for (Field f : fields) {
      if (f != Field.WHEN) {
        after = after.with(f, target);
      }
    }
    Recurrence newRule = RuleSnapshots.read(row.ruleSynced());
    if (rule != null) {
      newRule = rule;
      after = SeriesPlanner.at(after, writtenTo == Side.OUTLOOK ? s.odooFirst : s.graphContent.when());
    }
    String contentJson = Snapshots.withQuiet(Snapshots.write(after), Snapshots.quiet(row.contentSynced()));
    String settle = rule == null ? (row.settle() == null ? "LOOK" : row.settle()) : writtenTo == Side.OUTLOOK ? "ODOO" : "OUTLOOK";
    replace(new SeriesLinks.Series(row.id(), row.accountId(), s.recurrenceId, row.graphMasterId(), row.iCalUId(),
        RuleSnapshots.write(newRule), contentJson, newRule.end() == Recurrence.End.NO_END || row.noEnd() && rule == null, settle));
    Set<LocalDateTime> slots = new HashSet<>();
    if (rule != null && writtenTo == Side.OUTLOOK) {
      for (Occurrences.Occurrence o : Occurrences.between(newRule, after.when(), sync.options.windowStart(), sync.options.windowEnd())) {
        slots.add(o.originalStart());
      }
    }
    Set<Long> exceptions = exceptionOdooIds(s);
    for (SeriesLinks.Occurrence o : s.occurrences) {
      if (o.detached() || rule == null && o.mapping().odooEventId() != null && exceptions.contains(o.mapping().odooEventId())) {
        // An Outlook exception keeps its own values; Odoo's, when "all events" wrote it, arrive next run.
        continue;
      }
      if (rule != null && (writtenTo == Side.ODOO || !slots.contains(o.originalStart()))) {
        forgetMappings.add(o.mapping().id());
        continue;
      }
      Mapping m = o.mapping();
      String odooSynced;
      String graphSynced;
      if (rule != null) {
        String plain = Snapshots.write(SeriesPlanner.at(after, slot(after.when(), o.originalStart(), newRule.zone())));
        odooSynced = plain;
        graphSynced = Snapshots.withQuiet(plain, Snapshots.quiet(m.graphSynced()));
      } else {
        odooSynced = refreshed(m.odooSynced(), fields, before, target);
        graphSynced = refreshed(m.graphSynced(), fields, before, target);
      }
      links.add(new SeriesLinks.Occurrence(new Mapping(m.id(), m.accountId(), m.odooEventId(), m.graphId(), m.iCalUId(), m.changeKey(),
          m.seriesGraphId(), s.recurrenceId, odooSynced, graphSynced, m.odooHash(), m.graphHash()), row.id(), o.originalStart(), false));
    }
  }

  /** A snapshot whose fields that held the series' old value hold the new one; its marks are kept. */
  private static String refreshed(String json, Set<Field> fields, CalEvent before, CalEvent target) {
    CalEvent c = Snapshots.read(json);
    if (c == null) {
      return json;
    }
    CalEvent out = c;
    for (Field f : fields) {
      if (f != Field.WHEN && f.same(c, before)) {
        out = out.with(f, target);
      }
    }
    String written = Snapshots.write(out);
    written = Snapshots.withQuiet(written, Snapshots.quiet(json));
    return Snapshots.withArchived(written, Snapshots.archived(json));
  }

  private void link(Action.LinkOccurrence l) {
    SeriesSync.State s = stateOf(l.seriesId());
    GraphEvent g = s.instances.stream().filter(i -> i.id().equals(l.graphId())).findFirst().orElseThrow();
    CalEvent odooSide = content.get(l.odooEventId());
    CalEvent graphSide = sync.outlookContent(g);
    CalEvent odooBase = l.authority() == Side.ODOO ? graphSide : odooSide;
    CalEvent graphBase = l.authority() == Side.OUTLOOK ? odooSide : graphSide;
    boolean quiet = s.quiet();
    links.add(new SeriesLinks.Occurrence(new Mapping(0, sync.account.id(), l.odooEventId(), g.id(), g.iCalUId(), g.changeKey(),
        s.masterId, s.recurrenceId, odooBase == null ? null : Snapshots.write(odooBase),
        graphBase == null ? null : Snapshots.withQuiet(Snapshots.write(graphBase), quiet), null, null), l.seriesId(),
        l.originalStart(), false));
  }

  // ---------------------------------------------------------------- refused occurrence moves

  /**
   * Whether a refused Outlook update is an occurrence moved onto or past a neighbour's day: Outlook never takes
   * that move, so instead of failing every run the occurrence is cancelled in Outlook and the Odoo exception gets
   * its own single Outlook event ({@link #finish}).
   */
  boolean refused(Action a, WriteResult r, Mapping m) {
    if (a instanceof Action.UpdateOutlook u && CROSSING.equals(r.errorCode()) && m != null && m.seriesGraphId() != null) {
      refused.add(new Refused(u.id(), u.target(), m));
      return true;
    }
    return false;
  }

  private void detach(Map<String, String> failed) throws SQLException {
    for (Refused x : refused) {
      Mapping m = x.mapping();
      List<WriteResult> results = sync.graph.write(List.of(new GraphWrite.Delete(m.graphId()),
          new GraphWrite.Create(CoreMapping.toDraft(x.target(), false, null), x.actionId() + "-detached")));
      if (!results.get(1).done()) {
        failed.put(x.actionId(), "Outlook refused the occurrence's move and its own event: " + results.get(1).status());
        continue;
      }
      String snapshot = Snapshots.write(x.target());
      Mapping single = new Mapping(m.id(), m.accountId(), m.odooEventId(), results.get(1).id(),
          results.get(1).event() == null ? null : results.get(1).event().iCalUId(), results.get(1).changeKey(), null,
          m.odooRecurrenceId(), snapshot, snapshot, null, null);
      SeriesLinks.Occurrence o = sync.store.series().occurrenceOf(m.id()).orElse(null);
      if (o != null) {
        links.add(new SeriesLinks.Occurrence(single, o.seriesId(), o.originalStart(), true));
      }
    }
  }

  // ---------------------------------------------------------------- saving

  /**
   * Saves the series rows and occurrence mappings (after the runner saved its own), and marks settled the
   * series whose occurrences this run went through without a failure.
   */
  void finish(Map<String, String> failed) throws SQLException {
    detach(failed);
    for (SeriesSync.State s : sync.states.values()) {
      if (s.row == null || forgetSeries.contains(s.row.id())) {
        continue;
      }
      if (s.partFound) {
        saveParts(s, s.parts);
      }
      SeriesLinks.Series row = current(s);
      boolean settled = s.occurrencesPlanned && failed.isEmpty() && row.settle() != null && !written.contains(row.id());
      if (settled || s.rebound && !written.contains(row.id())) {
        replace(new SeriesLinks.Series(row.id(), row.accountId(), s.recurrenceId, row.graphMasterId(), row.iCalUId(), row.ruleSynced(),
            row.contentSynced(), row.noEnd(), settled ? null : row.settle()));
      }
    }
    if (newRows.isEmpty() && rows.isEmpty() && links.isEmpty() && forgetMappings.isEmpty() && forgetSeries.isEmpty()) {
      return;
    }
    List<SeriesLinks.Series> all = new ArrayList<>(newRows);
    all.addAll(rows);
    sync.store.series().saveAll(all, links, List.copyOf(forgetMappings), List.copyOf(forgetSeries));
  }

  private SeriesSync.State stateOf(long seriesId) {
    return sync.states.get("series:" + seriesId);
  }

  /** The row as this run last decided it. */
  private SeriesLinks.Series current(SeriesSync.State s) {
    for (SeriesLinks.Series r : rows) {
      if (r.id() == s.row.id()) {
        return r;
      }
    }
    return s.row;
  }

  private void replace(SeriesLinks.Series row) {
    rows.removeIf(r -> r.id() == row.id());
    rows.add(row);
    written.add(row.id());
  }
}
