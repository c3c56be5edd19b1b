package io.outlooksync.sidecar.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as the same value: differences a round trip through Outlook cannot keep are not edits. */
class FieldTest {
  static final When WHEN = When.timed(Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"), ZoneId.of("UTC"));

  static CalEvent with(Privacy privacy, ShowAs showAs, List<Integer> reminders, List<Attendee> attendees) {
    return new CalEvent("x", WHEN, null, null, null, privacy, showAs, reminders, null, attendees);
  }

  @Test
  void outlookKeepsOneReminderSoOnlyTheClosestIsCompared() {
    assertTrue(Field.REMINDERS.same(with(null, null, List.of(60, 15), List.of()), with(null, null, List.of(15), List.of())));
    assertFalse(Field.REMINDERS.same(with(null, null, List.of(15), List.of()), with(null, null, List.of(30), List.of())));
    assertFalse(Field.REMINDERS.same(with(null, null, List.of(15), List.of()), with(null, null, List.of(), List.of())));
  }

  @Test
  void publicAndDefaultPrivacyAreOneForOutlook() {
    assertTrue(Field.PRIVACY.same(with(Privacy.PUBLIC, null, null, null), with(Privacy.DEFAULT, null, null, null)));
    assertFalse(Field.PRIVACY.same(with(Privacy.PRIVATE, null, null, null), with(Privacy.DEFAULT, null, null, null)));
  }

  @Test
  void odooKnowsOnlyFreeAndBusy() {
    assertTrue(Field.SHOW_AS.same(with(null, ShowAs.TENTATIVE, null, null), with(null, ShowAs.BUSY, null, null)));
    assertFalse(Field.SHOW_AS.same(with(null, ShowAs.FREE, null, null), with(null, ShowAs.BUSY, null, null)));
  }

  @Test
  void attendeesWithoutAddressAreNotCompared() {
    Attendee bob = new Attendee(new Person("Bob", "bob@example.com"), false, Response.NONE);
    Attendee noMail = new Attendee(new Person("Walk-in guest", null), false, Response.NONE);
    assertTrue(Field.ATTENDEES.same(with(null, null, null, List.of(bob, noMail)), with(null, null, null, List.of(bob))));
    assertFalse(Field.ATTENDEES.same(with(null, null, null, List.of(bob)), with(null, null, null, List.of())));
  }
}
