package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.OccurrenceMatch;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.Side;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.RecurrenceMapping;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooRecurrence;
import io.outlooksync.sidecar.odoo.OdooRecurrenceMapper;
import io.outlooksync.sidecar.odoo.OdooSeriesEvent;
import io.outlooksync.sidecar.store.SeriesLinks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what one series needs (docs/recurrence.md, "How the runner syncs series"): a new series is created on
 * the other side as one series; a series whose rule, time or series fields changed on one side is written to the
 * other once; a series deleted on one side is deleted or archived on the other; otherwise its occurrences are
 * matched by original start and go to the runner as pairs.
 */
final class SeriesPlanner {
  private final SeriesSync sync;
  private final Map<Long, CalEvent> content;

  SeriesPlanner(SeriesSync sync, Map<Long, CalEvent> content) {
    this.sync = sync;
    this.content = content;
  }

  /**
   * New series on both sides that are the same series (the same title, rule and first occurrence) are linked,
   * not created again on either side: a first sync where both calendars already hold them.
   */
  void adopt(Collection<SeriesSync.State> states, List<Action> out) {
    Map<String, SeriesSync.State> fromOutlook = new HashMap<>();
    for (SeriesSync.State s : states) {
      if (s.row == null && s.recurrenceId == null && s.master != null && s.master.kind() == GraphEvent.Kind.SERIES_MASTER) {
        CalEvent c = sync.outlookContent(s.master);
        Recurrence rule = c == null ? null : sync.graphRule(s, c, new ArrayList<>());
        if (rule != null) {
          s.graphContent = c;
          s.graphRule = rule;
          fromOutlook.putIfAbsent(looks(c.title(), rule, c.when()), s);
        }
      }
    }
    if (fromOutlook.isEmpty()) {
      return;
    }
    for (SeriesSync.State s : states) {
      if (s.row != null || s.master != null || s.recurrence == null) {
        continue;
      }
      Recurrence rule = sync.odooRule(s, new ArrayList<>());
      When first = rule == null ? null : SeriesSync.odooFirst(s, rule);
      CalEvent c = first == null ? null : content.get(s.events.stream().filter(e -> e.active() && e.follows()
          && content.containsKey(e.id())).min(SeriesSync.byStart()).map(OdooSeriesEvent::id).orElse(-1L));
      SeriesSync.State twin = c == null ? null : fromOutlook.remove(looks(c.title(), rule, first));
      if (twin != null) {
        s.adopted = true;
        twin.adopted = true;
        out.add(new Action.AdoptSeries(Reconciler.id("adopt-series", sync.account.odooDb(), s.recurrenceId, twin.masterId),
            s.recurrenceId, twin.masterId, twin.master.iCalUId(), at(twin.graphContent, twin.graphContent.when()), rule,
            "the same series on both sides (title, rule, first occurrence): linked, not created again"));
      }
    }
  }

  private static String looks(String title, Recurrence rule, When first) {
    return title.strip() + "\u001f" + RuleSnapshots.write(rule) + "\u001f" + first.startInstant() + "\u001f" + first.endInstant();
  }

