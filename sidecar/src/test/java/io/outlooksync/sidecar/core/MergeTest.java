package io.outlooksync.sidecar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MergeTest {
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  static final Instant EARLY = Instant.parse("2026-11-24T08:00:00Z");
  static final Instant LATE = Instant.parse("2026-11-24T09:00:00Z");

  static CalEvent event(String title, Instant start, String description, String... attendees) {
    List<Attendee> list = new java.util.ArrayList<>();
    for (String a : attendees) {
      list.add(new Attendee(new Person(a, a), false, Response.NONE));
    }
    return new CalEvent(title, When.timed(start, start.plusSeconds(3600), BRUSSELS), description, null, null, null, null,
        List.of(15), new Person("Alice", "alice@example.com"), list);
  }

  @Test
  void changesOnDifferentFieldsBothSurvive() {
    CalEvent base = event("Review", T0, "<p>agenda</p>");
    CalEvent odoo = event("Review Q4", T0, "<p>agenda</p>");
    CalEvent outlook = event("Review", T0.plusSeconds(1800), "<p>agenda</p>");
    Merge.Result r = Merge.threeWay(base, odoo, outlook, EARLY, LATE, null);
    assertEquals("Review Q4", r.merged().title());
    assertEquals(T0.plusSeconds(1800), r.merged().when().start());
    assertEquals(Set.of(Field.WHEN), r.toOdoo());
    assertEquals(Set.of(Field.TITLE), r.toOutlook());
    assertTrue(r.conflicts().isEmpty());
  }

  @Test
  void aRealConflictGoesToTheLaterSideAndIsReported() {
    CalEvent base = event("Review", T0, null);
    Merge.Result r = Merge.threeWay(base, event("Odoo title", T0, null), event("Outlook title", T0, null), LATE, EARLY, null);
    assertEquals("Odoo title", r.merged().title());
    assertEquals(Set.of(Field.TITLE), r.toOutlook());
    assertEquals(1, r.conflicts().size());
    assertEquals(Side.ODOO, r.conflicts().get(0).winner());
  }

  @Test
  void cosmeticDifferencesAreNotEdits() {
    CalEvent base = event("Review", T0, "<p>Agenda:  budget</p>", "Bob@Example.com");
    CalEvent outlook = event("Review ", T0, "<html><body><div>Agenda: budget</div></body></html>", "bob@example.com");
    CalEvent odoo = new CalEvent("Review", When.timed(T0, T0.plusSeconds(3600), ZoneId.of("Europe/Paris")), "<p>Agenda: budget</p>",
        null, null, null, null, List.of(15), base.organizer(), base.attendees());
    assertTrue(Merge.threeWay(base, odoo, outlook, EARLY, LATE, null).isNoop());
  }

  @Test
  void anAttendeesCopyInOutlookWinsOverOdooEdits() {
    CalEvent base = event("Review", T0, null);
    Merge.Result r = Merge.threeWay(base, event("Edited in Odoo", T0, null), base, LATE, EARLY, Side.OUTLOOK);
    assertEquals("Review", r.merged().title());
    assertEquals(Set.of(Field.TITLE), r.toOdoo(), "the organizer's title is put back");
    assertTrue(r.toOutlook().isEmpty(), "nothing is pushed to a copy the user does not own");
  }

  /** Answers are not the organizer's content: an attendee's newer answer in Odoo is not put back from a stale copy. */
  @Test
  void anAttendeesCopyDoesNotPutOthersAnswersBackInOdoo() {
    CalEvent base = event("Review", T0, null, "bob@example.com");
    CalEvent odoo = new CalEvent("Review", base.when(), null, null, null, null, null, List.of(15), base.organizer(),
        List.of(new Attendee(new Person("bob@example.com", "bob@example.com"), false, Response.ACCEPTED)));
    Merge.Result r = Merge.threeWay(base, odoo, base, LATE, EARLY, Side.OUTLOOK);
    assertTrue(r.toOdoo().isEmpty(), "bob's answer stays in Odoo: " + r.toOdoo());
    assertEquals(Set.of(Field.RESPONSES), r.toOutlook(), "recorded as Outlook's (nothing is written: Graph cannot take it)");
    assertEquals(Response.ACCEPTED, r.merged().responseOf("bob@example.com"));
  }

  @Test
  void sameChangeOnBothSidesIsNoConflict() {
    CalEvent base = event("Review", T0, null);
    Merge.Result r = Merge.threeWay(base, event("Same", T0, null), event("Same", T0, null), EARLY, LATE, null);
    assertTrue(r.isNoop());
    assertTrue(r.conflicts().isEmpty());
  }

  static CalEvent withReminders(CalEvent e, Integer... minutes) {
    return new CalEvent(e.title(), e.when(), e.descriptionHtml(), e.location(), e.videoUrl(), e.privacy(), e.showAs(), List.of(minutes),
        e.organizer(), e.attendees());
  }

  @Test
  void outlooksReminderReplacesOdoosClosestAndKeepsTheOthers() {
    CalEvent base = withReminders(event("Review", T0, null), 15, 1440);
    CalEvent odoo = base;
    CalEvent outlook = withReminders(event("Review", T0, null), 30);
    Merge.Result r = Merge.threeWay(base, odoo, outlook, EARLY, LATE, null);
    assertEquals(Set.of(Field.REMINDERS), r.toOdoo());
    assertEquals(List.of(30, 1440), r.merged().reminderMinutes(), "the day-before e-mail stays");

    Merge.Result off = Merge.threeWay(base, odoo, withReminders(event("Review", T0, null)), EARLY, LATE, null);
    assertEquals(List.of(1440), off.merged().reminderMinutes(), "turning Outlook's reminder off removes only the closest");
  }

  @Test
  void aConflictRecordsTheValueItDidNotKeep() {
    CalEvent base = event("Review", T0, "<p>agenda</p>");
    Merge.Result r = Merge.threeWay(base, event("Review (Odoo)", T0, "<p>agenda</p>"), event("Review (Outlook)", T0, "<p>x</p>"),
        EARLY, LATE, null);
    assertEquals(1, r.conflicts().size());
    assertEquals(Side.OUTLOOK, r.conflicts().get(0).winner());
    assertTrue(r.conflicts().get(0).reason().endsWith("ODOO's value, not kept: Review (Odoo)"), r.conflicts().get(0).reason());
    Merge.Result bodies = Merge.threeWay(base, event("Review", T0, "<p>secret plan</p>"), event("Review", T0, "<p>other</p>"),
        EARLY, LATE, null);
    assertTrue(bodies.conflicts().get(0).reason().endsWith("a description of 18 characters"), "no event body in the journal");
  }
}
