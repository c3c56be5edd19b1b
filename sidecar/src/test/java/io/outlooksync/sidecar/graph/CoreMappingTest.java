package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.Sensitivity;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.SyncInput;
import io.outlooksync.sidecar.core.When;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mapping on its own: every field both ways, and what Graph would be sent (the SDK model WriteRequests builds). */
class CoreMappingTest {
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  static final String ALICE = "alice@example.com";
  static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
  static final Instant END = Instant.parse("2026-12-01T09:00:00Z");

  /** A GraphEvent as EventMapper reads it, with defaults a test changes one by one. */
  static final class Read {
    String subject = "Review";
    String body = "<html><head><style>p{}</style></head><body><p>Agenda</p></body></html>";
    Instant start = START;
    Instant end = END;
    String zone = "Romance Standard Time";
    boolean allDay;
    LocalDate startDate;
    LocalDate endDate;
    String location = "Room 4";
    String onlineUrl;
    String sensitivity = "normal";
    String showAs = "busy";
    boolean reminderOn = true;
    Integer reminder = 15;
    GraphEvent.Person organizer = new GraphEvent.Person("Alice", ALICE);
    boolean isOrganizer = true;
    String responseStatus = "organizer";
    List<GraphEvent.Attendee> attendees = new ArrayList<>(List.of(
        new GraphEvent.Attendee("Bob", "bob@example.com", "required", "accepted"),
        new GraphEvent.Attendee("Carol", "carol@example.com", "optional", "notResponded")));
    boolean cancelled;

    GraphEvent event() {
      return new GraphEvent("AAMk-1", "ical-1", "uid-1", "ck-1", GraphEvent.Kind.SINGLE_INSTANCE, null, null, subject, body, null,
          start, end, zone, zone, allDay, startDate, endDate, location, onlineUrl != null, onlineUrl, sensitivity, showAs,
          reminderOn, reminder, organizer, isOrganizer, responseStatus, attendees, cancelled, null,
          Instant.parse("2026-11-20T10:00:00Z"), "db:7");
    }
  }

  static CalEvent meeting() {
    return new CalEvent("Review", When.timed(START, END, BRUSSELS), "<p>Agenda</p>", "Room 4", null, Privacy.DEFAULT, ShowAs.BUSY,
        List.of(15), new Person("Alice", ALICE), List.of(
            new Attendee(new Person("Bob", "bob@example.com"), false, Response.ACCEPTED),
            new Attendee(new Person("Carol", "carol@example.com"), true, Response.NONE)));
  }

