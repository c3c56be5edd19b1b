package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.odoo.AttendeeState;
import io.outlooksync.sidecar.odoo.OdooAttendee;
import io.outlooksync.sidecar.odoo.OdooUser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesOrganizerTest {
  static final Person ALICE = new Person("Alice", "alice@example.com");
  static final Person DAVE = new Person("Dave", "dave@partner.example");
  static final OdooUser ALICE_USER = new OdooUser(7, "alice", "Alice", 70, "alice@example.com", "Europe/Brussels");
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  static CalEvent event(Person organizer, Attendee... attendees) {
    return new CalEvent("Partner sync", When.timed(T0, T0.plusSeconds(3600), ZoneId.of("Europe/Brussels")), null, null, null, null,
        null, List.of(), organizer, List.of(attendees));
  }

  /** Odoo: alice stands in for dave, who attends as a partner; Outlook lists alice with her answer and not dave. */
  @Test
  void anOdooEventHeldByAStandInReadsAsOutlookListsIt() {
    CalEvent odoo = event(ALICE, new Attendee(DAVE, false, Response.NONE), new Attendee(new Person("Bob", "bob@example.com"), false,
        Response.ACCEPTED));
    List<OdooAttendee> rows = List.of(new OdooAttendee(1, 100, 70, "alice@example.com", AttendeeState.TENTATIVE),
        new OdooAttendee(2, 101, 70, "alice@example.com", AttendeeState.DECLINED));
    CalEvent seen = SeriesOrganizer.asOutlookLists(odoo, 100, ALICE_USER, rows, DAVE.email());
    assertEquals(List.of("bob@example.com", "alice@example.com"), seen.attendees().stream().map(a -> a.person().email()).toList());
    assertEquals(Response.TENTATIVE, seen.responseOf("alice@example.com"), "her own row of this event");
  }

  @Test
  void anEventItsOutlookOrganizerOrganizesInOdooIsUnchanged() {
    CalEvent odoo = event(ALICE, new Attendee(DAVE, false, Response.NONE));
    assertSame(odoo, SeriesOrganizer.asOutlookLists(odoo, 100, ALICE_USER, List.of(), "ALICE@example.com"));
  }

  @Test
  void writesNameTheOutlookOrganizerOnceAsAnAcceptedAttendee() {
    CalEvent outlook = event(DAVE, new Attendee(ALICE, false, Response.NONE));
    CalEvent written = SeriesOrganizer.withOrganizerAttending(outlook, DAVE);
    assertEquals(List.of(new Attendee(ALICE, false, Response.NONE), new Attendee(DAVE, false, Response.ACCEPTED)), written.attendees());
    assertSame(written, SeriesOrganizer.withOrganizerAttending(written, DAVE));
  }
}