  void plan(SeriesSync.State s, SeriesSync.Pairs pairs, List<Action> out) throws SQLException {
    if (s.adopted) {
      return;
    }
    if (s.row == null) {
      if (s.master == null) {
        planNewFromOdoo(s, out);
      } else if (s.recurrenceId == null) {
        planNewFromOutlook(s, out);
      }
      return;
    }
    long id = s.row.id();
    boolean odooGone = s.recurrence == null || s.events.stream().noneMatch(OdooSeriesEvent::active);
    boolean graphGone = s.master == null;
    if (odooGone && graphGone) {
      out.add(new Action.ForgetSeries("forget-series-" + id, id, "the series is gone from both sides"));
      return;
    }
    if (graphGone) {
      List<Long> active = s.events.stream().filter(OdooSeriesEvent::active).map(OdooSeriesEvent::id).toList();
      out.add(new Action.ArchiveOccurrencesInOdoo("archive-series-" + id, id, active,
          "the series was deleted in Outlook: its " + active.size() + " Odoo occurrence(s) are archived"));
      return;
    }
    s.graphContent = sync.outlookContent(s.master);
    if (s.graphContent == null) {
      out.add(new Action.Skip("skip-series-" + id, "outlook:" + s.masterId, "the Outlook series cannot be read"));
      return;
    }
    if (odooGone && s.recurrence == null && replaced(s)) {
      out.add(new Action.Skip("skip-series-" + id, "series:" + id,
          "the Odoo recurrence was replaced and its events live on: looked at again when they change"));
      return;
    }
    if (odooGone) {
      if (s.master.isOrganizer()) {
        out.add(new Action.DeleteSeriesInOutlook("delete-series-" + id, id, s.masterId, s.graphContent,
            "the series was deleted in Odoo"));
      } else {
        out.add(new Action.Skip("skip-series-" + id, "outlook:" + s.masterId, "deleted in Odoo; the organizer's series stays"));
      }
      return;
    }
    List<String> why = new ArrayList<>();
    s.odooRule = sync.odooRule(s, why);
    s.graphRule = s.odooRule == null ? null : sync.graphRule(s, s.graphContent, why);
    if (s.odooRule == null || s.graphRule == null) {
      out.add(new Action.Skip("skip-series-" + id, "series:" + id, "not synced: " + String.join("; ", why)));
      return;
    }
    Recurrence synced = s.syncedRule();
    CalEvent last = s.syncedContent();
    When odooFirst = SeriesSync.odooFirst(s, s.odooRule);
    s.odooFirst = odooFirst != null ? odooFirst : last.when();
    When graphFirst = s.graphContent.when();
    boolean odooShape = !sameRule(s.odooRule, synced) || !sameTime(s.odooFirst, last.when());
    boolean graphShape = !sameRule(s.graphRule, synced) || !sameTime(graphFirst, last.when());
    boolean invited = SeriesSync.invited(s);
    // A series the user was invited to is the organizer's: Odoo's changes are not sent, Outlook's are put back
    // (as Merge does for an attendee's single event).
    boolean odooLater = !invited && odooWrittenLast(s);

    Side shapeTo = null;
    if (invited && odooShape) {
      shapeTo = Side.ODOO;
      out.add(new Action.Skip("invited-series-rule-" + id, "series:" + id, "the rule or time changed in Odoo on a series the user was "
          + "invited to: not sent to its organizer; Outlook's is put back"));
    } else if (odooShape && graphShape) {
      if (!(s.odooRule.equals(s.graphRule) && sameTime(s.odooFirst, graphFirst))) {
        shapeTo = odooLater ? Side.OUTLOOK : Side.ODOO;
        out.add(new Action.Skip("conflict-series-rule-" + id, "series:" + id, "the rule changed on both sides; "
            + (odooLater ? "Odoo's" : "Outlook's") + " was written last and is kept"));
      }
    } else if (odooShape) {
      shapeTo = Side.OUTLOOK;
    } else if (graphShape) {
      shapeTo = Side.ODOO;
    }

    Set<Field> toOutlook = EnumSet.noneOf(Field.class);
    Set<Field> toOdoo = EnumSet.noneOf(Field.class);
    CalEvent outlookTarget = s.graphContent;
    List<CalEvent> odooSide = activeContents(s);
    for (Field f : SeriesSync.SERIES_FIELDS) {
      if (f == Field.ATTENDEES && s.quiet() || invited && SeriesSync.PERSONAL_FIELDS.contains(f)) {
        continue;
      }
      CalEvent common = common(odooSide, f);
      boolean oc = common != null && !(invited ? sameInOdooTerms(f, common, last) : f.same(common, last));
      boolean gc = !f.same(s.graphContent, last);
      if (oc && gc && f.same(common, s.graphContent)) {
        continue;
      }
      if (oc && gc) {
        out.add(new Action.Skip("conflict-series-" + f.name().toLowerCase() + "-" + id, "series:" + id, f
            + " changed on both sides; " + (odooLater ? "Odoo's" : "Outlook's") + " value was written last and is kept"));
      }
      if (oc && invited) {
        toOdoo.add(f);
        out.add(new Action.Skip("invited-series-" + f.name().toLowerCase() + "-" + id, "series:" + id, f + " changed in Odoo on a "
            + "series the user was invited to: not sent to its organizer; Outlook's value is put back"));
      } else if (oc && (!gc || odooLater)) {
        toOutlook.add(f);
        outlookTarget = outlookTarget.with(f, common);
      } else if (gc) {
        toOdoo.add(f);
      }
    }

    boolean acted = false;
    if (!toOutlook.isEmpty() || shapeTo == Side.OUTLOOK) {
      Recurrence rule = null;
      Set<Field> fields = EnumSet.noneOf(Field.class);
      fields.addAll(toOutlook);
      if (shapeTo == Side.OUTLOOK) {
        var written = RecurrenceMapping.write(s.odooRule);
        if (written.value() == null) {
          out.add(new Action.Skip("skip-series-rule-" + id, "series:" + id, "the new Odoo rule is not written to Outlook: "
              + String.join("; ", written.notes())));
        } else {
          rule = s.odooRule;
          fields.add(Field.WHEN);
          outlookTarget = at(outlookTarget, s.odooFirst);
        }
      }
      if (!fields.isEmpty()) {
        int exceptions = (int) s.instances.stream().filter(g -> g.kind() == GraphEvent.Kind.EXCEPTION).count();
        out.add(new Action.UpdateSeriesInOutlook(actionId("update-series-outlook", id, outlookTarget, rule), id, s.masterId,
            fields, outlookTarget, rule, s.master.isOrganizer(), exceptions, describe("changed in Odoo", fields, rule)));
        acted = true;
      }
    }
    if (!toOdoo.isEmpty() || shapeTo == Side.ODOO) {
      Recurrence rule = null;
      Set<Field> fields = EnumSet.noneOf(Field.class);
      fields.addAll(toOdoo);
      CalEvent target = s.graphContent;
      if (shapeTo == Side.ODOO) {
        var written = OdooRecurrenceMapper.toOdoo(s.graphRule, sync.weekStart());
        if (written.value() == null) {
          out.add(new Action.Skip("skip-series-rule-" + id, "series:" + id, "the new Outlook rule is not written to Odoo: "
              + String.join("; ", written.notes())));
        } else {
          rule = s.graphRule;
          fields.add(Field.WHEN);
        }
      }
      Long base = baseEvent(s);
      if (!fields.isEmpty() && base != null) {
        out.add(new Action.UpdateSeriesInOdoo(actionId("update-series-odoo", id, target, rule), id, base, fields, target, rule,
            describe("changed in Outlook", fields, rule)));
        acted = true;
      }
    }
    if (!acted && invited) {
      Action answer = seriesAnswer(s);
      if (answer != null) {
        out.add(answer);
        acted = true;
      }
    }
    if (!acted) {
      continuation(s, out);
      occurrences(s, pairs, out);
      s.occurrencesPlanned = true;
    }
  }

