package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Html;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.When;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OdooEventMapperTest {
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  private static final OdooUser ALICE = new OdooUser(7, "alice", "Alice Martin", 70, "alice@example.com", "Europe/Brussels");
  private static final OdooUser CAROL = new OdooUser(8, "carol", "Carol Dupont", 80, "carol@example.com", "America/New_York");
  private static final Map<Long, OdooAlarm> ALARMS = Map.of(
      1L, new OdooAlarm(1, "notification", 15, "minutes"),
      2L, new OdooAlarm(2, "email", 1, "days"),
      3L, new OdooAlarm(3, "sms", 1, "hours"),
      4L, new OdooAlarm(4, "email", 15, "minutes"),
      5L, new OdooAlarm(5, "notification", 2, "hours"));
  private static final Map<Long, OdooPartner> PARTNERS = Map.of(
      70L, new OdooPartner(70, "Alice Martin", "alice@example.com"),
      71L, new OdooPartner(71, "Ann Lee", "ann@example.com"),
      72L, new OdooPartner(72, "Bob Stone", "bob@example.com"),
      73L, new OdooPartner(73, "Front Desk", null));
  private static final Map<String, Long> BY_EMAIL = Map.of(
      "alice@example.com", 70L, "ann@example.com", 71L, "bob@example.com", 72L, "dan@example.com", 74L);

  /** A calendar.event as the gateway reads it; tests change what they need. */
  private static final class Ev {
    long id = 100;
    String name = "Planning";
    Instant start = Instant.parse("2026-01-15T08:00:00Z");
    Instant stop = Instant.parse("2026-01-15T09:30:00Z");
    boolean allday;
    LocalDate startDate;
    LocalDate stopDate;
    String description = "<p>Agenda: <b>budget</b></p>";
    String location = "Room 1";
    String video = "https://meet.example.com/abc";
    String privacy = "private";
    String showAs = "free";
    Long userId = 7L;
    List<Long> alarms = List.of(1L, 2L);
    boolean recurrency;

    OdooEvent build() {
      return new OdooEvent(id, name, start, stop, allday, startDate, stopDate, description, location, video, privacy,
          showAs, userId, List.of(70L, 71L, 72L), List.of(1000L, 1001L, 1002L), alarms, recurrency, null, true,
          Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
    }
  }

  private static List<OdooAttendee> attendees() {
    return List.of(
        new OdooAttendee(1000, 100, 70, "alice@example.com", AttendeeState.ACCEPTED),
        new OdooAttendee(1001, 100, 71, "ann@example.com", AttendeeState.ACCEPTED),
        new OdooAttendee(1002, 100, 72, "bob@example.com", AttendeeState.TENTATIVE),
        new OdooAttendee(2000, 200, 72, "bob@example.com", AttendeeState.DECLINED)); // another event's
  }

  private static OdooContext readCtx(OdooUser organizer, List<OdooAttendee> attendees) {
    return new OdooContext(organizer, null, attendees, PARTNERS, ALARMS);
  }

  private static CalEvent core(OdooEvent e) {
    Mapped<CalEvent> m = OdooEventMapper.toCore(e, readCtx(ALICE, attendees()));
    assertNotNull(m.value(), m.notes().toString());
    return m.value();
  }

  private static DraftContext updateCtx(List<OdooAttendee> attendees) {
    return DraftContext.forUpdate(ALICE, BY_EMAIL, ALARMS, attendees, PARTNERS);
  }

  private static Map<String, Object> changes(Set<Field> fields, CalEvent target, DraftContext ctx) {
    return OdooEventMapper.toChanges(fields, target, ctx).value().event().values();
  }

  private static Object x2many(Long... ids) {
    List<Integer> ints = new ArrayList<>();
    for (Long id : ids) {
      ints.add(id.intValue());
    }
    return List.of(List.of(6, 0, ints));
  }

  @Test
  void readsEveryFieldOfAnOdooEvent() {
    CalEvent c = core(new Ev().build());
    assertEquals("Planning", c.title());
    assertEquals(When.timed(Instant.parse("2026-01-15T08:00:00Z"), Instant.parse("2026-01-15T09:30:00Z"), BRUSSELS), c.when());
    assertEquals("<p>Agenda: <b>budget</b></p>", c.descriptionHtml());
    assertEquals("Room 1", c.location());
    assertEquals("https://meet.example.com/abc", c.videoUrl());
    assertEquals(Privacy.PRIVATE, c.privacy());
    assertEquals(ShowAs.FREE, c.showAs());
    assertEquals(List.of(15, 1440), c.reminderMinutes());
    assertEquals(new Person("Alice Martin", "alice@example.com"), c.organizer());
    // The organizer's own attendee row is the organizer, not an attendee; the other event's row is ignored.
    assertEquals(List.of(
        new Attendee(new Person("Ann Lee", "ann@example.com"), false, Response.ACCEPTED),
        new Attendee(new Person("Bob Stone", "bob@example.com"), false, Response.TENTATIVE)), c.attendees());
  }

  @Test
  void eachFieldRoundTripsToTheSameOdooValues() {
    Ev ev = new Ev();
    CalEvent c = core(ev.build());
    DraftContext ctx = updateCtx(attendees());
    Map<Field, Map<String, Object>> expected = new LinkedHashMap<>();
    expected.put(Field.TITLE, Map.of("name", "Planning"));
    expected.put(Field.WHEN, Map.of("allday", false, "start", "2026-01-15 08:00:00", "stop", "2026-01-15 09:30:00"));
    expected.put(Field.DESCRIPTION, Map.of("description", "<p>Agenda: <b>budget</b></p>"));
    expected.put(Field.LOCATION, Map.of("location", "Room 1"));
    expected.put(Field.VIDEO_URL, Map.of("videocall_location", "https://meet.example.com/abc"));
    expected.put(Field.PRIVACY, Map.of("privacy", "private"));
    expected.put(Field.SHOW_AS, Map.of("show_as", "free"));
    expected.put(Field.REMINDERS, Map.of("alarm_ids", x2many(1L, 2L)));
    expected.put(Field.ATTENDEES, Map.of("partner_ids", x2many(70L, 71L, 72L)));
    expected.put(Field.RESPONSES, Map.of());
    assertEquals(EnumSet.allOf(Field.class), expected.keySet(), "every field is covered");
    for (Map.Entry<Field, Map<String, Object>> e : expected.entrySet()) {
      Mapped<OdooWrite> w = OdooEventMapper.toChanges(Set.of(e.getKey()), c, ctx);
      assertEquals(e.getValue(), w.value().event().values(), e.getKey().name());
      assertEquals(Map.of(), w.value().states(), e.getKey() + ": answers unchanged, nothing to write");
      assertEquals(List.of(), w.notes(), e.getKey().name());
    }
    // And read back, the written values are the same content.
    for (Field f : Field.values()) {
      assertTrue(f.same(c, core(ev.build())), f.name());
    }
  }

  @Test
  void emptiedFieldsAreWrittenAsFalse() {
    Ev ev = new Ev();
    ev.description = null;
    ev.location = null;
    ev.video = null;
    ev.alarms = List.of();
    CalEvent c = core(ev.build());
    Map<String, Object> v = changes(EnumSet.of(Field.DESCRIPTION, Field.LOCATION, Field.VIDEO_URL, Field.REMINDERS), c, updateCtx(attendees()));
    assertEquals(false, v.get("description"));
    assertEquals(false, v.get("location"));
    assertEquals(false, v.get("videocall_location"));
    assertEquals(x2many(), v.get("alarm_ids"));
  }

  @Test
  void oneDayAllDayEventIsInclusiveInOdooAndExclusiveInCore() {
    Ev ev = new Ev();
    ev.allday = true;
    ev.startDate = LocalDate.of(2026, 3, 10);
    ev.stopDate = LocalDate.of(2026, 3, 10);
    CalEvent c = core(ev.build());
    assertEquals(When.allDay(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 11), BRUSSELS), c.when());
    assertEquals(Map.of("allday", true, "start_date", "2026-03-10", "stop_date", "2026-03-10"),
        changes(Set.of(Field.WHEN), c, updateCtx(attendees())));
    OdooEventDraft draft = OdooEventMapper.toDraft(c, DraftContext.forCreate(ALICE, List.of(), BY_EMAIL, ALARMS)).value().draft();
    assertEquals(LocalDate.of(2026, 3, 10), draft.startDate());
    assertEquals(LocalDate.of(2026, 3, 10), draft.stopDate());
  }

  @Test
  void threeDayAllDayEvent() {
    Ev ev = new Ev();
    ev.allday = true;
    ev.startDate = LocalDate.of(2026, 3, 10);
    ev.stopDate = LocalDate.of(2026, 3, 12);
    CalEvent c = core(ev.build());
    assertEquals(LocalDate.of(2026, 3, 13), c.when().endDateExclusive());
    assertEquals(Map.of("allday", true, "start_date", "2026-03-10", "stop_date", "2026-03-12"),
        changes(Set.of(Field.WHEN), c, updateCtx(attendees())));
    // From Outlook: Friday to Monday (exclusive) is three days in Odoo, Friday to Sunday.
    CalEvent fromOutlook = new CalEvent("Trip", When.allDay(LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 4), BRUSSELS),
        null, null, null, null, null, null, null, null);
    assertEquals(Map.of("allday", true, "start_date", "2026-05-01", "stop_date", "2026-05-03"),
        changes(Set.of(Field.WHEN), fromOutlook, updateCtx(attendees())));
  }

  @Test
  void nineOClockInBrusselsStaysNineOClockAcrossDaylightSaving() {
    Ev winter = new Ev();
    winter.start = Instant.parse("2026-01-15T08:00:00Z");
    winter.stop = Instant.parse("2026-01-15T09:00:00Z");
    Ev summer = new Ev();
    summer.start = Instant.parse("2026-07-15T07:00:00Z");
    summer.stop = Instant.parse("2026-07-15T08:00:00Z");
    for (Ev ev : List.of(winter, summer)) {
      When w = core(ev.build()).when();
      assertEquals(BRUSSELS, w.zone());
      assertEquals(LocalTime.of(9, 0), w.start().atZone(w.zone()).toLocalTime());
    }
    // Back to Odoo: 09:00 local is 08:00 UTC in winter and 07:00 UTC in summer.
    When jan = When.timed(LocalDateTime.of(2026, 1, 15, 9, 0).atZone(BRUSSELS).toInstant(),
        LocalDateTime.of(2026, 1, 15, 10, 0).atZone(BRUSSELS).toInstant(), BRUSSELS);
    When jul = When.timed(LocalDateTime.of(2026, 7, 15, 9, 0).atZone(BRUSSELS).toInstant(),
        LocalDateTime.of(2026, 7, 15, 10, 0).atZone(BRUSSELS).toInstant(), BRUSSELS);
    CalEvent base = core(new Ev().build());
    assertEquals("2026-01-15 08:00:00", changes(Set.of(Field.WHEN), withWhen(base, jan), updateCtx(attendees())).get("start"));
    assertEquals("2026-07-15 07:00:00", changes(Set.of(Field.WHEN), withWhen(base, jul), updateCtx(attendees())).get("start"));
    assertEquals(Duration.ofHours(1), Duration.between(
        jul.start().atZone(ZoneOffset.UTC).toLocalTime(), jan.start().atZone(ZoneOffset.UTC).toLocalTime()));
  }

  @Test
  void seriesThinkInTheRecurrenceZoneAndUnknownZonesFallBackToUtc() {
    Ev ev = new Ev();
    ev.recurrency = true;
    Mapped<CalEvent> series = OdooEventMapper.toCore(ev.build(), new OdooContext(ALICE, "Asia/Tokyo", attendees(), PARTNERS, ALARMS));
    assertEquals(ZoneId.of("Asia/Tokyo"), series.value().when().zone());

    OdooUser lost = new OdooUser(7, "alice", "Alice Martin", 70, "alice@example.com", "Mars/Olympus_Mons");
    Mapped<CalEvent> m = OdooEventMapper.toCore(new Ev().build(), readCtx(lost, attendees()));
    assertEquals(ZoneOffset.UTC, m.value().when().zone());
    assertEquals(Instant.parse("2026-01-15T08:00:00Z"), m.value().when().start(), "the instant is kept");
    assertTrue(m.notes().get(0).contains("Mars/Olympus_Mons"), m.notes().toString());

    OdooUser noTz = new OdooUser(7, "alice", "Alice Martin", 70, "alice@example.com", null);
    Mapped<CalEvent> utc = OdooEventMapper.toCore(new Ev().build(), readCtx(noTz, attendees()));
    assertEquals(ZoneOffset.UTC, utc.value().when().zone());
    assertEquals(List.of(), utc.notes());
  }

  @Test
  void aStopBeforeTheStartBecomesAnInstantAtTheStartWithANote() {
    Ev ev = new Ev();
    ev.stop = ev.start.minusSeconds(3600);
    Mapped<CalEvent> m = OdooEventMapper.toCore(ev.build(), readCtx(ALICE, attendees()));
    assertEquals(ev.start, m.value().when().start());
    assertEquals(ev.start, m.value().when().end());
    assertEquals(1, m.notes().size());

    Ev allDay = new Ev();
    allDay.allday = true;
    allDay.startDate = LocalDate.of(2026, 3, 10);
    allDay.stopDate = LocalDate.of(2026, 3, 8);
    Mapped<CalEvent> d = OdooEventMapper.toCore(allDay.build(), readCtx(ALICE, attendees()));
    assertEquals(When.allDay(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 11), BRUSSELS), d.value().when());
    assertEquals(1, d.notes().size());

    Ev timeless = new Ev();
    timeless.start = null;
    timeless.stop = null;
    Mapped<CalEvent> none = OdooEventMapper.toCore(timeless.build(), readCtx(ALICE, attendees()));
    assertTrue(none.skipped());
    assertEquals(1, none.notes().size());
  }

  @Test
  void attendeeAnswersMapBothWays() {
    Map<AttendeeState, Response> pairs = Map.of(AttendeeState.NEEDS_ACTION, Response.NONE, AttendeeState.ACCEPTED,
        Response.ACCEPTED, AttendeeState.TENTATIVE, Response.TENTATIVE, AttendeeState.DECLINED, Response.DECLINED);
    for (Map.Entry<AttendeeState, Response> p : pairs.entrySet()) {
      List<OdooAttendee> rows = List.of(new OdooAttendee(1001, 100, 71, "ann@example.com", p.getKey()));
      CalEvent c = OdooEventMapper.toCore(new Ev().build(), readCtx(ALICE, rows)).value();
      assertEquals(p.getValue(), c.responseOf("ANN@example.com"));
    }
    // Outlook says Ann declined and Bob accepted: two attendee writes, no event write.
    CalEvent c = core(new Ev().build());
    CalEvent target = new CalEvent(c.title(), c.when(), null, null, null, null, null, null, c.organizer(), List.of(
        new Attendee(new Person("Ann Lee", "Ann@Example.com"), false, Response.DECLINED),
        new Attendee(new Person("Bob Stone", "bob@example.com"), false, Response.ACCEPTED)));
    OdooWrite w = OdooEventMapper.toChanges(Set.of(Field.RESPONSES), target, updateCtx(attendees())).value();
    assertTrue(w.event().isEmpty());
    assertEquals(Map.of(1001L, AttendeeState.DECLINED, 1002L, AttendeeState.ACCEPTED), w.states());
  }

  @Test
  void removedAttendeesLeaveThePartnerListAndNewOnesJoinIt() {
    CalEvent c = core(new Ev().build());
    CalEvent target = c.with(Field.ATTENDEES, new CalEvent(c.title(), c.when(), null, null, null, null, null, null, null, List.of(
        new Attendee(new Person("Ann Lee", "ann@example.com"), false, Response.ACCEPTED),
        new Attendee(new Person("Dan", "dan@example.com"), false, Response.NONE))));
    Mapped<OdooWrite> w = OdooEventMapper.toChanges(Set.of(Field.ATTENDEES, Field.RESPONSES), target, updateCtx(attendees()));
    assertEquals(x2many(70L, 71L, 74L), w.value().event().values().get("partner_ids"), "Bob removed, Dan added, organizer kept");
    assertEquals(Map.of(), w.value().states());
  }

  @Test
  void attendeesWithoutEmailNeverBlockAnything() {
    List<OdooAttendee> rows = new ArrayList<>(attendees());
    rows.add(new OdooAttendee(1003, 100, 73, null, AttendeeState.NEEDS_ACTION));
    Mapped<CalEvent> read = OdooEventMapper.toCore(new Ev().build(), readCtx(ALICE, rows));
    Attendee desk = read.value().attendees().get(2);
    assertEquals(new Person("Front Desk", null), desk.person());
    assertEquals(1, read.notes().size(), read.notes().toString());

    // Written back, the e-mail-less attendee is kept through its current partner.
    Map<String, Object> v = changes(Set.of(Field.ATTENDEES), read.value(), DraftContext.forUpdate(ALICE, BY_EMAIL, ALARMS, rows, PARTNERS));
    assertEquals(x2many(70L, 71L, 72L, 73L), v.get("partner_ids"));

    // From Outlook, a name-only attendee nobody knows, and an address that was not resolved: left out, noted.
    CalEvent fromOutlook = new CalEvent("Visit", read.value().when(), null, null, null, null, null, null,
        new Person("Alice", "alice@example.com"), List.of(
        new Attendee(new Person("Someone", null), false, Response.NONE),
        new Attendee(new Person("Eve", "eve@example.com"), false, Response.NONE),
        new Attendee(new Person("Ann Lee", "ann@example.com"), false, Response.ACCEPTED)));
    Mapped<OdooCreate> create = OdooEventMapper.toDraft(fromOutlook, DraftContext.forCreate(ALICE, List.of(ALICE), BY_EMAIL, ALARMS));
    assertEquals(List.of(70L, 71L), create.value().draft().partnerIds());
    assertEquals(Map.of(71L, AttendeeState.ACCEPTED), create.value().answersByPartner());
    assertEquals(2, create.notes().size(), create.notes().toString());
  }

  @Test
  void privacyFalseIsTheDefaultAndTheDefaultWritesFalse() {
    Ev ev = new Ev();
    ev.privacy = null;
    CalEvent c = core(ev.build());
    assertEquals(Privacy.DEFAULT, c.privacy());
    assertEquals(Map.of("privacy", false), changes(Set.of(Field.PRIVACY), c, updateCtx(attendees())));
    OdooEventDraft draft = OdooEventMapper.toDraft(c, DraftContext.forCreate(ALICE, List.of(), BY_EMAIL, ALARMS)).value().draft();
    assertNull(draft.privacy());
    assertFalse(draft.values().containsKey("privacy"), "a create leaves the user's default to Odoo");
    for (String p : List.of("public", "private", "confidential")) {
      ev.privacy = p;
      assertEquals(Map.of("privacy", p), changes(Set.of(Field.PRIVACY), core(ev.build()), updateCtx(attendees())));
    }
  }

  @Test
  void outlookOnlyShowAsStatesAreBusyInOdoo() {
    CalEvent c = core(new Ev().build());
    for (ShowAs s : List.of(ShowAs.TENTATIVE, ShowAs.OUT_OF_OFFICE, ShowAs.WORKING_ELSEWHERE)) {
      CalEvent t = new CalEvent(c.title(), c.when(), null, null, null, null, s, null, null, null);
      Mapped<OdooWrite> w = OdooEventMapper.toChanges(Set.of(Field.SHOW_AS), t, updateCtx(attendees()));
      assertEquals(Map.of("show_as", "busy"), w.value().event().values());
      assertEquals(1, w.notes().size());
    }
  }

  @Test
  void alarmsBecomeMinutesAndMinutesFindAlarms() {
    Ev ev = new Ev();
    ev.alarms = List.of(2L, 1L, 3L, 99L);
    Mapped<CalEvent> m = OdooEventMapper.toCore(ev.build(), readCtx(ALICE, attendees()));
    assertEquals(List.of(15, 1440), m.value().reminderMinutes());
    assertEquals(2, m.notes().size(), "the sms alarm and the unknown one: " + m.notes());

    CalEvent t = new CalEvent("x", m.value().when(), null, null, null, null, null, List.of(1440, 15, 120, 30), null, null);
    Mapped<OdooWrite> w = OdooEventMapper.toChanges(Set.of(Field.REMINDERS), t, updateCtx(attendees()));
    // 15 min exists as e-mail (4) and pop-up (1): the pop-up is taken, as Outlook's reminder is one.
    assertEquals(x2many(1L, 5L, 2L), w.value().event().values().get("alarm_ids"));
    assertEquals(List.of("no Odoo reminder of 30 minutes exists: left out"), w.notes());
  }

  @Test
  void aDraftCarriesEveryField() {
    CalEvent c = core(new Ev().build());
    Mapped<OdooCreate> m = OdooEventMapper.toDraft(c, DraftContext.forCreate(CAROL, List.of(ALICE, CAROL), BY_EMAIL, ALARMS));
    Map<String, Object> v = m.value().draft().values();
    assertEquals("Planning", v.get("name"));
    assertEquals("2026-01-15 08:00:00", v.get("start"));
    assertEquals("<p>Agenda: <b>budget</b></p>", v.get("description"));
    assertEquals("Room 1", v.get("location"));
    assertEquals("https://meet.example.com/abc", v.get("videocall_location"));
    assertEquals("private", v.get("privacy"));
    assertEquals("free", v.get("show_as"));
    assertEquals(7, v.get("user_id"), "Alice organizes it in Outlook and is an Odoo user");
    assertEquals(x2many(70L, 71L, 72L), v.get("partner_ids"));
    assertEquals(List.of(1L, 2L), m.value().alarmIds());
    assertEquals(Map.of(71L, AttendeeState.ACCEPTED, 72L, AttendeeState.TENTATIVE), m.value().answersByPartner());
    assertEquals(List.of(), m.notes());

    // An organizer Odoo does not know: the mailbox's owner organizes it, and the plan says so.
    CalEvent external = new CalEvent("Call", c.when(), null, null, null, null, null, null, new Person("Zed", "zed@else.org"), List.of());
    Mapped<OdooCreate> e = OdooEventMapper.toDraft(external, DraftContext.forCreate(CAROL, List.of(ALICE, CAROL), BY_EMAIL, ALARMS));
    assertEquals(8L, e.value().draft().userId());
    assertEquals(List.of(80L), e.value().draft().partnerIds(), "the organizer alone: not a meeting, nobody mailed");
    assertEquals(1, e.notes().size());
  }

  @Test
  void onlyWebAddressesBecomeMeetingLinksAndEmptyTitlesGetOne() {
    CalEvent c = core(new Ev().build());
    CalEvent t = new CalEvent("  ", c.when(), null, null, "javascript:alert(1)", null, null, null, null, null);
    Mapped<OdooWrite> w = OdooEventMapper.toChanges(EnumSet.of(Field.TITLE, Field.VIDEO_URL), t, updateCtx(attendees()));
    assertEquals(Map.of("name", OdooEventMapper.NO_TITLE, "videocall_location", false), w.value().event().values());
    assertEquals(2, w.notes().size());
  }

  @Test
  void descriptionsFromOutlookAreSanitizedAndCapped() {
    CalEvent c = core(new Ev().build());
    String outlook = "<html><head><style>p.MsoNormal{margin:0}</style></head><body><p class=MsoNormal onclick=\"x()\">"
        + "Hello <b>team</b><script>steal()</script><o:p></o:p></p></body></html>";
    CalEvent t = new CalEvent(c.title(), c.when(), outlook, null, null, null, null, null, null, null);
    Mapped<OdooWrite> w = OdooEventMapper.toChanges(Set.of(Field.DESCRIPTION), t, updateCtx(attendees()));
    assertEquals("<p>Hello <b>team</b></p>", w.value().event().values().get("description"));
    assertEquals(1, w.notes().size(), "the script and handler are reported: " + w.notes());

    String big = "<p>" + "x".repeat(300 * 1024) + "</p>";
    CalEvent huge = new CalEvent(c.title(), c.when(), big, null, null, null, null, null, null, null);
    Mapped<OdooCreate> m = OdooEventMapper.toDraft(huge, DraftContext.forCreate(ALICE, List.of(), BY_EMAIL, ALARMS));
    String stored = m.value().draft().description();
    assertTrue(stored.getBytes(StandardCharsets.UTF_8).length <= HtmlSanitizer.DEFAULT_MAX_BYTES);
    assertTrue(Html.comparable(stored).endsWith(HtmlSanitizer.SHORTENED_NOTE));
    assertTrue(m.notes().stream().anyMatch(n -> n.contains("shortened")), m.notes().toString());
  }

  @Test
  void emailsToResolveAreTheAttendeesAddresses() {
    CalEvent c = core(new Ev().build());
    CalEvent t = c.with(Field.ATTENDEES, new CalEvent("", c.when(), null, null, null, null, null, null, null, List.of(
        new Attendee(new Person("Ann", "Ann@Example.com"), false, Response.NONE),
        new Attendee(new Person("No mail", null), false, Response.NONE))));
    assertEquals(Set.of("ann@example.com"), OdooEventMapper.emailsToResolve(t));
  }

  private static CalEvent withWhen(CalEvent c, When w) {
    return new CalEvent(c.title(), w, c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), c.organizer(), c.attendees());
  }
}