  static CalEvent with(CalEvent c, When when) {
    return new CalEvent(c.title(), when, c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), c.organizer(), c.attendees());
  }

  /** What the gateway would put on the wire for a create. */
  static Event wire(GraphEventDraft d) {
    return WriteRequests.changes(d, EnumSet.allOf(GraphEventDraft.Field.class));
  }

  @Test
  void readsEveryField() {
    CoreMapping.Mapped<CalEvent> m = CoreMapping.read(new Read().event());
    CalEvent c = m.value();
    assertEquals("Review", c.title());
    assertEquals(When.timed(START, END, ZoneId.of("Europe/Paris")), c.when(), "Romance Standard Time is CLDR's Europe/Paris");
    assertEquals("<p>Agenda</p>", c.descriptionHtml(), "Outlook's document wrapper is dropped");
    assertEquals("Room 4", c.location());
    assertNull(c.videoUrl());
    assertEquals(Privacy.DEFAULT, c.privacy());
    assertEquals(ShowAs.BUSY, c.showAs());
    assertEquals(List.of(15), c.reminderMinutes());
    assertEquals(new Person("Alice", ALICE), c.organizer());
    assertEquals(meeting().attendees(), c.attendees());
    assertEquals(List.of(), m.notes());
    for (Field f : Field.values()) {
      assertTrue(f.same(meeting(), c), f + " reads as the same event Odoo would hold");
    }
  }

  @Test
  void writesEveryField() {
    CoreMapping.Mapped<GraphEventDraft> m = CoreMapping.draft(meeting(), false, "db:7");
    GraphEventDraft d = m.value();
    assertEquals("Review", d.subject());
    assertEquals("<p>Agenda</p>", d.bodyHtml());
    assertEquals(START, d.start());
    assertEquals(END, d.end());
    assertEquals(BRUSSELS, d.zone());
    assertEquals("Room 4", d.location());
    assertEquals(List.of(new GraphEventDraft.Attendee("Bob", "bob@example.com", "required"),
        new GraphEventDraft.Attendee("Carol", "carol@example.com", "optional")), d.attendees());
    assertEquals("normal", d.sensitivity());
    assertEquals("busy", d.showAs());
    assertEquals(15, d.reminderMinutesBeforeStart());
    assertFalse(d.onlineMeeting());
    assertEquals("db:7", d.odooTag());
    assertEquals(List.of(), m.notes());

    Event e = wire(d);
    assertEquals(Boolean.FALSE, e.getIsOnlineMeeting(), "never a Teams meeting, and said so explicitly");
    assertEquals(Sensitivity.Normal, e.getSensitivity());
    assertEquals(FreeBusyStatus.Busy, e.getShowAs());
    assertEquals(Boolean.TRUE, e.getIsReminderOn());
    assertEquals(15, e.getReminderMinutesBeforeStart());
  }

  @Test
  void brusselsNineOClockSurvivesBothSidesOfDst() {
    for (LocalDate day : List.of(LocalDate.of(2027, 1, 12), LocalDate.of(2027, 7, 13))) {
      Instant nine = day.atTime(9, 0).atZone(BRUSSELS).toInstant();
      CalEvent odoo = with(meeting(), When.timed(nine, nine.plusSeconds(3600), BRUSSELS));

      Event sent = wire(CoreMapping.toDraft(odoo, false, null));
      assertEquals("Romance Standard Time", sent.getStart().getTimeZone(), "Graph refuses Europe/Brussels");
      assertEquals(day + "T09:00:00", sent.getStart().getDateTime());
      assertEquals(day + "T10:00:00", sent.getEnd().getDateTime());

      // Outlook answers in UTC (we ask it to) and names the zone it was written in.
      Read back = new Read();
      back.start = EventMapper.instant(sent.getStart(), "start");
      back.end = EventMapper.instant(sent.getEnd(), "end");
      back.zone = sent.getStart().getTimeZone();
      CalEvent read = CoreMapping.toCore(back.event());
      assertEquals(nine, read.when().start(), day.toString());
      assertEquals(LocalTime.of(9, 0), read.when().start().atZone(read.when().zone()).toLocalTime());
      assertTrue(Field.WHEN.same(odoo, read));
    }
    assertEquals(Instant.parse("2027-01-12T08:00:00Z"), LocalDate.of(2027, 1, 12).atTime(9, 0).atZone(BRUSSELS).toInstant());
    assertEquals(Instant.parse("2027-07-13T07:00:00Z"), LocalDate.of(2027, 7, 13).atTime(9, 0).atZone(BRUSSELS).toInstant());
  }

  @Test
  void allDayEventsKeepTheirDatesWithTheEndExclusive() {
    CalEvent holidays = with(meeting(), When.allDay(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 26), BRUSSELS));
    GraphEventDraft d = CoreMapping.toDraft(holidays, false, null);
    assertTrue(d.allDay());
    Event sent = wire(d);
    assertEquals(Boolean.TRUE, sent.getIsAllDay());
    assertEquals("2026-12-24T00:00:00", sent.getStart().getDateTime());
    assertEquals("2026-12-26T00:00:00", sent.getEnd().getDateTime(), "two days: the end is the day after");

    Read back = new Read();
    back.allDay = true;
    back.startDate = LocalDate.of(2026, 12, 24);
    back.endDate = LocalDate.of(2026, 12, 26);
    back.start = Instant.parse("2026-12-23T23:00:00Z");
    back.end = Instant.parse("2026-12-25T23:00:00Z");
    CalEvent read = CoreMapping.toCore(back.event());
    assertEquals(When.allDay(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 26), ZoneId.of("Europe/Paris")), read.when());
    assertTrue(Field.WHEN.same(holidays, read));
  }

  @Test
  void sensitivityTable() {
    List<String> notes = new ArrayList<>();
    assertEquals(Privacy.DEFAULT, CoreMapping.privacy("normal", notes));
    assertEquals(Privacy.PRIVATE, CoreMapping.privacy("personal", notes));
    assertEquals(Privacy.PRIVATE, CoreMapping.privacy("private", notes));
    assertEquals(Privacy.CONFIDENTIAL, CoreMapping.privacy("confidential", notes));
    assertEquals(Privacy.DEFAULT, CoreMapping.privacy(null, notes));
    assertEquals(List.of(), notes);
    assertEquals(Privacy.DEFAULT, CoreMapping.privacy("secret", notes));
    assertEquals(1, notes.size());

    assertEquals("normal", CoreMapping.sensitivity(Privacy.DEFAULT));
    assertEquals("normal", CoreMapping.sensitivity(Privacy.PUBLIC));
    assertEquals("private", CoreMapping.sensitivity(Privacy.PRIVATE));
    assertEquals("confidential", CoreMapping.sensitivity(Privacy.CONFIDENTIAL));
    // Odoo's "default" (privacy False) goes out as normal and comes back as default: no change, no ping-pong.
    for (Privacy p : List.of(Privacy.DEFAULT, Privacy.PRIVATE, Privacy.CONFIDENTIAL)) {
      assertEquals(p, CoreMapping.privacy(CoreMapping.sensitivity(p), notes), p.name());
    }
    // Every value the SDK knows is one we write or read.
    for (Privacy p : Privacy.values()) {
      assertTrue(Sensitivity.forValue(CoreMapping.sensitivity(p)) != null);
    }
  }

  @Test
  void showAsTableRoundTrips() {
    List<String> notes = new ArrayList<>();
    for (ShowAs s : ShowAs.values()) {
      String wire = CoreMapping.showAs(s);
      assertTrue(FreeBusyStatus.forValue(wire) != null, wire + " is a Graph value");
      assertEquals(s, CoreMapping.showAs(wire, notes));
    }
    assertEquals(ShowAs.OUT_OF_OFFICE, CoreMapping.showAs("oof", notes));
    assertEquals(ShowAs.WORKING_ELSEWHERE, CoreMapping.showAs("workingElsewhere", notes));
    assertEquals(ShowAs.BUSY, CoreMapping.showAs(null, notes), "Graph's default");
    assertEquals(List.of(), notes);
  }

  @Test
  void outlookHoldsOneReminderTheClosestToTheStart() {
    CalEvent three = new CalEvent("x", When.timed(START, END, BRUSSELS), null, null, null, null, null, List.of(60, 15, 1440), null, null);
    CoreMapping.Mapped<GraphEventDraft> m = CoreMapping.draft(three, false, null);
    assertEquals(15, m.value().reminderMinutesBeforeStart());
    assertEquals(1, m.notes().size(), m.notes().toString());
    assertTrue(m.notes().get(0).contains("2 other"));

    CalEvent none = new CalEvent("x", When.timed(START, END, BRUSSELS), null, null, null, null, null, List.of(), null, null);
    GraphEventDraft d = CoreMapping.toDraft(none, false, null);
    assertNull(d.reminderMinutesBeforeStart());
    assertEquals(Boolean.FALSE, wire(d).getIsReminderOn());

    Read off = new Read();
    off.reminderOn = false;
    assertEquals(List.of(), CoreMapping.toCore(off.event()).reminderMinutes(), "a switched-off reminder is none");
    Read on = new Read();
    on.reminder = 30;
    assertEquals(List.of(30), CoreMapping.toCore(on.event()).reminderMinutes());
  }

  @Test
  void quietModeWritesATimeBlockWithoutAttendees() {
    CoreMapping.Mapped<GraphEventDraft> m = CoreMapping.draft(meeting(), true, "db:7");
    assertEquals(List.of(), m.value().attendees());
    assertEquals("<p>Agenda</p>", m.value().bodyHtml(), "no note in the body: the description stays comparable");
    assertEquals(List.of("quiet mode: 2 attendee(s) not written to Outlook, nobody is mailed"), m.notes());
    assertEquals(List.of(), wire(m.value()).getAttendees());
  }

  @Test
  void anUpdateWritesOnlyTheFieldsAsked() {
    CoreMapping.Patch title = CoreMapping.toUpdate(Set.of(Field.TITLE), meeting());
    assertEquals(Set.of(GraphEventDraft.Field.SUBJECT), title.fields());
    Event sent = WriteRequests.changes(title.changes(), title.fields());
    assertEquals("Review", sent.getSubject());
    assertNull(sent.getStart());
    assertNull(sent.getBody());
    assertNull(sent.getLocation());
    assertNull(sent.getAttendees());
    assertNull(sent.getSensitivity());
    assertNull(sent.getIsReminderOn());
    assertNull(sent.getIsOnlineMeeting(), "an update never touches isOnlineMeeting");

    GraphWrite.Update write = title.toWrite("AAMk-1", "ck-1");
    assertEquals(Set.of(GraphEventDraft.Field.SUBJECT), write.fields());
    assertEquals("ck-1", write.ifMatch());

    assertEquals(Set.of(GraphEventDraft.Field.LOCATION), CoreMapping.toUpdate(Set.of(Field.VIDEO_URL), meeting()).fields());
    assertEquals(EnumSet.of(GraphEventDraft.Field.TIMES, GraphEventDraft.Field.REMINDER, GraphEventDraft.Field.ATTENDEES),
        CoreMapping.toUpdate(Set.of(Field.WHEN, Field.REMINDERS, Field.ATTENDEES), meeting()).fields());

    CoreMapping.Patch answers = CoreMapping.toUpdate(Set.of(Field.RESPONSES), meeting());
    assertTrue(answers.isEmpty(), "others' answers cannot be set through Graph");
    assertNull(answers.toWrite("AAMk-1", "ck-1"));
    assertEquals(1, answers.notes().size());

    CoreMapping.Patch quiet = CoreMapping.toUpdate(Set.of(Field.ATTENDEES), meeting(), true);
    assertTrue(quiet.isEmpty(), "a quiet time block never gets attendees");
  }

  @Test
  void attendeesNeverIncludeTheOrganizer() {
    Read r = new Read();
    r.attendees.add(0, new GraphEvent.Attendee("Alice", "ALICE@example.com", "required", "accepted"));
    assertEquals(meeting().attendees(), CoreMapping.toCore(r.event()).attendees());

    List<Attendee> withOrganizer = new ArrayList<>(meeting().attendees());
    withOrganizer.add(new Attendee(new Person("Alice", ALICE), false, Response.ACCEPTED));
    CalEvent odoo = new CalEvent("Review", When.timed(START, END, BRUSSELS), null, null, null, null, null, null,
        new Person("Alice", ALICE), withOrganizer);
    assertEquals(List.of("bob@example.com", "carol@example.com"),
        CoreMapping.toDraft(odoo, false, null).attendees().stream().map(GraphEventDraft.Attendee::address).toList());
  }

  @Test
  void attendeesWithoutUsableAddressAreLeftOutNotFatal() {
    List<Attendee> list = new ArrayList<>(meeting().attendees());
    list.add(new Attendee(new Person("Dan (no e-mail)", null), false, Response.NONE));
    list.add(new Attendee(new Person("Eve", "eve at example"), false, Response.NONE));
    CalEvent c = new CalEvent("Review", When.timed(START, END, BRUSSELS), null, null, null, null, null, null, new Person("Alice", ALICE), list);
    CoreMapping.Mapped<GraphEventDraft> m = CoreMapping.draft(c, false, null);
    assertEquals(2, m.value().attendees().size());
    assertEquals(List.of("2 attendee(s) without a usable e-mail address left out of Outlook"), m.notes());

    Read r = new Read();
    r.attendees.add(new GraphEvent.Attendee("Room", null, "resource", null));
    CoreMapping.Mapped<CalEvent> read = CoreMapping.read(r.event());
    assertEquals(2, read.value().attendees().size());
    assertEquals(1, read.notes().size());
  }

  @Test
  void anUnknownZoneIsReadAsUtcWithANote() {
    Read r = new Read();
    r.zone = "Mars Standard Time";
    CoreMapping.Mapped<CalEvent> m = CoreMapping.read(r.event());
    assertEquals(ZoneOffset.UTC, m.value().when().zone());
    assertEquals(START, m.value().when().start(), "the instants are what Graph says, zone or not");
    assertEquals(List.of("unknown time zone 'Mars Standard Time'; times kept, zone taken as UTC"), m.notes());
  }

  @Test
  void aZoneWithoutWindowsNameIsWrittenAsUtcWithANote() {
    CalEvent c = with(meeting(), When.timed(START, END, ZoneOffset.ofHours(3)));
    CoreMapping.Mapped<GraphEventDraft> m = CoreMapping.draft(c, false, null);
    assertEquals(1, m.notes().size());
    Event sent = wire(m.value());
    assertEquals("UTC", sent.getStart().getTimeZone());
    assertEquals("2026-12-01T08:00:00", sent.getStart().getDateTime());
  }

  @Test
  void theVideoLinkTravelsInTheLocation() {
    CalEvent c = new CalEvent("Call", When.timed(START, END, BRUSSELS), null, "Room 4", "https://meet.example.org/abc", null, null,
        null, null, null);
    GraphEventDraft d = CoreMapping.toDraft(c, false, null);
    assertEquals("Room 4 | https://meet.example.org/abc", d.location());
    assertFalse(d.onlineMeeting());

    Read r = new Read();
    r.location = d.location();
    CalEvent back = CoreMapping.toCore(r.event());
    assertEquals("Room 4", back.location());
    assertEquals("https://meet.example.org/abc", back.videoUrl());
    assertTrue(Field.LOCATION.same(c, back) && Field.VIDEO_URL.same(c, back));

    CalEvent linkOnly = new CalEvent("Call", When.timed(START, END, BRUSSELS), null, null, "https://meet.example.org/abc", null, null,
        null, null, null);
    r.location = CoreMapping.toDraft(linkOnly, false, null).location();
    assertEquals("https://meet.example.org/abc", r.location);
    back = CoreMapping.toCore(r.event());
    assertNull(back.location());
    assertEquals("https://meet.example.org/abc", back.videoUrl());

    r.location = "Building A | floor 2";
    assertEquals("Building A | floor 2", CoreMapping.toCore(r.event()).location(), "a place with our separator stays a place");

    Read teams = new Read();
    teams.onlineUrl = "https://teams.microsoft.com/l/meetup-join/123";
    CalEvent t = CoreMapping.toCore(teams.event());
    assertEquals("https://teams.microsoft.com/l/meetup-join/123", t.videoUrl());
    assertEquals("Room 4", t.location());
  }

  @Test
  void longDescriptionsAreCappedWithAVisibleNote() {
    String paragraph = "<p>Ligne \u00e9t\u00e9 \u2014 <a href=\"https://example.org/\">lien</a> &amp; plus</p>";
    String big = paragraph.repeat(300_000 / paragraph.length() + 1);
    CalEvent c = new CalEvent("x", When.timed(START, END, BRUSSELS), big, null, null, null, null, null, null, null);
    CoreMapping.Mapped<GraphEventDraft> m = CoreMapping.draft(c, false, null);
    String body = m.value().bodyHtml();
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes <= BodyLimit.MAX_BYTES && bytes > BodyLimit.MAX_BYTES - 200, bytes + " bytes");
    assertTrue(body.endsWith("<p><em>" + BodyLimit.SHORTENED_TEXT + "</em></p>"));
    String cut = body.substring(0, body.length() - BodyLimit.SHORTENED_TEXT.length() - 18);
    assertTrue(big.startsWith(cut), "a prefix of the original");
    assertTrue(cut.lastIndexOf('<') < cut.lastIndexOf('>'), "no half tag");
    assertTrue(cut.lastIndexOf('&') < cut.lastIndexOf(';') || cut.lastIndexOf('&') < 0, "no half entity");
    assertEquals(1, m.notes().size());

    assertEquals(paragraph, CoreMapping.toDraft(new CalEvent("x", When.timed(START, END, BRUSSELS), paragraph, null, null, null, null,
        null, null, null), false, null).bodyHtml(), "small bodies go as they are");
  }

  @Test
  void stateCarriesIdentityAndTheUsersOwnAnswer() {
    Read invited = new Read();
    invited.isOrganizer = false;
    invited.organizer = new GraphEvent.Person("Bob", "bob@example.com");
    invited.responseStatus = "tentativelyAccepted";
    invited.attendees = new ArrayList<>(List.of(new GraphEvent.Attendee("Alice", ALICE, "required", "none")));
    invited.cancelled = true;
    SyncInput.OutlookState s = CoreMapping.toState(invited.event(), ALICE);
    assertEquals("AAMk-1", s.graphId());
    assertEquals("ical-1", s.iCalUId());
    assertEquals("ck-1", s.changeKey());
    assertEquals(Instant.parse("2026-11-20T10:00:00Z"), s.lastModified());
    assertFalse(s.isOrganizer());
    assertTrue(s.cancelled());
    assertEquals(Response.TENTATIVE, s.ownResponse());
    assertEquals(Response.TENTATIVE, s.content().responseOf(ALICE), "Graph's attendee list lags; the user's own answer counts");

    SyncInput.OutlookState mine = CoreMapping.toState(new Read().event(), ALICE);
    assertTrue(mine.isOrganizer());
    assertEquals(Response.ACCEPTED, mine.ownResponse());
    assertEquals(Response.ACCEPTED, mine.content().responseOf("bob@example.com"));
    assertEquals(Response.NONE, mine.content().responseOf("carol@example.com"), "notResponded is no answer yet");
  }
}