  /**
   * Odoo's "all events" answer to a series the user was invited to: every active Odoo occurrence in the window now
   * holds the same answer, more than one changed to it since the last sync, Outlook answered none of them meanwhile,
   * and the series does not hold it yet. One answer to the Outlook series, not one per occurrence.
   */
  private Action seriesAnswer(SeriesSync.State s) {
    Response outlook = s.graphContent.responseOf(sync.mailbox);
    Map<Long, SeriesLinks.Occurrence> byOdoo = new HashMap<>();
    s.occurrences.stream().filter(o -> !o.detached() && o.mapping().odooEventId() != null)
        .forEach(o -> byOdoo.put(o.mapping().odooEventId(), o));
    Map<String, GraphEvent> instances = new HashMap<>();
    s.instances.forEach(g -> instances.put(g.id(), g));
    Response common = null;
    int changed = 0;
    for (OdooSeriesEvent e : s.events) {
      CalEvent c = e.active() && sync.inWindow(e.start(), e.stop()) ? content.get(e.id()) : null;
      if (c == null) {
        continue;
      }
      Response r = c.responseOf(sync.mailbox);
      SeriesLinks.Occurrence o = byOdoo.get(e.id());
      if (r == null || o == null || (common != null && r != common)) {
        return null;
      }
      common = r;
      CalEvent odooBase = Snapshots.read(o.mapping().odooSynced());
      changed += odooBase != null && odooBase.responseOf(sync.mailbox) != r ? 1 : 0;
      GraphEvent g = o.mapping().graphId() == null ? null : instances.get(o.mapping().graphId());
      CalEvent now = g == null ? null : sync.outlookContent(g);
      CalEvent graphBase = Snapshots.read(o.mapping().graphSynced());
      if (now != null && graphBase != null && now.responseOf(sync.mailbox) != graphBase.responseOf(sync.mailbox)) {
        return null;
      }
    }
    if (common == null || common == Response.NONE || common == outlook || changed < 2) {
      return null;
    }
    return new Action.AnswerSeriesInOutlook(Reconciler.id("answer-series-outlook", s.row.id(), common, s.masterId), s.row.id(),
        s.masterId, common, "the user answered " + common + " for all events in Odoo: one answer to the Outlook series");
  }

