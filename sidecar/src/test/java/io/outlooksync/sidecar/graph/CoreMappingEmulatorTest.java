package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.MailLog;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.SyncInput;
import io.outlooksync.sidecar.core.When;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mapping through the gateway and the emulated Graph: what we write is what we read back, and who gets mail. */
class CoreMappingEmulatorTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final String ALICE = "alice@example.com";
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  private EmulatorMailbox alice;
  private GraphGateway gateway;

  @BeforeEach
  void signIn() throws Exception {
    alice = new EmulatorMailbox(m365.emulator(), ALICE);
    gateway = alice.gateway(alice.clients());
  }

  static CalEvent meeting(LocalDate day) {
    Instant nine = day.atTime(9, 0).atZone(BRUSSELS).toInstant();
    return new CalEvent("Quarterly review", When.timed(nine, nine.plusSeconds(5400), BRUSSELS),
        "<p>Agenda: <b>budget</b></p><ul><li>one</li><li>two</li></ul>", "Room 4", "https://meet.example.org/q4",
        Privacy.PRIVATE, ShowAs.TENTATIVE, List.of(10), new Person("Alice", ALICE), List.of(
            new Attendee(new Person("Bob", "bob@example.com"), false, Response.NONE),
            new Attendee(new Person("Carol", "carol@partner.example"), true, Response.NONE)));
  }

  private GraphEvent create(CalEvent c, boolean quiet, String tx) {
    WriteResult r = gateway.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, quiet, "db:" + tx), tx))).get(0);
    assertEquals(WriteResult.Status.OK, r.status(), r.toString());
    return gateway.event(r.id()).orElseThrow();
  }

  @Test
  void whatIsWrittenReadsBackAsTheSameEventInWinterAndSummer() {
    for (LocalDate day : List.of(LocalDate.of(2027, 1, 12), LocalDate.of(2027, 7, 13))) {
      CalEvent odoo = meeting(day);
      GraphEvent stored = create(odoo, false, "tx-" + day);
      assertEquals("Romance Standard Time", stored.originalStartTimeZone());
      assertTrue(!stored.onlineMeeting(), "no Teams meeting was asked for");

      CoreMapping.Mapped<CalEvent> read = CoreMapping.read(stored);
      assertEquals(List.of(), read.notes());
      for (Field f : Field.values()) {
        assertTrue(f.same(odoo, read.value()), day + ": " + f + " changed on the way: " + read.value());
      }
      assertEquals(LocalTime.of(9, 0), read.value().when().start().atZone(read.value().when().zone()).toLocalTime());

      SyncInput.OutlookState state = CoreMapping.toState(stored, ALICE);
      assertTrue(state.isOrganizer());
      assertEquals(stored.iCalUId(), state.iCalUId());
      assertEquals(stored.changeKey(), state.changeKey());
    }
  }

  /** The hour a fall-back night repeats: its wall times name two instants, so the event is written in UTC, not refused. */
  @Test
  void anEventInTheHourTheClocksRepeatKeepsItsInstants() {
    Instant start = Instant.parse("2027-10-31T00:45:00Z"); // 02:45 summer time, then 02:15 winter time in Brussels
    CalEvent odoo = new CalEvent("Night shift", When.timed(start, start.plusSeconds(1800), BRUSSELS), null, null, null, null, null,
        List.of(), null, List.of());
    CalEvent read = CoreMapping.toCore(create(odoo, false, "tx-fall-back"));
    assertEquals(start, read.when().startInstant());
    assertEquals(start.plusSeconds(1800), read.when().endInstant());
  }

  @Test
  void allDayEventsRoundTrip() {
    CalEvent odoo = new CalEvent("Holidays", When.allDay(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 27), BRUSSELS),
        null, null, null, null, ShowAs.FREE, List.of(), null, List.of());
    CalEvent read = CoreMapping.toCore(create(odoo, false, "tx-allday"));
    assertEquals(LocalDate.of(2026, 12, 24), read.when().startDate());
    assertEquals(LocalDate.of(2026, 12, 27), read.when().endDateExclusive());
    for (Field f : Field.values()) {
      assertTrue(f.same(odoo, read), f + " changed on the way");
    }
  }

  @Test
  void quietModeMailsNobody() {
    GraphEvent stored = create(meeting(LocalDate.of(2027, 1, 12)), true, "tx-quiet");
    assertEquals(List.of(), stored.attendees());
    assertEquals(0, m365.emulator().mailLog().size(), m365.emulator().mailLog().all().toString());

    GraphEvent loud = create(meeting(LocalDate.of(2027, 1, 13)), false, "tx-loud");
    assertEquals(2, loud.attendees().size());
    assertEquals(2, m365.emulator().mailLog().count(MailLog.Kind.INVITATION), "the control: a meeting does invite");
  }

  @Test
  void updatesWriteOnlyWhatChangedAndReminderChangesMailNobody() {
    CalEvent odoo = meeting(LocalDate.of(2027, 1, 12));
    GraphEvent stored = create(odoo, false, "tx-upd");
    m365.emulator().mailLog().clear();

    CalEvent later = new CalEvent(odoo.title(), odoo.when(), odoo.descriptionHtml(), odoo.location(), odoo.videoUrl(), odoo.privacy(),
        odoo.showAs(), List.of(30, 120), odoo.organizer(), odoo.attendees());
    CoreMapping.Patch reminders = CoreMapping.toUpdate(Set.of(Field.REMINDERS), later);
    WriteResult r = gateway.write(List.of(reminders.toWrite(stored.id(), stored.changeKey()))).get(0);
    assertEquals(WriteResult.Status.OK, r.status(), r.toString());
    assertEquals(0, m365.emulator().mailLog().size(), "a reminder is personal: no mail");

    CalEvent read = CoreMapping.toCore(gateway.event(stored.id()).orElseThrow());
    assertEquals(List.of(30), read.reminderMinutes());
    assertEquals(odoo.title(), read.title());
    assertEquals(odoo.descriptionHtml(), read.descriptionHtml());

    assertNull(CoreMapping.toUpdate(Set.of(Field.RESPONSES), later).toWrite(stored.id(), r.changeKey()), "nothing to send");

    CalEvent renamed = new CalEvent("Q4 review", odoo.when(), odoo.descriptionHtml(), odoo.location(), odoo.videoUrl(), odoo.privacy(),
        odoo.showAs(), odoo.reminderMinutes(), odoo.organizer(), odoo.attendees());
    r = gateway.write(List.of(CoreMapping.toUpdate(Set.of(Field.TITLE), renamed).toWrite(stored.id(), r.changeKey()))).get(0);
    assertEquals(WriteResult.Status.OK, r.status(), r.toString());
    read = CoreMapping.toCore(gateway.event(stored.id()).orElseThrow());
    assertEquals("Q4 review", read.title());
    assertEquals(List.of(30), read.reminderMinutes(), "the title update left the reminder alone");
    assertEquals(2, m365.emulator().mailLog().count(MailLog.Kind.UPDATE), "a meeting's subject change mails each attendee");
  }
}
