package io.outlooksync.sidecar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Outlook mails for series actions: once per attendee per series, never once per occurrence. */
class SeriesMailForecastTest {
  static final String MAILBOX = "alice@example.com";
  static final CalEvent MEETING = ReconcilerTest.event("Weekly", Instant.parse("2027-03-01T08:00:00Z"), MAILBOX,
      "bob@example.com", "carol@example.com");
  static final Recurrence WEEKLY = new Recurrence(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(DayOfWeek.MONDAY), DayOfWeek.SUNDAY,
      0, null, 0, null, LocalDate.of(2027, 3, 1), Recurrence.End.COUNT, null, 52, ZoneId.of("Europe/Brussels"));

  static MailForecast forecast(Action... actions) {
    return new Plan(List.of(actions)).mail(MAILBOX);
  }

  @Test
  void aNewSeriesOfFiftyTwoOccurrencesIsOneInvitationPerAttendee() {
    MailForecast f = forecast(new Action.CreateSeriesInOutlook("c", 1, MEETING, WEEKLY, false, "new"));
    assertEquals(2, f.count(MailForecast.Kind.INVITATION));
    assertEquals(0, forecast(new Action.CreateSeriesInOutlook("c", 1, MEETING, WEEKLY, true, "quiet")).total(), "quiet mails nobody");
  }

  @Test
  void aMasterUpdateMailsEachAttendeeOnceAndAgainPerExceptionUnlessTheRuleChanges() {
    assertEquals(2 * 3, forecast(new Action.UpdateSeriesInOutlook("u", 1, "m", Set.of(Field.TITLE), MEETING, null, true, 2, "all"))
        .count(MailForecast.Kind.UPDATE), "the series and its two exceptions, for each attendee");
    assertEquals(2, forecast(new Action.UpdateSeriesInOutlook("u", 1, "m", Set.of(Field.WHEN), MEETING, WEEKLY, true, 2, "rule"))
        .count(MailForecast.Kind.UPDATE), "a new rule drops the exceptions");
    assertEquals(0, forecast(new Action.UpdateSeriesInOutlook("u", 1, "m", Set.of(Field.REMINDERS), MEETING, null, true, 2, "quiet"))
        .total(), "a reminder mails nobody");
    assertEquals(0, forecast(new Action.UpdateSeriesInOutlook("u", 1, "m", Set.of(Field.TITLE), MEETING, null, false, 0, "attendee"))
        .total(), "only the organizer's changes mail");
  }

  @Test
  void aDeletedSeriesOrOneCancelledOccurrenceIsOneCancellationPerAttendee() {
    assertEquals(2, forecast(new Action.DeleteSeriesInOutlook("d", 1, "m", MEETING, "gone")).count(MailForecast.Kind.CANCELLATION));
    assertEquals(2, forecast(new Action.CancelOccurrenceInOutlook("x", 1, "o", MEETING, "one")).count(MailForecast.Kind.CANCELLATION));
    assertEquals(0, forecast(new Action.LinkOccurrence("l", 1, 5, "o", null, null, "link"),
        new Action.ArchiveOccurrencesInOdoo("a", 1, List.of(5L), "odoo"), new Action.ForgetSeries("f", 1, "both")).total(),
        "links and Odoo writes mail nobody");
  }

  @Test
  void anOccurrenceMovedPastItsNeighbourIsACancellationAndAnInvitationNotAnUpdate() {
    CalEvent moved = ReconcilerTest.event("Weekly", Instant.parse("2027-03-09T11:00:00Z"), MAILBOX, "bob@example.com");
    MailForecast f = forecast(new Action.DetachOccurrenceInOutlook("d", 7, "o", MEETING, moved, "past the next"));
    assertEquals(2, f.count(MailForecast.Kind.CANCELLATION), "the occurrence, to bob and carol");
    assertEquals(1, f.count(MailForecast.Kind.INVITATION), "its own event, to its attendees (bob)");
    assertEquals(0, f.count(MailForecast.Kind.UPDATE));
  }
}