  /**
   * A series without end goes on in Odoo past the 720 events a recurrence holds: when the window reaches the last
   * event of the last part, "this and following" on that event with a count of 720 makes the next part
   * (docs/recurrence.md, "Going on past Odoo's 720 events"). Odoo ends a split rule before the edited event's week
   * (weekly) or month (monthly): a rule with another date in that period is not continued, as that date would go.
   */
  private void continuation(SeriesSync.State s, List<Action> out) {
    Long lastRid = SeriesSync.lastPart(s);
    OdooRecurrence last = lastRid.equals(s.recurrenceId) ? s.recurrence : s.partRecurrences.get(lastRid);
    if (s.odooRule.end() != Recurrence.End.NO_END || last == null || !SeriesSync.forever(last)) {
      return;
    }
    ZoneId zone = s.odooRule.zone();
    Map<Long, LocalDateTime> memory = SeriesSync.memory(s);
    LocalDate partStart = null;
    for (OdooSeriesEvent e : s.events) {
      LocalDate d = lastRid.equals(e.recurrenceId()) ? SeriesSync.originalDate(e, zone, memory) : null;
      if (d != null && (partStart == null || d.isBefore(partStart))) {
        partStart = d;
      }
    }
    if (partStart == null) {
      return;
    }
    LocalDate lastDate = counted(s.odooRule, partStart).last();
    if (lastDate == null || !lastDate.atStartOfDay(zone).toInstant().isBefore(sync.options.windowEnd())) {
      return;
    }
    String subject = "series:" + s.row.id();
    String skipId = "skip-series-continue-" + s.row.id();
    OdooSeriesEvent lastEvent = s.events.stream().filter(e -> lastRid.equals(e.recurrenceId())
        && lastDate.equals(SeriesSync.originalDate(e, zone, memory))).findFirst().orElse(null);
    if (lastEvent == null || !lastEvent.active() || !lastEvent.follows()) {
      out.add(new Action.Skip(skipId, subject, "not continued past Odoo's 720 events: the last one (" + lastDate
          + ") is deleted, cancelled or moved in Odoo"));
      return;
    }
    LocalDate periodStart = switch (s.odooRule.pattern()) {
      case WEEKLY -> lastDate.with(java.time.temporal.TemporalAdjusters.previousOrSame(sync.weekStart()));
      case ABSOLUTE_MONTHLY, RELATIVE_MONTHLY -> lastDate.withDayOfMonth(1);
      default -> lastDate;
    };
    if (periodStart.isBefore(lastDate) && !s.odooRule.dates(periodStart, lastDate.minusDays(1)).isEmpty()) {
      out.add(new Action.Skip(skipId, subject, "not continued past Odoo's 720 events: Odoo would end the rule before "
          + periodStart + " and lose the dates between it and " + lastDate));
      return;
    }
    Recurrence next = counted(s.odooRule, lastDate);
    if (OdooRecurrenceMapper.toOdoo(next, sync.weekStart()).value() == null) {
      return;
    }
    out.add(new Action.ContinueSeriesInOdoo(Reconciler.id("continue-series-odoo", s.row.id(), lastEvent.id()), s.row.id(),
        lastEvent.id(), next, "the window reaches past the last of the " + OdooRecurrenceMapper.MAX_EVENTS
        + " events Odoo holds (" + lastDate + "): part " + (s.parts.size() + 2) + " starts there"));
  }

  /** The rule from {@code start} for Odoo's 720 events. */
  private static Recurrence counted(Recurrence r, LocalDate start) {
    return new Recurrence(r.pattern(), r.interval(), r.daysOfWeek(), r.firstDayOfWeek(), r.dayOfMonth(), r.index(), r.month(),
        r.shortMonths(), start, Recurrence.End.COUNT, null, OdooRecurrenceMapper.MAX_EVENTS, r.zone());
  }

  /**
   * Whether the series' Odoo occurrences still exist in another recurrence (Odoo replaced it, and this run did not
   * see the new one): never a reason to delete the Outlook series.
   */
  private boolean replaced(SeriesSync.State s) {
    List<Long> ids = s.occurrences.stream().map(o -> o.mapping().odooEventId()).filter(Objects::nonNull).toList();
    return !ids.isEmpty() && sync.odoo.events(ids).items().stream().anyMatch(e -> e.active() && e.recurrenceId() != null);
  }

  // ---------------------------------------------------------------- new series

