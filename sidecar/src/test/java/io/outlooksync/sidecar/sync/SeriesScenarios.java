package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.MailLog;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.RecurrenceMapping;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooRecurrence;
import io.outlooksync.sidecar.odoo.OdooRecurrenceMapper;
import io.outlooksync.sidecar.odoo.OdooRule;
import io.outlooksync.sidecar.odoo.OdooSeriesEvent;
import io.outlooksync.sidecar.odoo.SeriesScope;
import io.outlooksync.sidecar.store.SeriesLinks;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Recurring events synced both ways (docs/recurrence.md), against the Odoo of the subclass and the Microsoft 365
 * emulator: series created on either side, each pattern and end, one occurrence edited, moved, cancelled or
 * deleted, "this and following", "all events", attendees' answers, DST, an occurrence Outlook refuses to move, and
 * rounds of edits from alternating sides. Every scenario ends with runs that change nothing.
 */
abstract class SeriesScenarios extends SyncRunnerScenarios {
  static final LocalTime NINE = LocalTime.of(9, 0);
  /** A Monday two weeks ahead, so that every series lies in the future and inside the window. */
  final LocalDate monday = LocalDate.now(BRUSSELS).plusWeeks(2).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));

  // ---------------------------------------------------------------- helpers

  static Recurrence rule(Recurrence.Pattern p, int interval, Set<DayOfWeek> days, int dayOfMonth, Recurrence.WeekIndex index,
                         int month, LocalDate start, Recurrence.End end, LocalDate endDate, int count) {
    return new Recurrence(p, interval, days, DayOfWeek.SUNDAY, dayOfMonth, index, month, Recurrence.ShortMonths.LAST_DAY, start,
        end, endDate, count, BRUSSELS);
  }

  static Recurrence weekly(LocalDate start, int count, DayOfWeek... days) {
    return rule(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(days), 0, null, 0, start, Recurrence.End.COUNT, null, count);
  }

  static Recurrence daily(LocalDate start, int count) {
    return rule(Recurrence.Pattern.DAILY, 1, Set.of(), 0, null, 0, start, Recurrence.End.COUNT, null, count);
  }

  Instant at(LocalDate d, LocalTime t) {
    return d.atTime(t).atZone(BRUSSELS).toInstant();
  }

  /** A series organized by alice in Odoo at {@code time} for an hour; returns its recurrence id. */
  long odooSeries(String title, Recurrence rule, LocalTime time, String... attendees) {
    List<Long> partners = new ArrayList<>(List.of(alicePartner));
    if (attendees.length > 0) {
      partners.addAll(odoo.partnersByEmail(List.of(attendees), true).values());
    }
    OdooRule r = OdooRecurrenceMapper.toOdoo(rule, odoo.weekStart()).value();
    assertNotNull(r, rule.toString());
    Instant start = at(rule.startDate(), time);
    long first = odoo.createSeries(OdooEventDraft.timed(title, start, start.plus(Duration.ofHours(1))).withOrganizer(aliceUid)
        .withPartners(partners), r);
    return odoo.events(List.of(first)).items().get(0).recurrenceId();
  }

  /** A series master in alice's Outlook at {@code time} for half an hour. */
  GraphEvent outlookSeries(String title, Recurrence rule, LocalTime time, String... attendees) {
    return outlookSeries(title, rule, time, Duration.ofMinutes(30), attendees);
  }

  GraphEvent outlookSeries(String title, Recurrence rule, LocalTime time, Duration length, String... attendees) {
    List<Attendee> invited = Stream.of(attendees).map(a -> new Attendee(new Person(null, a), false, Response.NONE)).toList();
    Instant start = at(rule.startDate(), time);
    CalEvent c = new CalEvent(title, When.timed(start, start.plus(length), BRUSSELS), null, null, null, null, null,
        null, null, invited);
    GraphEvent.Recurrence wire = RecurrenceMapping.write(rule).value();
    assertNotNull(wire, rule.toString());
    WriteResult r = outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null).withRecurrence(wire),
        "test-series-" + title + "-" + rule.startDate() + "-" + time))).get(0);
    assertTrue(r.done(), r.toString());
    return outlook.event(r.id()).orElseThrow();
  }

  List<GraphEvent> instances(String masterId) {
    List<GraphEvent> out = new ArrayList<>(outlook.instances(masterId, Instant.now().minus(30, ChronoUnit.DAYS),
        Instant.now().plus(700, ChronoUnit.DAYS)));
    out.sort(Comparator.comparing(GraphEvent::originalStart));
    return out;
  }

  List<OdooSeriesEvent> odooActive(long rid) {
    return odoo.seriesEvents(List.of(rid)).stream().filter(OdooSeriesEvent::active).sorted(SeriesSync.byStart()).toList();
  }

  SeriesLinks.Series seriesOfOdoo(long rid) throws Exception {
    return store.series().byOdooRecurrence(account, rid).orElseThrow(() -> new AssertionError("recurrence " + rid + " not synced"));
  }

  SeriesLinks.Series seriesOfOutlook(String masterId) throws Exception {
    return store.series().byGraphMaster(account, masterId).orElseThrow(() -> new AssertionError("master not synced"));
  }

  /**
   * Runs until a run changes nothing (at most 4 runs), then one more that must change nothing; returns them all.
   * Each run's journal must replay to the plan it recorded.
   */
  List<SyncRunner.RunResult> settle() throws Exception {
    List<SyncRunner.RunResult> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      SyncRunner.RunResult r = sync();
      runs.add(r);
      Replay.Result replay = Replay.of(store.syncRuns().get(r.runId()).orElseThrow());
      assertTrue(replay.reproduced(), "the journal replays run " + r.runId() + ": " + replay.whyNot() + " " + replay.differences());
      if (r.changes() == 0) {
        break;
      }
    }
    SyncRunner.RunResult last = sync();
    assertEquals(0, last.changes(), "settled: " + last.plan().describe());
    runs.add(last);
    return runs;
  }

  static String describe(List<SyncRunner.RunResult> runs) {
    StringBuilder sb = new StringBuilder();
    runs.forEach(r -> sb.append("-- run ").append(r.runId()).append('\n').append(r.plan().describe()));
    return sb.toString();
  }

  /** Odoo's active starts and Outlook's instance starts are the same instants, one each. */
  void assertSameOccurrences(long rid, String masterId) {
    List<Instant> odooStarts = odooActive(rid).stream().map(OdooSeriesEvent::start).sorted().toList();
    List<Instant> outlookStarts = instances(masterId).stream().map(GraphEvent::start).sorted().toList();
    assertEquals(odooStarts, outlookStarts, "Odoo and Outlook hold the same occurrences");
  }

  Recurrence outlookRule(String masterId) {
    GraphEvent master = outlook.event(masterId).orElseThrow();
    return RecurrenceMapping.read(master.recurrence(), BRUSSELS, BRUSSELS).value();
  }

  Recurrence odooRuleOf(long rid) {
    OdooRecurrence rec = odoo.recurrences(List.of(rid)).items().get(0);
    LocalDate first = odoo.seriesEvents(List.of(rid)).stream().map(e -> LocalDate.ofInstant(e.start(), BRUSSELS)).min(Comparator.naturalOrder())
        .orElseThrow();
    return OdooRecurrenceMapper.toCore(rec.rule(), first, odoo.weekStart(), BRUSSELS).value();
  }

  /** Renames an Outlook event: a series master (all events) or one instance. */
  void renameInOutlook(GraphEvent event, String title) {
    CalEvent renamed = SeriesPlanner.at(CoreMapping.toCore(event), CoreMapping.toCore(event).when());
    renamed = renamed.with(Field.TITLE, new CalEvent(title, renamed.when(), null, null, null, null, null, null, null, null));
    assertTrue(outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.TITLE), renamed).toWrite(event.id(), null))).get(0).done());
  }

  /** Moves an Outlook event (a master: all events; an instance: that occurrence) by {@code by}. */
  WriteResult moveInOutlook(GraphEvent event, Duration by) {
    CalEvent c = CoreMapping.toCore(event);
    CalEvent moved = SeriesPlanner.at(c, When.timed(c.when().start().plus(by), c.when().end().plus(by), BRUSSELS));
    return outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.WHEN), moved).toWrite(event.id(), null))).get(0);
  }

  void deleteInOutlook(String id) {
    assertTrue(outlook.write(List.of(new GraphWrite.Delete(id))).get(0).done());
  }

  static LocalTime localTime(Instant i) {
    return LocalDateTime.ofInstant(i, BRUSSELS).toLocalTime();
  }

  // ---------------------------------------------------------------- series created

  @Test
  void aSeriesMadeInOdooIsOneOutlookSeriesAndMailsEachAttendeeOnce() throws Exception {
    long rid = odooSeries("Weekly sync", weekly(monday, 6, DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), NINE, bob);

    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("CreateSeriesInOutlook"), dry.plan().describe());
    assertEquals(null, dry.counts().get("CreateInOutlook"), "never one event per occurrence: " + dry.plan().describe());
    assertEquals(1, dry.forecast().count(io.outlooksync.sidecar.core.MailForecast.Kind.INVITATION), "one invitation, to bob");
    assertEquals(Set.of(bob), dry.forecast().recipients());
    String journal = store.syncRuns().get(dry.runId()).orElseThrow().plan();
    assertTrue(journal.contains("CreateSeriesInOutlook") && journal.contains("\"odoo_recurrence_id\":" + rid), journal);

    List<SyncRunner.RunResult> runs = settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();
    assertEquals(GraphEvent.Kind.SERIES_MASTER, outlook.event(masterId).orElseThrow().kind());
    assertEquals(6, instances(masterId).size());
    assertSameOccurrences(rid, masterId);
    assertEquals(weekly(monday, 6, DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), outlookRule(masterId));
    assertEquals(1, mails().to(bob).size(), "one invitation for the series: " + mails().all());
    assertEquals(MailLog.Kind.INVITATION, mails().to(bob).get(0).kind());
    assertEquals(6, store.series().occurrences(seriesOfOdoo(rid).id()).size(), "each occurrence mapped: " + describe(runs));
    assertTrue(outlookEvents().stream().noneMatch(e -> e.kind() == GraphEvent.Kind.SINGLE_INSTANCE), "no single copies");
  }

  @Test
  void aSeriesMadeInOutlookIsOneOdooRecurringEvent() throws Exception {
    GraphEvent master = outlookSeries("Planning", weekly(monday, 5, DayOfWeek.TUESDAY), NINE);
    List<SyncRunner.RunResult> runs = settle();
    SeriesLinks.Series row = seriesOfOutlook(master.id());
    long rid = row.odooRecurrenceId();
    assertEquals(5, odooActive(rid).size(), describe(runs));
    assertTrue(odooActive(rid).stream().allMatch(e -> "Planning".equals(odoo.events(List.of(e.id())).items().get(0).name())));
    assertEquals(weekly(monday, 5, DayOfWeek.TUESDAY), odooRuleOf(rid));
    assertSameOccurrences(rid, master.id());
    assertEquals(1, odooTitled("Planning").stream().map(OdooEvent::recurrenceId).distinct().count(), "one Odoo series");
  }

  /** The same series already on both sides before the first sync is linked, not created again on either side. */
  @Test
  void aSeriesOnBothSidesBeforeTheFirstSyncIsLinkedNotDoubled() throws Exception {
    Recurrence rule = weekly(monday, 4, DayOfWeek.WEDNESDAY);
    long rid = odooSeries("Yoga", rule, NINE);
    GraphEvent master = outlookSeries("Yoga", rule, NINE, Duration.ofHours(1));
    List<SyncRunner.RunResult> runs = settle();
    assertEquals(1, runs.get(0).counts().get("AdoptSeries"), describe(runs));
    assertEquals(master.id(), seriesOfOdoo(rid).graphMasterId());
    assertEquals(4, store.series().occurrences(seriesOfOdoo(rid).id()).size(), "the occurrences linked: " + describe(runs));
    assertEquals(4, odooTitled("Yoga").stream().filter(OdooEvent::active).count(), "nothing created in Odoo");
    assertEquals(Set.of(master.id()), outlook.firstPage(Instant.now(), Instant.now().plus(200, ChronoUnit.DAYS), 100).items().stream()
        .filter(i -> i instanceof io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub)
        .map(i -> ((io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub) i).seriesMasterId()).collect(java.util.stream.Collectors.toSet()),
        "one series in Outlook");
    assertSameOccurrences(rid, master.id());
  }

  /** Each pattern and each end, from each side: the rule arrives exactly, the occurrences are the same instants. */
  @Test
  void everyPatternAndEveryEndCrossesFromEachSide() throws Exception {
    LocalDate first = monday.plusDays(1);
    List<Recurrence> rules = List.of(
        rule(Recurrence.Pattern.DAILY, 2, Set.of(), 0, null, 0, first, Recurrence.End.COUNT, null, 4),
        rule(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY), 0, null, 0, first,
            Recurrence.End.END_DATE, first.plusWeeks(2), 0),
        rule(Recurrence.Pattern.ABSOLUTE_MONTHLY, 1, Set.of(), 15, null, 0, first, Recurrence.End.COUNT, null, 3),
        rule(Recurrence.Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(DayOfWeek.TUESDAY), 0, Recurrence.WeekIndex.SECOND, 0, first,
            Recurrence.End.END_DATE, first.plusMonths(3), 0),
        rule(Recurrence.Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(DayOfWeek.FRIDAY), 0, Recurrence.WeekIndex.LAST, 0, first,
            Recurrence.End.COUNT, null, 2),
        rule(Recurrence.Pattern.ABSOLUTE_YEARLY, 1, Set.of(), first.getDayOfMonth() > 28 ? 28 : first.getDayOfMonth(), null,
            first.getMonthValue(), first, Recurrence.End.COUNT, null, 2),
        rule(Recurrence.Pattern.WEEKLY, 2, Recurrence.days(DayOfWeek.WEDNESDAY), 0, null, 0, first, Recurrence.End.NO_END, null, 0));
    List<Long> fromOdoo = new ArrayList<>();
    List<String> fromOutlook = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      fromOdoo.add(odooSeries("Odoo rule " + i, rules.get(i), NINE));
      fromOutlook.add(outlookSeries("Outlook rule " + i, rules.get(i), LocalTime.of(14, 0)).id());
    }
    // Relative yearly exists in Outlook only: refused with the reason, nothing half-made.
    Recurrence thanksgiving = rule(Recurrence.Pattern.RELATIVE_YEARLY, 1, Recurrence.days(DayOfWeek.THURSDAY), 0,
        Recurrence.WeekIndex.FOURTH, 11, first, Recurrence.End.COUNT, null, 2);
    GraphEvent yearly = outlookSeries("Thanksgiving", thanksgiving, NINE);

    List<SyncRunner.RunResult> runs = settle();
    String log = describe(runs);
    for (int i = 0; i < rules.size(); i++) {
      Recurrence r = rules.get(i);
      String master = seriesOfOdoo(fromOdoo.get(i)).graphMasterId();
      assertEquals(r, outlookRule(master), "rule " + i + " in Outlook\n" + log);
      long rid = seriesOfOutlook(fromOutlook.get(i)).odooRecurrenceId();
      Recurrence back = r.end() == Recurrence.End.NO_END ? r : odooRuleOf(rid);
      assertEquals(r, back, "rule " + i + " in Odoo");
      if (r.end() != Recurrence.End.NO_END) {
        assertSameOccurrences(fromOdoo.get(i), master);
        assertSameOccurrences(rid, fromOutlook.get(i));
      } else {
        // Odoo holds a series without end as its first 720 occurrences: the window's are the same on both sides.
        List<Instant> outlookStarts = instances(fromOutlook.get(i)).stream().map(GraphEvent::start).toList();
        List<Instant> odooStarts = odooActive(rid).stream().map(OdooSeriesEvent::start)
            .filter(s -> !s.isAfter(outlookStarts.get(outlookStarts.size() - 1))).toList();
        assertEquals(outlookStarts, odooStarts);
        assertTrue(seriesOfOdoo(fromOdoo.get(i)).noEnd());
      }
    }
    Action refused = runs.get(0).plan().actions().stream().filter(a -> a.id().contains(yearly.id())).findFirst().orElseThrow();
    assertTrue(refused.reason().contains("refused") && refused.reason().contains("Odoo has no yearly rule"), refused.reason());
    assertTrue(odooTitled("Thanksgiving").isEmpty());
  }

  // ---------------------------------------------------------------- one occurrence

  @Test
  void oneOccurrenceEditedMovedCancelledOrDeletedInOdooChangesOnlyThatOccurrenceInOutlook() throws Exception {
    long rid = odooSeries("Standup", daily(monday, 6), NINE, bob);
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();
    List<OdooSeriesEvent> events = odooActive(rid);
    mails().clear();

    odoo.writeSeries(events.get(1).id(), EventChanges.of().name("Standup (demo)"), null, SeriesScope.SELF_ONLY);
    Instant moved = events.get(2).start().plus(Duration.ofHours(2));
    odoo.writeSeries(events.get(2).id(), EventChanges.of().times(moved, moved.plus(Duration.ofHours(1))), null, SeriesScope.SELF_ONLY);
    odoo.archiveEvents(List.of(events.get(3).id()));
    odooUnderTest.raw().unlink("calendar.event", events.get(4).id());
    // Carol is invited to the last occurrence only.
    String carol = "carol-" + tag + "@example.com";
    List<Long> partners = new ArrayList<>(odoo.events(List.of(events.get(5).id())).items().get(0).partnerIds());
    partners.addAll(odoo.partnersByEmail(List.of(carol), true).values());
    odoo.writeSeries(events.get(5).id(), EventChanges.of().partners(partners), null, SeriesScope.SELF_ONLY);
    List<SyncRunner.RunResult> runs = settle();

    List<GraphEvent> inst = instances(masterId);
    assertEquals(4, inst.size(), describe(runs));
    assertEquals("Standup (demo)", inst.get(1).subject());
    assertEquals(moved, inst.get(2).start());
    assertEquals(GraphEvent.Kind.EXCEPTION, inst.get(2).kind());
    assertEquals("Standup", inst.get(0).subject());
    assertEquals("Standup", inst.get(3).subject());
    assertEquals(events.get(5).start(), inst.get(3).start());
    for (int i = 0; i < inst.size(); i++) {
      boolean invited = inst.get(i).attendees().stream().anyMatch(a -> carol.equalsIgnoreCase(a.address()));
      assertEquals(i == 3, invited, "carol on the last occurrence only: " + i);
    }
    assertEquals(List.of(MailLog.Kind.INVITATION), mails().to(carol).stream().map(MailLog.Mail::kind).toList());
    assertSameOccurrences(rid, masterId);
    assertEquals(2, mails().to(bob).stream().filter(m -> m.kind() == MailLog.Kind.CANCELLATION).count(), mails().all().toString());
    assertEquals(2, mails().to(bob).stream().filter(m -> m.kind() == MailLog.Kind.UPDATE).count(),
        "one update per changed occurrence: " + mails().all());
  }

  @Test
  void oneOccurrenceEditedMovedOrCancelledInOutlookChangesOnlyThatOccurrenceInOdoo() throws Exception {
    GraphEvent master = outlookSeries("Review", daily(monday, 5), NINE);
    settle();
    long rid = seriesOfOutlook(master.id()).odooRecurrenceId();
    List<GraphEvent> inst = instances(master.id());
    List<Long> idsBefore = odooActive(rid).stream().map(OdooSeriesEvent::id).toList();

    renameInOutlook(inst.get(1), "Review (long)");
    assertTrue(moveInOutlook(inst.get(2), Duration.ofHours(3)).done());
    deleteInOutlook(inst.get(3).id());
    List<SyncRunner.RunResult> runs = settle();

    List<OdooSeriesEvent> active = odooActive(rid);
    assertEquals(4, active.size(), describe(runs));
    assertEquals("Review (long)", odoo.events(List.of(active.get(1).id())).items().get(0).name());
    assertEquals(inst.get(2).start().plus(Duration.ofHours(3)), active.get(2).start());
    assertTrue(!active.get(2).follows(), "an Odoo exception");
    assertEquals("Review", odoo.events(List.of(active.get(0).id())).items().get(0).name());
    assertEquals(idsBefore.subList(0, 3), active.subList(0, 3).stream().map(OdooSeriesEvent::id).toList(), "the same events");
    assertTrue(odoo.events(List.of(idsBefore.get(3))).items().stream().noneMatch(OdooEvent::active), "archived, not deleted");
    assertSameOccurrences(rid, master.id());
  }

  // ---------------------------------------------------------------- all events

  @Test
  void allEventsFromOdooUpdateTheOutlookMasterOnceAndMailEachAttendeeOnce() throws Exception {
    long rid = odooSeries("Retro", weekly(monday, 4, DayOfWeek.FRIDAY), NINE, bob);
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();
    mails().clear();
    long base = odoo.recurrences(List.of(rid)).items().get(0).baseEventId();

    odoo.writeSeries(base, EventChanges.of().name("Retrospective"), null, SeriesScope.ALL_EVENTS);
    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("UpdateSeriesInOutlook"), dry.plan().describe());
    assertEquals(1, dry.forecast().total(), "one update mail for the series: " + dry.forecast());
    List<SyncRunner.RunResult> runs = settle();
    assertEquals("Retrospective", outlook.event(masterId).orElseThrow().subject());
    assertTrue(instances(masterId).stream().allMatch(i -> "Retrospective".equals(i.subject())));
    assertEquals(1, mails().to(bob).size(), "one update, not one per occurrence: " + mails().all() + describe(runs));

    // A time change for all events: Odoo re-creates its occurrences; Outlook's master moves; nothing doubles.
    mails().clear();
    Instant ten = at(monday.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY)), LocalTime.of(10, 0));
    odoo.writeSeries(base, EventChanges.of().times(ten, ten.plus(Duration.ofHours(1))), null, SeriesScope.ALL_EVENTS);
    runs = settle();
    long newRid = odoo.events(List.of(base)).items().get(0).recurrenceId();
    assertEquals(masterId, seriesOfOdoo(newRid).graphMasterId(), "the same series: " + describe(runs));
    assertEquals(4, instances(masterId).size());
    assertTrue(instances(masterId).stream().allMatch(i -> localTime(i.start()).equals(LocalTime.of(10, 0))));
    assertSameOccurrences(newRid, masterId);
    assertEquals(1, mails().to(bob).size(), mails().all().toString());
  }

  @Test
  void allEventsFromOutlookWriteOdooOnce() throws Exception {
    GraphEvent master = outlookSeries("Sprint", weekly(monday, 4, DayOfWeek.THURSDAY), NINE);
    settle();
    long rid = seriesOfOutlook(master.id()).odooRecurrenceId();
    List<Long> ids = odooActive(rid).stream().map(OdooSeriesEvent::id).toList();

    renameInOutlook(master, "Sprint planning");
    List<SyncRunner.RunResult> runs = settle();
    assertEquals(1, runs.get(0).counts().get("UpdateSeriesInOdoo"), describe(runs));
    assertEquals(ids, odooActive(rid).stream().map(OdooSeriesEvent::id).toList(), "the same Odoo events");
    assertTrue(odooActive(rid).stream().allMatch(e -> "Sprint planning".equals(odoo.events(List.of(e.id())).items().get(0).name())));

    // The series' time, for all events.
    assertTrue(moveInOutlook(outlook.event(master.id()).orElseThrow(), Duration.ofHours(2)).done());
    runs = settle();
    SeriesLinks.Series row = seriesOfOutlook(master.id());
    assertEquals(4, odooActive(row.odooRecurrenceId()).size(), describe(runs));
    assertTrue(odooActive(row.odooRecurrenceId()).stream().allMatch(e -> localTime(e.start()).equals(LocalTime.of(11, 0))));
    assertSameOccurrences(row.odooRecurrenceId(), master.id());
  }

  // ---------------------------------------------------------------- this and following

  @Test
  void thisAndFollowingInOdooEndsTheOutlookSeriesAndStartsAnother() throws Exception {
    long rid = odooSeries("Class", weekly(monday, 6, DayOfWeek.MONDAY), NINE, bob);
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();
    List<OdooSeriesEvent> events = odooActive(rid);
    // The second occurrence is cancelled first: Outlook's new range brings it back, and the runner cancels it again.
    odoo.archiveEvents(List.of(events.get(1).id()));
    settle();
    mails().clear();

    Instant later = events.get(3).start().plus(Duration.ofHours(1));
    odoo.writeSeries(events.get(3).id(), EventChanges.of().times(later, later.plus(Duration.ofHours(1))), null, SeriesScope.FUTURE_EVENTS);
    List<SyncRunner.RunResult> runs = settle();
    long newRid = odoo.events(List.of(events.get(3).id())).items().get(0).recurrenceId();
    String newMaster = seriesOfOdoo(newRid).graphMasterId();
    assertEquals(List.of(events.get(0).start(), events.get(2).start()), instances(masterId).stream().map(GraphEvent::start).toList(),
        describe(runs));
    assertEquals(3, instances(newMaster).size());
    assertTrue(instances(newMaster).stream().allMatch(i -> localTime(i.start()).equals(LocalTime.of(10, 0))));
    assertSameOccurrences(rid, masterId);
    assertSameOccurrences(newRid, newMaster);
    assertEquals(List.of(MailLog.Kind.INVITATION, MailLog.Kind.UPDATE, MailLog.Kind.CANCELLATION),
        mails().to(bob).stream().map(MailLog.Mail::kind).sorted().toList(),
        "an update of the old series, an invitation to the new, the cancelled occurrence again: " + mails().all());
  }

  @Test
  void thisAndFollowingInOutlookEndsTheOdooSeriesAndStartsAnother() throws Exception {
    Recurrence weekly = weekly(monday, 6, DayOfWeek.WEDNESDAY);
    GraphEvent master = outlookSeries("Course", weekly, NINE);
    settle();
    // Outlook's split: the series ends before the fourth occurrence, and a new one starts there at 11:00.
    LocalDate split = weekly.allDates().get(3);
    GraphEvent.Recurrence ended = RecurrenceMapping.write(weekly.endingOn(split.minusDays(1))).value();
    assertTrue(outlook.write(List.of(new GraphWrite.Update(master.id(),
        io.outlooksync.sidecar.graph.GraphEventDraft.timed("Course", master.start(), master.end(), BRUSSELS).withRecurrence(ended),
        Set.of(io.outlooksync.sidecar.graph.GraphEventDraft.Field.RECURRENCE), null))).get(0).done());
    GraphEvent next = outlookSeries("Course", weekly(split, 3, DayOfWeek.WEDNESDAY), LocalTime.of(11, 0));
    List<SyncRunner.RunResult> runs = settle();

    long oldRid = seriesOfOutlook(master.id()).odooRecurrenceId();
    long newRid = seriesOfOutlook(next.id()).odooRecurrenceId();
    assertEquals(3, odooActive(oldRid).size(), describe(runs));
    assertEquals(3, odooActive(newRid).size());
    assertSameOccurrences(oldRid, master.id());
    assertSameOccurrences(newRid, next.id());
    assertEquals(6, odooTitled("Course").stream().filter(OdooEvent::active).count(), "nothing doubled: " + odooTitled("Course").stream().filter(OdooEvent::active).map(x -> x.id() + "/" + x.recurrenceId()).toList() + " old " + oldRid + " new " + newRid + odooActive(oldRid) + odooActive(newRid));
  }

  // ---------------------------------------------------------------- DST, refusals, answers

  /** A weekly 09:00 series across the end of March keeps 09:00 in Brussels on both sides (its UTC hour moves). */
  @Test
  void aWeeklySeriesAcrossTheChangeToSummerTimeKeepsItsWallClockTimeOnBothSides() throws Exception {
    LocalDate lastSundayOfMarch = LocalDate.of(LocalDate.now().getYear() + 1, 3, 31).with(TemporalAdjusters.lastInMonth(DayOfWeek.SUNDAY));
    LocalDate start = lastSundayOfMarch.minusDays(13);
    long rid = odooSeries("Choir", weekly(start, 4, DayOfWeek.FRIDAY), NINE);
    GraphEvent master = outlookSeries("Band", weekly(start, 4, DayOfWeek.THURSDAY), LocalTime.of(18, 30));
    settle();
    String odooMaster = seriesOfOdoo(rid).graphMasterId();
    long outlookRid = seriesOfOutlook(master.id()).odooRecurrenceId();
    assertTrue(instances(odooMaster).stream().allMatch(i -> localTime(i.start()).equals(NINE)), instances(odooMaster).toString());
    assertTrue(odooActive(outlookRid).stream().allMatch(e -> localTime(e.start()).equals(LocalTime.of(18, 30))));
    assertEquals(2, instances(odooMaster).stream().map(i -> LocalDateTime.ofInstant(i.start(), ZoneId.of("UTC")).getHour()).distinct().count(),
        "the UTC hour moves with DST");
    assertSameOccurrences(rid, odooMaster);
    assertSameOccurrences(outlookRid, master.id());
  }

  /** All-day series cross as dates, from each side. */
  @Test
  void allDaySeriesCrossAsDatesFromEachSide() throws Exception {
    Recurrence rule = weekly(monday, 3, DayOfWeek.MONDAY);
    OdooRule odooRule = OdooRecurrenceMapper.toOdoo(rule, odoo.weekStart()).value();
    long first = odoo.createSeries(OdooEventDraft.allDay("Holiday", monday, monday).withOrganizer(aliceUid)
        .withPartners(List.of(alicePartner)), odooRule);
    long rid = odoo.events(List.of(first)).items().get(0).recurrenceId();
    GraphEvent.Recurrence wire = RecurrenceMapping.write(rule).value();
    WriteResult made = outlook.write(List.of(new GraphWrite.Create(io.outlooksync.sidecar.graph.GraphEventDraft
        .allDay("Off day", monday, monday.plusDays(1), BRUSSELS).withRecurrence(wire), "test-all-day"))).get(0);
    assertTrue(made.done(), made.toString());
    List<SyncRunner.RunResult> runs = settle();

    String master = seriesOfOdoo(rid).graphMasterId();
    List<GraphEvent> inst = instances(master);
    assertEquals(List.of(monday, monday.plusWeeks(1), monday.plusWeeks(2)), inst.stream().map(GraphEvent::startDate).toList(),
        describe(runs));
    assertTrue(inst.stream().allMatch(GraphEvent::allDay));
    long outlookRid = seriesOfOutlook(made.id()).odooRecurrenceId();
    List<OdooSeriesEvent> days = odooActive(outlookRid);
    assertEquals(List.of(monday, monday.plusWeeks(1), monday.plusWeeks(2)), days.stream().map(OdooSeriesEvent::startDate).toList());
    assertTrue(days.stream().allMatch(OdooSeriesEvent::allday));
    assertEquals(3, store.series().occurrences(seriesOfOdoo(rid).id()).size(), "linked: " + describe(runs));
    assertEquals(3, store.series().occurrences(seriesOfOutlook(made.id()).id()).size(), "linked: " + describe(runs));
  }

  /**
   * Odoo lets an occurrence move past its neighbour; Outlook refuses. Handled once: the move is kept, nothing loops;
   * the dry run already forecasts what goes out (a cancellation of the occurrence and an invitation to its own event).
   */
  @Test
  void anOccurrenceMovedPastItsNeighbourInOdooIsKeptAndNotRetried() throws Exception {
    long rid = odooSeries("Daily", daily(monday, 4), NINE, bob);
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();
    List<OdooSeriesEvent> events = odooActive(rid);
    Instant pastNext = events.get(2).start().plus(Duration.ofHours(3));
    odoo.writeSeries(events.get(1).id(), EventChanges.of().times(pastNext, pastNext.plus(Duration.ofHours(1))), null, SeriesScope.SELF_ONLY);
    mails().clear();

    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("DetachOccurrenceInOutlook"), dry.plan().describe());
    assertEquals(List.of(io.outlooksync.sidecar.core.MailForecast.Kind.CANCELLATION, io.outlooksync.sidecar.core.MailForecast.Kind.INVITATION),
        dry.forecast().mails().stream().map(io.outlooksync.sidecar.core.MailForecast.Mail::kind).toList(), dry.forecast().toString());
    List<SyncRunner.RunResult> runs = settle();
    // One batch: Outlook may send them in either order.
    assertEquals(List.of(MailLog.Kind.INVITATION, MailLog.Kind.CANCELLATION),
        mails().to(bob).stream().map(MailLog.Mail::kind).sorted().toList(), "what the forecast said: " + mails().all());
    assertEquals(3, instances(masterId).size(), describe(runs));
    List<GraphEvent> singles = outlookEvents().stream().filter(e -> e.kind() == GraphEvent.Kind.SINGLE_INSTANCE).toList();
    assertEquals(1, singles.size(), "the moved occurrence as its own event: " + describe(runs));
    assertEquals(pastNext, singles.get(0).start());
    assertEquals(4, odooActive(rid).size(), "Odoo keeps its four occurrences");
    assertEquals(1, runs.stream().filter(r -> r.plan().actions().stream().anyMatch(a -> a instanceof Action.DetachOccurrenceInOutlook)).count(),
        "detached once: " + describe(runs));
    assertTrue(runs.stream().noneMatch(r -> r.plan().actions().stream().anyMatch(a -> a instanceof Action.UpdateOutlook)),
        "the move Outlook refuses is not tried: " + describe(runs));
  }

  /**
   * Attendees belong to the series (added once, for all events); answers belong to each occurrence: bob accepts
   * one occurrence in his own mailbox, and only that Odoo occurrence records it.
   */
  @Test
  void attendeesOfTheSeriesAndAnAnswerToOneOccurrence() throws Exception {
    String carol = "carol-" + tag + "@example.com";
    long rid = odooSeries("Board", weekly(monday, 4, DayOfWeek.THURSDAY), NINE, bob);
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();

    // Outlook: carol is invited to the whole series.
    GraphEvent master = outlook.event(masterId).orElseThrow();
    CalEvent c = CoreMapping.toCore(master);
    List<Attendee> more = new ArrayList<>(c.attendees());
    more.add(new Attendee(new Person(null, carol), false, Response.NONE));
    CalEvent invited = new CalEvent(c.title(), c.when(), c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), c.organizer(), more);
    assertTrue(outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.ATTENDEES), invited).toWrite(masterId, null))).get(0).done());
    List<SyncRunner.RunResult> runs = settle();
    assertEquals(1, runs.get(0).counts().get("UpdateSeriesInOdoo"), describe(runs));
    long carolPartner = odoo.partnersByEmail(List.of(carol), false).get(carol);
    for (OdooSeriesEvent e : odooActive(rid)) {
      assertTrue(odoo.events(List.of(e.id())).items().get(0).partnerIds().contains(carolPartner), "carol on every occurrence");
    }

    // Bob accepts the third occurrence in his mailbox; the organizer's copy records it, and so does Odoo.
    io.outlooksync.fixtures.m365.TestLogin.Tokens bobTokens = io.outlooksync.fixtures.m365.TestLogin.signIn(m365.emulator(), bob);
    io.outlooksync.sidecar.graph.GraphGateway bobOutlook = io.outlooksync.sidecar.graph.GraphClients.builder()
        .baseUrl(m365.emulator().graphBaseUrl()).tls(m365.emulator().sslSocketFactory(), m365.emulator().trustManager()).build()
        .gateway(bob, force -> bobTokens.accessToken());
    String bobMaster = bobOutlook.firstPage(Instant.now(), Instant.now().plus(200, ChronoUnit.DAYS), 100).items().stream()
        .filter(i -> i instanceof io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub)
        .map(i -> ((io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub) i).seriesMasterId()).findFirst().orElseThrow();
    List<GraphEvent> bobInstances = new ArrayList<>(bobOutlook.instances(bobMaster, Instant.now(), Instant.now().plus(200, ChronoUnit.DAYS)));
    bobInstances.sort(Comparator.comparing(GraphEvent::originalStart));
    assertTrue(bobOutlook.write(List.of(new GraphWrite.Answer(bobInstances.get(2).id(), GraphWrite.Response.ACCEPT, true, null)))
        .get(0).done());
    runs = settle();
    List<OdooSeriesEvent> events = odooActive(rid);
    long bobPartner = odoo.user(bobUid).partnerId();
    for (int i = 0; i < events.size(); i++) {
      io.outlooksync.sidecar.odoo.AttendeeState state = odoo.attendees(List.of(events.get(i).id())).stream()
          .filter(a -> a.partnerId() == bobPartner).findFirst().orElseThrow().state();
      assertEquals(i == 2 ? io.outlooksync.sidecar.odoo.AttendeeState.ACCEPTED : io.outlooksync.sidecar.odoo.AttendeeState.NEEDS_ACTION,
          state, "occurrence " + i + "\n" + describe(runs));
    }
  }

  @Test
  void aSeriesDeletedOnOneSideGoesOnTheOtherWithOneCancellationPerAttendee() throws Exception {
    long rid = odooSeries("Old habit", daily(monday, 5), NINE, bob);
    GraphEvent outlookMade = outlookSeries("Other habit", daily(monday, 3), LocalTime.of(15, 0));
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();
    long outlookRid = seriesOfOutlook(outlookMade.id()).odooRecurrenceId();
    mails().clear();

    odoo.archiveEvents(odooActive(rid).stream().map(OdooSeriesEvent::id).toList());
    deleteInOutlook(outlookMade.id());
    List<SyncRunner.RunResult> runs = settle();
    assertTrue(outlook.event(masterId).isEmpty(), describe(runs));
    assertTrue(odooActive(outlookRid).isEmpty(), "archived in Odoo");
    assertEquals(1, mails().to(bob).size(), "one cancellation for the series: " + mails().all());
    assertEquals(MailLog.Kind.CANCELLATION, mails().to(bob).get(0).kind());
    assertTrue(store.series().byOdooRecurrence(account, rid).isEmpty(), "forgotten");
  }

  // ---------------------------------------------------------------- rounds

  /** Three rounds of edits from alternating sides: nothing doubles, no occurrence is lost. */
  @Test
  void threeRoundsOfEditsFromAlternatingSidesLoseAndDoubleNothing() throws Exception {
    long rid = odooSeries("Team", weekly(monday, 8, DayOfWeek.TUESDAY), NINE, bob);
    settle();
    String masterId = seriesOfOdoo(rid).graphMasterId();

    // Round 1, Odoo: one occurrence renamed, one cancelled.
    List<OdooSeriesEvent> e = odooActive(rid);
    odoo.writeSeries(e.get(1).id(), EventChanges.of().name("Team (offsite)"), null, SeriesScope.SELF_ONLY);
    odoo.archiveEvents(List.of(e.get(2).id()));
    settle();
    // Round 2, Outlook: one occurrence moved within its day, the series renamed.
    List<GraphEvent> inst = instances(masterId);
    assertTrue(moveInOutlook(inst.get(3), Duration.ofHours(4)).done());
    renameInOutlook(outlook.event(masterId).orElseThrow(), "Team weekly");
    settle();
    // Round 3, Odoo: the last occurrence cancelled, another renamed.
    e = odooActive(rid);
    odoo.archiveEvents(List.of(e.get(e.size() - 1).id()));
    odoo.writeSeries(e.get(0).id(), EventChanges.of().name("Team (kick-off)"), null, SeriesScope.SELF_ONLY);
    List<SyncRunner.RunResult> runs = settle();

    List<OdooSeriesEvent> finalOdoo = odooActive(rid);
    List<GraphEvent> finalOutlook = instances(masterId);
    assertEquals(6, finalOdoo.size(), describe(runs));
    assertEquals(6, finalOutlook.size());
    assertSameOccurrences(rid, masterId);
    List<String> odooNames = finalOdoo.stream().map(x -> odoo.events(List.of(x.id())).items().get(0).name()).toList();
    List<String> outlookNames = finalOutlook.stream().map(GraphEvent::subject).toList();
    assertEquals(odooNames, outlookNames);
    assertEquals("Team (kick-off)", outlookNames.get(0));
    assertEquals("Team (offsite)", outlookNames.get(1));
    assertEquals(0, outlookEvents().stream().filter(x -> x.kind() == GraphEvent.Kind.SINGLE_INSTANCE).count(), "no single copies");
  }

  // ---------------------------------------------------------------- series the user was invited to

  /** A series {@code organizer} makes in their own mailbox, inviting {@code attendees} ("?address": optional). */
  GraphEvent seriesOf(GraphGateway organizer, String title, Recurrence rule, LocalTime time, String... attendees) {
    List<Attendee> invited = Stream.of(attendees)
        .map(a -> new Attendee(new Person(null, a.replaceFirst("^\\?", "")), a.startsWith("?"), Response.NONE)).toList();
    Instant start = at(rule.startDate(), time);
    CalEvent c = new CalEvent(title, When.timed(start, start.plus(Duration.ofHours(1)), BRUSSELS), null, null, null, null, null,
        null, null, invited);
    WriteResult r = organizer.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null)
        .withRecurrence(RecurrenceMapping.write(rule).value()), "invite-" + title + "-" + rule.startDate()))).get(0);
    assertTrue(r.done(), r.toString());
    return organizer.event(r.id()).orElseThrow();
  }

  /** The master of the series {@code iCalUId} in a mailbox (an attendee's copy has ids of its own). */
  static String masterIn(GraphGateway mailbox, String iCalUId) {
    return mailbox.firstPage(Instant.now().minus(30, ChronoUnit.DAYS), Instant.now().plus(300, ChronoUnit.DAYS), 500).items().stream()
        .filter(i -> i instanceof io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub)
        .map(i -> ((io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub) i).seriesMasterId()).distinct()
        .filter(id -> mailbox.event(id).map(m -> iCalUId.equals(m.iCalUId())).orElse(false)).findFirst()
        .orElseThrow(() -> new AssertionError("no copy of the series"));
  }

  List<GraphEvent> instancesIn(GraphGateway mailbox, String masterId) {
    List<GraphEvent> out = new ArrayList<>(mailbox.instances(masterId, Instant.now().minus(30, ChronoUnit.DAYS),
        Instant.now().plus(700, ChronoUnit.DAYS)));
    out.sort(Comparator.comparing(GraphEvent::originalStart));
    return out;
  }

  io.outlooksync.sidecar.odoo.AttendeeState answerOf(long eventId, long partnerId) {
    return odoo.attendees(List.of(eventId)).stream().filter(a -> a.partnerId() == partnerId).findFirst().orElseThrow().state();
  }

  /** Mails the sidecar caused: those sent from alice's or bob's mailbox (the organizer's own mails are not ours). */
  List<MailLog.Mail> mailsFromUs() {
    return mails().all().stream().filter(m -> alice.equalsIgnoreCase(m.from()) || bob.equalsIgnoreCase(m.from())).toList();
  }

  /**
   * A series an outside organizer invites alice to is one Odoo series she attends, its organizer a partner of it;
   * the organizer's changes (one occurrence, a cancelled one, all events, the whole series cancelled) follow; her
   * answers go both ways, one occurrence at a time; her Odoo edits of the series are not sent, and nothing she did not
   * answer herself mails anyone.
   */
  @Test
  void aSeriesTheUserWasInvitedToIsOneOdooSeriesAndTheOrganizersChangesFollow() throws Exception {
    String dave = "dave-" + tag + "@partner.example";
    m365.emulator().addMailbox(dave, "Dave");
    GraphGateway daves = mailbox(dave);
    // Erin is optional, which Odoo cannot hold: not an Odoo edit of the series.
    GraphEvent daveMaster = seriesOf(daves, "Partner sync", weekly(monday, 5, DayOfWeek.TUESDAY), NINE, alice,
        "?erin-" + tag + "@partner.example");
    String masterId = masterIn(outlook, daveMaster.iCalUId());

    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("CreateSeriesInOdoo"), dry.plan().describe());
    assertEquals(0, dry.forecast().total(), dry.forecast().toString());
    List<SyncRunner.RunResult> runs = settle();
    long rid = seriesOfOutlook(masterId).odooRecurrenceId();
    assertEquals(5, odooActive(rid).size(), describe(runs));
    assertSameOccurrences(rid, masterId);
    long davePartner = odoo.partnersByEmail(List.of(dave), false).get(dave);
    for (OdooSeriesEvent e : odooActive(rid)) {
      OdooEvent ev = odoo.events(List.of(e.id())).items().get(0);
      assertTrue(ev.partnerIds().containsAll(List.of(alicePartner, davePartner)), "alice attends, dave's partner named: " + ev.partnerIds());
    }
    assertEquals(List.of(), mailsFromUs(), "nobody mailed");

    // Dave renames one occurrence, cancels another, and renames the series.
    List<GraphEvent> his = instancesIn(daves, daveMaster.id());
    renameIn(daves, his.get(1), "Partner sync (demo)");
    assertTrue(daves.write(List.of(new GraphWrite.Delete(his.get(3).id()))).get(0).done());
    renameIn(daves, daves.event(daveMaster.id()).orElseThrow(), "Partner weekly");
    runs = settle();
    List<OdooSeriesEvent> events = odooActive(rid);
    assertEquals(4, events.size(), describe(runs));
    List<String> names = events.stream().map(e -> odoo.events(List.of(e.id())).items().get(0).name()).toList();
    assertEquals(List.of("Partner weekly", "Partner sync (demo)", "Partner weekly", "Partner weekly"), names, describe(runs));
    assertSameOccurrences(rid, masterId);

    // Alice accepts the first occurrence in Outlook; Odoo records it for that occurrence only.
    List<GraphEvent> hers = instancesIn(outlook, masterId);
    assertTrue(outlook.write(List.of(new GraphWrite.Answer(hers.get(0).id(), GraphWrite.Response.ACCEPT, false, null))).get(0).done());
    runs = settle();
    events = odooActive(rid);
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i == 0 ? io.outlooksync.sidecar.odoo.AttendeeState.ACCEPTED : io.outlooksync.sidecar.odoo.AttendeeState.NEEDS_ACTION,
          answerOf(events.get(i).id(), alicePartner), "occurrence " + i + "\n" + describe(runs));
    }

    // Alice answers tentatively in Odoo for the third occurrence: Outlook answers the organizer, once.
    long third = odoo.attendees(List.of(events.get(2).id())).stream().filter(a -> a.partnerId() == alicePartner).findFirst()
        .orElseThrow().id();
    mails().clear();
    odoo.setAttendeeStates(Map.of(third, io.outlooksync.sidecar.odoo.AttendeeState.TENTATIVE));
    dry = runner.run(account, "test", true);
    assertEquals(1, dry.forecast().count(io.outlooksync.sidecar.core.MailForecast.Kind.RESPONSE), dry.plan().describe());
    runs = settle();
    hers = instancesIn(outlook, masterId);
    assertEquals("tentativelyAccepted", hers.get(2).responseStatus(), describe(runs));
    assertEquals(List.of(MailLog.Kind.RESPONSE), mailsFromUs().stream().map(MailLog.Mail::kind).toList(), "the answer, and nothing else: " + mailsFromUs() + describe(runs));
    assertEquals(dave, mailsFromUs().get(0).to());

    // Alice accepts all events in Odoo (every occurrence's attendee row, as Odoo's "all events" answer does): one
    // answer to the series in Outlook, one reply to dave.
    mails().clear();
    Map<Long, io.outlooksync.sidecar.odoo.AttendeeState> all = new java.util.HashMap<>();
    odoo.attendees(odooActive(rid).stream().map(OdooSeriesEvent::id).toList()).stream().filter(a -> a.partnerId() == alicePartner)
        .forEach(a -> all.put(a.id(), io.outlooksync.sidecar.odoo.AttendeeState.ACCEPTED));
    odoo.setAttendeeStates(all);
    dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("AnswerSeriesInOutlook"), dry.plan().describe());
    assertEquals(1, dry.forecast().total(), dry.forecast().toString());
    runs = settle();
    assertTrue(instancesIn(outlook, masterId).stream().allMatch(i -> "accepted".equals(i.responseStatus())), describe(runs));
    assertEquals(1, mailsFromUs().size(), "one reply for the series: " + mailsFromUs());
    assertTrue(odooActive(rid).stream().allMatch(e -> answerOf(e.id(), alicePartner) == io.outlooksync.sidecar.odoo.AttendeeState.ACCEPTED));

    // Alice renames the series in Odoo: not sent to dave; Odoo takes the organizer's title back.
    mails().clear();
    long base = odoo.recurrences(List.of(rid)).items().get(0).baseEventId();
    odoo.writeSeries(base, EventChanges.of().name("Alice's name for it"), null, SeriesScope.ALL_EVENTS);
    runs = settle();
    assertEquals("Partner weekly", daves.event(daveMaster.id()).orElseThrow().subject());
    assertTrue(odooActive(rid).stream().noneMatch(e -> "Alice's name for it".equals(odoo.events(List.of(e.id())).items().get(0).name())),
        describe(runs));
    assertEquals(List.of(), mailsFromUs(), "nothing sent for an edit that is not hers to make");

    // Dave cancels the series: Odoo archives it.
    assertTrue(daves.write(List.of(new GraphWrite.Delete(daveMaster.id()))).get(0).done());
    runs = settle();
    assertTrue(odooActive(rid).isEmpty(), describe(runs));
    assertEquals(List.of(), mailsFromUs());
  }

  /** The organizer ends the series and starts another ("this and following"): Odoo's series ends, a new one begins. */
  @Test
  void thisAndFollowingByTheOrganizerOfASeriesTheUserWasInvitedTo() throws Exception {
    String dave = "dave-" + tag + "@partner.example";
    m365.emulator().addMailbox(dave, "Dave");
    GraphGateway daves = mailbox(dave);
    Recurrence weekly = weekly(monday, 6, DayOfWeek.WEDNESDAY);
    GraphEvent daveMaster = seriesOf(daves, "Course", weekly, NINE, alice);
    settle();
    String masterId = masterIn(outlook, daveMaster.iCalUId());

    LocalDate split = weekly.allDates().get(3);
    assertTrue(daves.write(List.of(new GraphWrite.Update(daveMaster.id(),
        io.outlooksync.sidecar.graph.GraphEventDraft.timed("Course", daveMaster.start(), daveMaster.end(), BRUSSELS)
            .withRecurrence(RecurrenceMapping.write(weekly.endingOn(split.minusDays(1))).value()),
        Set.of(io.outlooksync.sidecar.graph.GraphEventDraft.Field.RECURRENCE), null))).get(0).done());
    GraphEvent next = seriesOf(daves, "Course", weekly(split, 3, DayOfWeek.WEDNESDAY), LocalTime.of(11, 0), alice);
    List<SyncRunner.RunResult> runs = settle();

    long oldRid = seriesOfOutlook(masterId).odooRecurrenceId();
    String nextMaster = masterIn(outlook, next.iCalUId());
    long newRid = seriesOfOutlook(nextMaster).odooRecurrenceId();
    assertEquals(3, odooActive(oldRid).size(), describe(runs));
    assertEquals(3, odooActive(newRid).size());
    assertSameOccurrences(oldRid, masterId);
    assertSameOccurrences(newRid, nextMaster);
    assertTrue(odooActive(newRid).stream().allMatch(e -> localTime(e.start()).equals(LocalTime.of(11, 0))));
    assertEquals(List.of(), mailsFromUs());
  }

  /**
   * Two connected users invited to one outside series share one Odoo series (by iCalUId, as single meetings do), and
   * a series alice organizes in Odoo stays one Odoo series when bob, who attends it, connects.
   */
  @Test
  void connectedUsersShareOneOdooSeriesPerMeetingSeries() throws Exception {
    String dave = "dave-" + tag + "@partner.example";
    m365.emulator().addMailbox(dave, "Dave");
    GraphGateway daves = mailbox(dave);
    GraphEvent daveMaster = seriesOf(daves, "Steering", weekly(monday, 4, DayOfWeek.THURSDAY), LocalTime.of(15, 0), alice, bob);
    long board = odooSeries("Board", weekly(monday, 3, DayOfWeek.FRIDAY), NINE, bob);
    settle();
    mails().clear();

    Connected bobs = connect(bobUid, "bob-" + tag, bob);
    SyncRunner.RunResult first = bobs.sync();
    assertEquals(2, first.counts().get("AdoptSeries"), first.plan().describe());
    assertEquals(null, first.counts().get("CreateSeriesInOdoo"), first.plan().describe());
    assertEquals(0, first.forecast().total());
    for (int i = 0; i < 3; i++) {
      SyncRunner.RunResult r = bobs.sync();
      if (r.changes() == 0) {
        break;
      }
    }
    assertEquals(0, bobs.sync().changes(), "bob settled");
    assertEquals(0, sync().changes(), "alice settled");
    long steering = seriesOfOutlook(masterIn(outlook, daveMaster.iCalUId())).odooRecurrenceId();
    assertEquals(steering, store.series().byGraphMaster(bobs.account(), masterIn(bobs.outlook(), daveMaster.iCalUId())).orElseThrow()
        .odooRecurrenceId(), "one Odoo series for both");
    assertEquals(1, odooTitled("Steering").stream().map(OdooEvent::recurrenceId).distinct().count());
    assertEquals(4, odooTitled("Steering").stream().filter(OdooEvent::active).count());
    assertEquals(board, store.series().byOdooRecurrence(bobs.account(), board).orElseThrow().odooRecurrenceId());
    assertEquals(3, odooTitled("Board").stream().filter(OdooEvent::active).count(), "nothing doubled");
    assertEquals(4, store.series().occurrences(store.series().byOdooRecurrence(bobs.account(), steering).orElseThrow().id()).size());

    // Bob accepts one occurrence of each in his Outlook: his Odoo answer follows, alice's stays.
    String bobsSteering = masterIn(bobs.outlook(), daveMaster.iCalUId());
    GraphEvent one = instancesIn(bobs.outlook(), bobsSteering).get(1);
    assertTrue(bobs.outlook().write(List.of(new GraphWrite.Answer(one.id(), GraphWrite.Response.ACCEPT, false, null))).get(0).done());
    bobs.sync();
    assertEquals(0, bobs.sync().changes());
    long bobPartner = odoo.user(bobUid).partnerId();
    List<OdooSeriesEvent> events = odooActive(steering);
    assertEquals(io.outlooksync.sidecar.odoo.AttendeeState.ACCEPTED, answerOf(events.get(1).id(), bobPartner));
    assertEquals(io.outlooksync.sidecar.odoo.AttendeeState.NEEDS_ACTION, answerOf(events.get(1).id(), alicePartner));
    // Alice's copy has not heard bob's answer: her run takes Odoo's newer one into its record, writes and mails nothing.
    List<SyncRunner.RunResult> aliceRuns = settle();
    assertTrue(aliceRuns.stream().noneMatch(r -> r.counts().containsKey("UpdateOdoo") || r.forecast().total() > 0), describe(aliceRuns));
    assertEquals(io.outlooksync.sidecar.odoo.AttendeeState.ACCEPTED, answerOf(events.get(1).id(), bobPartner), "bob's answer stays");
    assertEquals(List.of(), mailsFromUs());
  }

  void renameIn(GraphGateway mailbox, GraphEvent event, String title) {
    CalEvent renamed = SeriesPlanner.at(CoreMapping.toCore(event), CoreMapping.toCore(event).when());
    renamed = renamed.with(Field.TITLE, new CalEvent(title, renamed.when(), null, null, null, null, null, null, null, null));
    assertTrue(mailbox.write(List.of(CoreMapping.toUpdate(Set.of(Field.TITLE), renamed).toWrite(event.id(), null))).get(0).done());
  }

  // ---------------------------------------------------------------- past Odoo's 720 events

  static Recurrence dailyForever(LocalDate start) {
    return rule(Recurrence.Pattern.DAILY, 1, Set.of(), 0, null, 0, start, Recurrence.End.NO_END, null, 0);
  }

  /** The active Odoo events of every part of a series, by start. */
  List<OdooSeriesEvent> odooActiveInAllParts(SeriesLinks.Series row) throws Exception {
    List<Long> rids = new ArrayList<>(List.of(row.odooRecurrenceId()));
    rids.addAll(store.series().parts(row.id()));
    return odoo.seriesEvents(rids).stream().filter(OdooSeriesEvent::active).sorted(SeriesSync.byStart()).toList();
  }

  /** Each day of the window at {@code now} once on each side, at 09:00 in Brussels (a margin off each end). */
  void assertEveryDayOnceOnBothSides(SeriesLinks.Series row, Instant now, String log) throws Exception {
    assertEveryDayOnceOnBothSides(row, now, NINE, log);
  }

  void assertEveryDayOnceOnBothSides(SeriesLinks.Series row, Instant now, LocalTime time, String log) throws Exception {
    Instant from = now.minus(360, ChronoUnit.DAYS);
    Instant to = now.plus(725, ChronoUnit.DAYS);
    List<Instant> expected = dailyForever(LocalDate.ofInstant(from, BRUSSELS)).dates(LocalDate.ofInstant(from, BRUSSELS),
        LocalDate.ofInstant(to, BRUSSELS)).stream().map(d -> at(d, time)).filter(i -> !i.isBefore(from) && i.isBefore(to)).toList();
    List<Instant> odooStarts = odooActiveInAllParts(row).stream().map(OdooSeriesEvent::start)
        .filter(i -> !i.isBefore(from) && i.isBefore(to)).toList();
    List<Instant> outlookStarts = outlook.instances(row.graphMasterId(), from, to).stream().map(GraphEvent::start)
        .filter(i -> !i.isBefore(from) && i.isBefore(to)).sorted().toList();
    assertEquals(expected.size(), odooStarts.size(), "Odoo holds each day once: " + log);
    assertEquals(expected, odooStarts, "Odoo holds each day once");
    assertEquals(expected, outlookStarts, "Outlook holds each day once");
  }

  static long count(List<SyncRunner.RunResult> runs, Class<? extends Action> kind) {
    return runs.stream().flatMap(r -> r.plan().actions().stream()).filter(kind::isInstance).count();
  }

  /**
   * A daily series without end made in Odoo 400 days ago: Odoo holds 720 events, up to ~320 days ahead; the window
   * reaches 730 ahead, so the series goes on in a second Odoo recurrence, and every day of the window is on both
   * sides once. An occurrence after the 720th edited on either side reaches the other; an "all events" rename in
   * Outlook reaches every part.
   */
  @Test
  void aDailySeriesWithoutEndFromOdooGoesOnPastOdoos720EventsAcrossTheWindow() throws Exception {
    LocalDate start = LocalDate.now(BRUSSELS).minusDays(400);
    long rid = odooSeries("Forever Odoo", dailyForever(start), NINE);
    List<SyncRunner.RunResult> runs = settle();
    String firstLog = describe(runs);
    SeriesLinks.Series row = store.series().byOdooRecurrence(account, rid).orElseThrow(() -> new AssertionError(firstLog));
    assertEquals(1, store.series().parts(row.id()).size(), "one more part: " + describe(runs));
    assertEquals(1, count(runs, Action.ContinueSeriesInOdoo.class));
    assertEquals(0, count(runs, Action.CreateSeriesInOutlook.class) - 1, "one Outlook series");
    assertEveryDayOnceOnBothSides(row, Instant.now(), describe(runs));
    String journal = store.syncRuns().get(runs.stream().filter(r -> r.counts().containsKey("ContinueSeriesInOdoo")).findFirst()
        .orElseThrow().runId()).orElseThrow().plan();
    assertTrue(journal.contains("ContinueSeriesInOdoo"), journal);

    // One occurrence after the 720th edited on each side.
    LocalDate outlookDay = LocalDate.now(BRUSSELS).plusDays(500);
    LocalDate odooDay = LocalDate.now(BRUSSELS).plusDays(600);
    GraphEvent late = outlook.instances(row.graphMasterId(), at(outlookDay, LocalTime.MIDNIGHT), at(outlookDay.plusDays(1), LocalTime.MIDNIGHT))
        .get(0);
    renameInOutlook(late, "Forever (moved room)");
    OdooSeriesEvent lateOdoo = odooActiveInAllParts(row).stream().filter(e -> e.start().equals(at(odooDay, NINE))).findFirst().orElseThrow();
    assertTrue(store.series().parts(row.id()).contains(lateOdoo.recurrenceId()), "in the second part");
    odoo.writeSeries(lateOdoo.id(), EventChanges.of().name("Forever (guest)"), null, SeriesScope.SELF_ONLY);
    runs = settle();
    OdooSeriesEvent editedInOutlook = odooActiveInAllParts(row).stream().filter(e -> e.start().equals(at(outlookDay, NINE))).findFirst()
        .orElseThrow();
    assertEquals("Forever (moved room)", odoo.events(List.of(editedInOutlook.id())).items().get(0).name(), describe(runs));
    assertEquals("Forever (guest)", outlook.instances(row.graphMasterId(), at(odooDay, LocalTime.MIDNIGHT),
        at(odooDay.plusDays(1), LocalTime.MIDNIGHT)).get(0).subject());

    // "All events" in Outlook: every part's events take the new title, the two edited occurrences keep theirs.
    renameInOutlook(outlook.event(row.graphMasterId()).orElseThrow(), "Forever renamed");
    runs = settle();
    assertEquals(1, count(runs, Action.UpdateSeriesInOdoo.class), describe(runs));
    List<Long> ids = odooActiveInAllParts(seriesOfOdoo(rid)).stream().map(OdooSeriesEvent::id).toList();
    Map<String, Long> titles = odoo.events(ids).items().stream().collect(java.util.stream.Collectors.groupingBy(OdooEvent::name,
        java.util.stream.Collectors.counting()));
    assertEquals(Map.of("Forever renamed", (long) ids.size() - 2, "Forever (moved room)", 1L, "Forever (guest)", 1L), titles);
    assertEveryDayOnceOnBothSides(seriesOfOdoo(rid), Instant.now(), describe(runs));
  }

  /**
   * The same from Outlook, and the window moving on: when its end passes the second part's last event, a third part
   * is made, and the moved window is whole on both sides.
   */
  @Test
  void aDailySeriesWithoutEndFromOutlookGoesOnAndMakesAPartWhenTheWindowMovesOn() throws Exception {
    LocalDate start = LocalDate.now(BRUSSELS).minusDays(400);
    GraphEvent master = outlookSeries("Forever Outlook", dailyForever(start), NINE, Duration.ofHours(1));
    List<SyncRunner.RunResult> runs = settle();
    SeriesLinks.Series row = seriesOfOutlook(master.id());
    assertEquals(1, store.series().parts(row.id()).size(), "one more part: " + describe(runs));
    assertEquals(1, odooTitled("Forever Outlook").stream().map(OdooEvent::recurrenceId).filter(java.util.Objects::nonNull).distinct()
        .filter(r -> r == row.odooRecurrenceId()).count(), "one first part");
    assertEveryDayOnceOnBothSides(row, Instant.now(), describe(runs));

    // 330 days later the window's end passes the second part's last event (about 1040 days after today).
    java.time.Clock later = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(330));
    runner = new SyncRunner(store, odoo, a -> outlook, later);
    runs = settle();
    assertEquals(2, store.series().parts(row.id()).size(), "a third part: " + describe(runs));
    assertEquals(1, count(runs, Action.ContinueSeriesInOdoo.class));
    assertEquals(0, count(runs, Action.CreateSeriesInOutlook.class) + count(runs, Action.CreateSeriesInOdoo.class), describe(runs));
    assertEveryDayOnceOnBothSides(seriesOfOutlook(master.id()), later.instant(), describe(runs));
  }

  /**
   * The series' time changed in Outlook ("all events"): the first Odoo part takes it (as Odoo's 720 events), the
   * later part's events are archived, and the series goes on again from the first part, every day once at the new time.
   */
  @Test
  void aTimeChangeFromOutlookReachesASeriesContinuedPastOdoos720Events() throws Exception {
    GraphEvent master = outlookSeries("Forever moved", dailyForever(LocalDate.now(BRUSSELS).minusDays(400)), NINE, Duration.ofHours(1));
    settle();
    SeriesLinks.Series row = seriesOfOutlook(master.id());
    List<Long> before = store.series().parts(row.id());
    assertEquals(1, before.size());

    assertTrue(moveInOutlook(outlook.event(master.id()).orElseThrow(), Duration.ofHours(2)).done());
    List<SyncRunner.RunResult> runs = settle();
    assertEquals(1, count(runs, Action.UpdateSeriesInOdoo.class), describe(runs));
    assertEquals(1, count(runs, Action.ContinueSeriesInOdoo.class), describe(runs));
    List<Long> after = store.series().parts(row.id());
    assertEquals(1, after.size(), describe(runs));
    assertTrue(odooActive(before.get(0)).isEmpty(), "the old part's events are archived");
    assertEveryDayOnceOnBothSides(seriesOfOutlook(master.id()), Instant.now(), LocalTime.of(11, 0), describe(runs));
  }
}