  private void planNewFromOdoo(SeriesSync.State s, List<Action> out) {
    if (s.recurrence == null) {
      return;
    }
    // The content is read for the window's events only: a series that began before the window is taken from those.
    OdooSeriesEvent model = s.events.stream().filter(e -> e.active() && e.follows() && content.containsKey(e.id()))
        .min(SeriesSync.byStart()).orElse(s.events.stream().filter(OdooSeriesEvent::active)
            .min(Comparator.comparing((OdooSeriesEvent e) -> !content.containsKey(e.id())).thenComparing(SeriesSync.byStart()))
            .orElse(null));
    if (model == null) {
      return;
    }
    String subject = "odoo-series:" + s.recurrenceId;
    CalEvent c = content.get(model.id());
    if (c == null) {
      out.add(new Action.Skip("skip-series-odoo-" + s.recurrenceId, subject, "its events cannot be mapped"));
      return;
    }
    if (c.organizer() == null || !sync.mailbox.equalsIgnoreCase(c.organizer().email())) {
      out.add(new Action.Skip("skip-series-odoo-" + s.recurrenceId, subject,
          "a series the user attends in Odoo; it reaches Outlook as its organizer's invitation"));
      return;
    }
    List<String> why = new ArrayList<>();
    Recurrence rule = sync.odooRule(s, why);
    if (rule == null) {
      out.add(new Action.Skip("skip-series-odoo-" + s.recurrenceId, subject, "not synced: " + String.join("; ", why)));
      return;
    }
    var written = RecurrenceMapping.write(rule);
    if (written.value() == null) {
      out.add(new Action.Skip("skip-series-odoo-" + s.recurrenceId, subject, "not synced, refused: Outlook cannot hold this rule ("
          + String.join("; ", written.notes()) + ")"));
      return;
    }
    When first = SeriesSync.odooFirst(s, rule);
    if (first == null) {
      first = at(c, c.when()).when();
    }
    if (sync.options.onlyFutureEvents() && rule.end() != Recurrence.End.NO_END) {
      boolean allPast = s.events.stream().filter(OdooSeriesEvent::active)
          .allMatch(e -> e.stop() != null && e.stop().isBefore(sync.options.now()));
      if (allPast) {
        out.add(new Action.Skip("skip-series-odoo-" + s.recurrenceId, subject, "the series ended before now (only future events)"));
        return;
      }
    }
    out.add(new Action.CreateSeriesInOutlook(Reconciler.id("create-series-outlook", sync.account.odooDb(), s.recurrenceId),
        s.recurrenceId, at(c, first), rule, sync.options.quiet(), "a new series in Odoo (" + rule.pattern() + ", "
        + rule.end() + "): one Outlook series"));
  }

  private void planNewFromOutlook(SeriesSync.State s, List<Action> out) throws SQLException {
    String subject = "outlook-series:" + s.masterId;
    String id = "skip-series-outlook-" + s.masterId;
    if (s.master.kind() != GraphEvent.Kind.SERIES_MASTER) {
      return;
    }
    CalEvent c = sync.outlookContent(s.master);
    if (c == null) {
      out.add(new Action.Skip(id, subject, "the Outlook series cannot be read"));
      return;
    }
    List<String> why = new ArrayList<>();
    Recurrence rule = sync.graphRule(s, c, why);
    if (rule == null) {
      out.add(new Action.Skip(id, subject, "not synced: " + String.join("; ", why)));
      return;
    }
    Long shared = s.master.iCalUId() == null ? null
        : sync.store.series().recurrenceOfMeeting(sync.account.odooDb(), sync.account.id(), s.master.iCalUId())
            .filter(rid -> !sync.odoo.recurrences(List.of(rid)).items().isEmpty()).orElse(null);
    if (shared != null) {
      out.add(new Action.AdoptSeries(Reconciler.id("adopt-series", sync.account.odooDb(), shared, s.masterId), shared, s.masterId,
          s.master.iCalUId(), at(c, c.when()), rule,
          "this series is already in Odoo (same iCalUId through another mailbox): one Odoo series per meeting"));
      return;
    }
    var written = OdooRecurrenceMapper.toOdoo(rule, sync.weekStart());
    if (written.value() == null) {
      out.add(new Action.Skip(id, subject, "not synced, refused: Odoo cannot hold this rule (" + String.join("; ", written.notes()) + ")"));
      return;
    }
    String what = s.master.isOrganizer() ? "a new series in Outlook"
        : "a series the user was invited to in Outlook (the user attends it in Odoo; nothing is sent to its organizer)";
    out.add(new Action.CreateSeriesInOdoo(Reconciler.id("create-series-odoo", sync.mailbox, s.masterId), s.masterId,
        s.master.iCalUId(), c, rule, what + " (" + rule.pattern() + ", " + rule.end() + "): one Odoo recurring event"));
  }

  // ---------------------------------------------------------------- occurrences

  private void occurrences(SeriesSync.State s, SeriesSync.Pairs pairs, List<Action> out) throws SQLException {
    long seriesId = s.row.id();
    ZoneId zone = s.odooRule.zone();
    boolean allDay = s.odooFirst.allDay();
    Map<Long, LocalDateTime> memory = SeriesSync.memory(s);
    Map<Long, SeriesLinks.Occurrence> byOdoo = new HashMap<>();
    Map<String, SeriesLinks.Occurrence> byGraph = new HashMap<>();
    Set<Long> detachedOdoo = new HashSet<>();
    for (SeriesLinks.Occurrence o : s.occurrences) {
      if (o.detached()) {
        if (o.mapping().odooEventId() != null) {
          detachedOdoo.add(o.mapping().odooEventId());
          OdooEvent e = sync.odooEvents.get(o.mapping().odooEventId());
          if (e != null) {
            pairs.pair(o.mapping(), e, s.detached.get(o.mapping().graphId()));
          }
        }
        continue;
      }
      if (o.mapping().odooEventId() != null) {
        byOdoo.put(o.mapping().odooEventId(), o);
      }
      if (o.mapping().graphId() != null) {
        byGraph.put(o.mapping().graphId(), o);
      }
    }
    List<OccurrenceMatch.OdooOccurrence> odooList = new ArrayList<>();
    for (OdooSeriesEvent e : s.events) {
      if (!detachedOdoo.contains(e.id()) && sync.inWindow(e.start(), e.stop()) && sync.odooEvents.containsKey(e.id())) {
        odooList.add(SeriesSync.odooOccurrence(e, zone, memory));
      }
    }
    Map<String, GraphEvent> instances = new HashMap<>();
    List<OccurrenceMatch.GraphInstance> graphList = new ArrayList<>();
    for (GraphEvent g : s.instances) {
      if (g.originalStart() == null) {
        continue;
      }
      instances.put(g.id(), g);
      Instant start = g.allDay() && g.startDate() != null ? g.startDate().atStartOfDay(zone).toInstant() : g.start();
      graphList.add(new OccurrenceMatch.GraphInstance(g.id(), start, g.originalStart(), g.kind() == GraphEvent.Kind.EXCEPTION));
    }
    Map<Long, String> known = new HashMap<>();
    byOdoo.forEach((odooId, o) -> {
      if (o.mapping().graphId() != null) {
        known.put(odooId, o.mapping().graphId());
      }
    });
    OccurrenceMatch.Result r = OccurrenceMatch.match(odooList, graphList, zone, allDay, known);
    List<OccurrenceMatch.OdooOccurrence> onlyOdoo = new ArrayList<>(r.onlyInOdoo());
    List<OccurrenceMatch.GraphInstance> onlyGraph = new ArrayList<>(r.onlyInOutlook());
    List<OccurrenceMatch.Pair> matched = new ArrayList<>(r.pairs());
    eliminate(onlyOdoo, onlyGraph, byGraph, matched, zone);
    Side authority = SeriesSync.settleSide(s.row);
    Set<Long> forgotten = new HashSet<>();
    for (OccurrenceMatch.Pair p : matched) {
      OdooEvent oe = sync.odooEvents.get(p.odoo().id());
      GraphEvent ge = instances.get(p.graph().id());
      SeriesLinks.Occurrence row = byOdoo.get(p.odoo().id());
      SeriesLinks.Occurrence other = byGraph.get(p.graph().id());
      if (row == null) {
        row = other;
      } else if (other != null && other != row && forgotten.add(other.mapping().id())) {
        out.add(new Action.Forget("forget-occurrence-" + other.mapping().id(), other.mapping().id(),
            "its Outlook occurrence is now paired with another Odoo occurrence"));
      }
      if (row != null) {
        Mapping m = row.mapping();
        if (!Objects.equals(m.odooEventId(), p.odoo().id()) || !Objects.equals(m.graphId(), p.graph().id())) {
          // An Outlook instance gets a new id when it becomes an exception; the original start says it is the same.
          m = new Mapping(m.id(), m.accountId(), p.odoo().id(), p.graph().id(), ge.iCalUId(), ge.changeKey(), m.seriesGraphId(),
              m.odooRecurrenceId(), m.odooSynced(), m.graphSynced(), m.odooHash(), m.graphHash());
        }
        pairs.pair(m, oe, ge);
      } else if (oe != null && !oe.active() && SeriesSync.invited(s)) {
        out.add(new Action.Skip("skip-occurrence-odoo-" + oe.id(), "odoo:" + oe.id(),
            "archived in Odoo before it was linked; the organizer's occurrence stays in Outlook"));
      } else if (oe != null && !oe.active()) {
        out.add(new Action.CancelOccurrenceInOutlook(Reconciler.id("cancel-occurrence", seriesId, p.originalStart()), seriesId,
            ge.id(), sync.outlookContent(ge), "an occurrence cancelled in Odoo"));
      } else if (oe != null) {
        out.add(new Action.LinkOccurrence("link-occurrence-" + seriesId + "-" + p.odoo().id(), seriesId, p.odoo().id(), ge.id(),
            p.originalStart(), authority, "the same occurrence on both sides (original start " + p.originalStart() + ")"));
      }
    }
    List<Long> archive = new ArrayList<>();
    for (OccurrenceMatch.OdooOccurrence o : onlyOdoo) {
      OdooEvent oe = sync.odooEvents.get(o.id());
      SeriesLinks.Occurrence row = byOdoo.get(o.id());
      if (row != null && row.mapping().graphId() != null) {
        pairs.pair(row.mapping(), oe, null);
      } else if (oe != null && oe.active()) {
        if (authority == Side.OUTLOOK) {
          archive.add(o.id());
        } else {
          out.add(new Action.Skip("skip-occurrence-odoo-" + o.id(), "odoo:" + o.id(),
              "an occurrence of a synced series that Outlook does not list (moved away from its slot?)"));
        }
      }
    }
    if (!archive.isEmpty()) {
      out.add(new Action.ArchiveOccurrencesInOdoo("archive-occurrences-" + seriesId + "-" + archive.get(0), seriesId, archive,
          "cancelled in Outlook before the series was synced"));
    }
    List<Long> unknown = new ArrayList<>();
    for (OccurrenceMatch.GraphInstance g : onlyGraph) {
      SeriesLinks.Occurrence row = byGraph.get(g.id());
      if (row != null && row.mapping().odooEventId() != null && !sync.odooEvents.containsKey(row.mapping().odooEventId())) {
        unknown.add(row.mapping().odooEventId());
      }
    }
    Set<Long> missing = unknown.isEmpty() ? Set.of() : sync.odoo.events(unknown).missing();
    for (OccurrenceMatch.GraphInstance g : onlyGraph) {
      GraphEvent ge = instances.get(g.id());
      SeriesLinks.Occurrence row = byGraph.get(g.id());
      if (row != null && row.mapping().odooEventId() != null) {
        if (missing.contains(row.mapping().odooEventId())) {
          pairs.pair(row.mapping(), null, ge);
        }
      } else if (SeriesSync.beyondOdoo(s, g.originalStart())) {
        continue;
      } else if (authority == Side.ODOO && !SeriesSync.invited(s)) {
        out.add(new Action.CancelOccurrenceInOutlook(Reconciler.id("cancel-occurrence", seriesId, g.originalStart()), seriesId, g.id(),
            sync.outlookContent(ge), "Odoo has no such occurrence (deleted before the series was synced)"));
      } else {
        out.add(new Action.Skip("skip-occurrence-outlook-" + g.id(), "outlook:" + g.id(),
            "an occurrence of a synced series that Odoo does not have"));
      }
    }
  }

  /**
   * An Odoo occurrence moved since the last run without a memory of its slot, and the one Outlook slot nobody
   * claims: they are the same occurrence. Only when exactly one of each is left, so nothing is guessed.
   */
  private void eliminate(List<OccurrenceMatch.OdooOccurrence> onlyOdoo, List<OccurrenceMatch.GraphInstance> onlyGraph,
                         Map<String, SeriesLinks.Occurrence> byGraph, List<OccurrenceMatch.Pair> matched, ZoneId zone) {
    List<OccurrenceMatch.OdooOccurrence> moved = onlyOdoo.stream().filter(o -> !o.follows() && o.originalStart() == null).toList();
    List<OccurrenceMatch.GraphInstance> free = onlyGraph.stream().filter(g -> !byGraph.containsKey(g.id())).toList();
    if (moved.size() == 1 && free.size() == 1) {
      OccurrenceMatch.GraphInstance g = free.get(0);
      matched.add(new OccurrenceMatch.Pair(moved.get(0), g, LocalDateTime.ofInstant(g.originalStart(), zone)));
      onlyOdoo.remove(moved.get(0));
      onlyGraph.remove(g);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The active Odoo occurrences' contents inside the window. */
  private List<CalEvent> activeContents(SeriesSync.State s) {
    List<CalEvent> out = new ArrayList<>();
    for (OdooSeriesEvent e : s.events) {
      CalEvent c = e.active() ? content.get(e.id()) : null;
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Whether Odoo's value is what Odoo makes of the synced one: Odoo has no optional attendees, so for a series the
   * user was invited to (whose Odoo side is only ever written) an optional attendee is no change there.
   */
  private static boolean sameInOdooTerms(Field f, CalEvent odoo, CalEvent synced) {
    if (f != Field.ATTENDEES) {
      return f.same(odoo, synced);
    }
    return addresses(odoo).equals(addresses(synced));
  }

  private static Set<String> addresses(CalEvent c) {
    Set<String> out = new HashSet<>();
    c.attendees().stream().filter(a -> a.person().hasEmail()).forEach(a -> out.add(a.person().key()));
    return out;
  }

  /** The value every Odoo occurrence has for a field ("all events"), or null when they differ or there are none. */
  private static CalEvent common(List<CalEvent> events, Field f) {
    if (events.isEmpty()) {
      return null;
    }
    CalEvent first = events.get(0);
    for (CalEvent c : events) {
      if (!f.same(first, c)) {
        return null;
      }
    }
    return first;
  }

  private boolean odooWrittenLast(SeriesSync.State s) {
    Instant odoo = null;
    for (OdooSeriesEvent e : s.events) {
      OdooEvent oe = sync.odooEvents.get(e.id());
      if (oe != null && oe.writeDate() != null && (odoo == null || oe.writeDate().isAfter(odoo))) {
        odoo = oe.writeDate();
      }
    }
    Instant graph = s.master.lastModified();
    return graph == null || (odoo != null && odoo.isAfter(graph));
  }

  private static Long baseEvent(SeriesSync.State s) {
    if (s.recurrence.baseEventId() != null) {
      return s.recurrence.baseEventId();
    }
    return s.events.stream().filter(OdooSeriesEvent::active).min(SeriesSync.byStart()).map(OdooSeriesEvent::id).orElse(null);
  }

  /**
   * The same rule, allowing Odoo's start to have moved to a later date of the synced rule: Odoo's first date is the
   * earliest event it still has, which moves when the first occurrences are deleted. That is not a new rule.
   */
  static boolean sameRule(Recurrence now, Recurrence synced) {
    if (now.equals(synced)) {
      return true;
    }
    if (!now.startDate().isAfter(synced.startDate())) {
      return false;
    }
    try {
      return now.startingOn(synced.startDate()).equals(synced) && synced.dates(now.startDate(), now.startDate()).size() == 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The same time of day and length in the same zone (a series' "time"), whatever the date. */
  static boolean sameTime(When a, When b) {
    if (a.allDay() || b.allDay()) {
      return a.allDay() && b.allDay()
          && Duration.between(a.startDate().atStartOfDay(), a.endDateExclusive().atStartOfDay())
              .equals(Duration.between(b.startDate().atStartOfDay(), b.endDateExclusive().atStartOfDay()));
    }
    ZoneId zone = a.zone();
    return LocalDateTime.ofInstant(a.start(), zone).toLocalTime().equals(LocalDateTime.ofInstant(b.start(), zone).toLocalTime())
        && Duration.between(a.start(), a.end()).equals(Duration.between(b.start(), b.end()));
  }

  static CalEvent at(CalEvent c, When w) {
    return new CalEvent(c.title(), w, c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(), c.reminderMinutes(),
        c.organizer(), c.attendees());
  }

  private static String actionId(String kind, long seriesId, CalEvent target, Recurrence rule) {
    return Reconciler.id(kind, seriesId, Snapshots.write(target), rule == null ? "" : RuleSnapshots.write(rule));
  }

  private static String describe(String where, Set<Field> fields, Recurrence rule) {
    return "the series " + where + " (all events): " + fields + (rule == null ? "" : ", rule " + rule.pattern() + " " + rule.end()
        + " from " + rule.startDate());
  }
}
