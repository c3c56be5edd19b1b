package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Occurrences;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.When;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link OdooGateway} promises, whatever the protocol: run against the emulator always (XML-RPC as Odoo 18,
 * JSON-2 as Odoo 19) and against real Odoo 17, 18 and 19 when their trees are configured. Subclasses provide the
 * server and the gateway; round-trip counts are checked where the server can count them.
 */
abstract class OdooGatewayContract {
  static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  static final String ZONED_LOGIN = "zoe-" + RUN;

  protected OdooGateway gateway;

  /** The service user's config (a valid API key). */
  protected abstract OdooConfig config();

  /** The implementation under test, for this config. */
  protected abstract OdooGateway gateway(OdooConfig config);

  /** The server's major release. */
  protected abstract int major();

  /** The service user's uid. */
  protected abstract long serviceUid();

  /** Plain XML-RPC as an administrator. */
  protected abstract RawOdoo raw();

  /** Makes sure the next write lands in a later second than the previous one. */
  protected abstract void nextSecond();

  /** The uid of user {@link #ZONED_LOGIN}: name "Zoe", e-mail zoe-RUN@example.com, time zone Europe/Brussels. */
  protected abstract long zonedUser();

  /** Whether the server is Odoo with our addon (the emulator is; the real Odoo here has only calendar). */
  protected abstract boolean hasOurAddon();

  /** The model calls ("calendar.event.create") since {@link #clearCalls()}, or null if the server cannot tell. */
  protected List<String> calls() {
    return null;
  }

  protected void clearCalls() {}

  private void expectCalls(String... expected) {
    List<String> calls = calls();
    if (calls != null) {
      assertEquals(List.of(expected), calls);
    }
  }

  @BeforeEach
  void connect() {
    gateway = gateway(config());
    gateway.authenticate();
  }

  @Test
  void versionIsTheServers() {
    ServerVersion version = gateway.version();
    assertEquals(major(), version.major());
    assertTrue(version.serverVersion().startsWith(major() + "."), version.serverVersion());
  }

  @Test
  void authenticateWithTheKeyAndRefuseAWrongOne() {
    assertEquals(serviceUid(), gateway.authenticate());
    OdooConfig c = config();
    OdooGateway wrong = gateway(new OdooConfig(c.url(), c.database(), c.login(), "not-the-key", null, null));
    OdooAuthException e = assertThrows(OdooAuthException.class, wrong::authenticate);
    assertTrue(e.getMessage().contains(c.login()), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-key"), "the key never shows in messages");
    // a call without a prior authenticate logs in first, and fails the same way
    assertThrows(OdooAuthException.class, () -> wrong.events(List.of(1L)));
  }

  @Test
  void createManyInOneCallAndReadThemBackTyped() {
    long partner = gateway.partnersByEmail(List.of("pat-" + RUN + "@example.com"), true).get("pat-" + RUN + "@example.com");
    Instant start = Instant.parse("2026-03-10T08:00:00Z");
    List<OdooEventDraft> drafts = List.of(
        OdooEventDraft.timed("Planning " + RUN, start, start.plus(Duration.ofMinutes(90)))
            .withDescription("<p>Agenda</p>").withLocation("Room 4").withVideocallLocation("https://meet.example.com/x")
            .withPrivacy("private").withShowAs("free").withPartners(List.of(partner)),
        OdooEventDraft.allDay("Holiday " + RUN, LocalDate.parse("2026-03-12"), LocalDate.parse("2026-03-13")),
        OdooEventDraft.timed("Bare " + RUN, start.plus(Duration.ofDays(3)), start.plus(Duration.ofDays(3)).plusSeconds(1800)));
    clearCalls();
    List<Long> ids = gateway.createEvents(drafts);
    expectCalls("calendar.event.create");
    assertEquals(3, ids.size());
    assertEquals(3, new HashSet<>(ids).size());

    Found<OdooEvent> found = gateway.events(ids);
    assertEquals(Set.of(), found.missing());
    assertEquals(Map.of(), found.malformed());
    Map<Long, OdooEvent> byId = found.items().stream().collect(Collectors.toMap(OdooEvent::id, Function.identity()));

    OdooEvent planning = byId.get(ids.get(0));
    assertEquals("Planning " + RUN, planning.name());
    assertEquals(start, planning.start());
    assertEquals(start.plus(Duration.ofMinutes(90)), planning.stop());
    assertFalse(planning.allday());
    assertNull(planning.startDate());
    assertNull(planning.stopDate());
    assertTrue(planning.description().contains("Agenda"), planning.description());
    assertEquals("Room 4", planning.location());
    assertEquals("https://meet.example.com/x", planning.videocallLocation());
    assertEquals("private", planning.privacy());
    assertEquals("free", planning.showAs());
    assertEquals(serviceUid(), planning.userId());
    assertEquals(List.of(partner), planning.partnerIds());
    assertEquals(1, planning.attendeeIds().size());
    assertEquals(List.of(), planning.alarmIds());
    assertFalse(planning.recurrency());
    assertNull(planning.recurrenceId());
    assertTrue(planning.active());
    assertNotNull(planning.writeDate());
    assertNotNull(planning.createDate());

    OdooEvent holiday = byId.get(ids.get(1));
    assertTrue(holiday.allday());
    assertEquals(LocalDate.parse("2026-03-12"), holiday.startDate());
    assertEquals(LocalDate.parse("2026-03-13"), holiday.stopDate());
    assertNotNull(holiday.start());

    OdooEvent bare = byId.get(ids.get(2));
    assertNull(bare.description());
    assertNull(bare.location());
    assertNull(bare.videocallLocation());
    assertEquals("busy", bare.showAs());
    assertEquals(serviceUid(), bare.userId());
    assertEquals(Duration.ofMinutes(30), Duration.between(bare.start(), bare.stop()));
  }

  @Test
  void changesSinceAWatermarkArePagedWithoutLossOrRepeat() {
    long before = gateway.createEvents(List.of(timed("Before " + RUN, 0))).get(0);
    nextSecond();
    List<Long> five = gateway.createEvents(List.of(timed("A", 1), timed("B", 2), timed("C", 3), timed("D", 4), timed("E", 5)));
    Instant watermark = gateway.events(five).items().get(0).writeDate();
    nextSecond();
    gateway.writeEvents(Map.of(five.get(0), EventChanges.of().location("Moved"), five.get(2), EventChanges.of().location("Moved")));
    long later = gateway.createEvents(List.of(timed("Later " + RUN, 6))).get(0);

    List<Long> seen = new ArrayList<>();
    Map<Long, Instant> writeDates = new LinkedHashMap<>();
    Page<OdooEvent> page;
    Instant next = watermark;
    long afterId = 0;
    int pages = 0;
    do {
      page = gateway.eventsChangedSince(next, afterId, 2);
      assertTrue(page.items().size() <= 2);
      assertEquals(Map.of(), page.malformed());
      page.items().forEach(e -> {
        seen.add(e.id());
        writeDates.put(e.id(), e.writeDate());
      });
      next = page.nextWatermark();
      afterId = page.nextAfterId();
      assertTrue(++pages < 100, "paging ends");
    } while (page.hasMore());

    assertEquals(seen.size(), new HashSet<>(seen).size(), "no event twice in one round: " + seen);
    assertFalse(seen.contains(before), "written before the watermark");
    List<Long> ours = new ArrayList<>(five);
    ours.add(later);
    assertTrue(seen.containsAll(ours), "all changed events: " + seen + " has " + ours);
    // ordered by write_date: the untouched three come before the two rewritten and the later one
    for (long untouched : List.of(five.get(1), five.get(3), five.get(4))) {
      for (long rewritten : List.of(five.get(0), five.get(2), later)) {
        assertTrue(seen.indexOf(untouched) < seen.indexOf(rewritten), seen.toString());
      }
    }
    for (int i = 1; i < seen.size(); i++) {
      assertFalse(writeDates.get(seen.get(i)).isBefore(writeDates.get(seen.get(i - 1))), "write_date order");
    }
    // the next round starts at the last second seen and reads it again (>=), not what came before it
    assertFalse(next.isBefore(writeDates.get(later)));
    Page<OdooEvent> again = gateway.eventsChangedSince(next, 0, 50);
    List<Long> againIds = again.items().stream().map(OdooEvent::id).toList();
    assertTrue(againIds.contains(later), againIds.toString());
    assertFalse(againIds.contains(five.get(1)));
  }

  @Test
  void createKeysAreKeptAndFoundArchivedTooOnlyWhereTheAddonIs() {
    OdooGateway fresh = new XmlRpcOdooGateway(config());
    fresh.authenticate();
    clearCalls();
    assertEquals(hasOurAddon(), fresh.sourceKeys());
    assertEquals(hasOurAddon(), fresh.sourceKeys());
    expectCalls("calendar.event.fields_get");

    String key = "create-odoo-" + RUN + "-keyed";
    List<Long> ids = fresh.createEvents(List.of(timed("Keyed", 60).withSource(key), timed("Unkeyed", 61)));
    fresh.archiveEvents(List.of(ids.get(0)));
    clearCalls();
    Map<String, Long> found = fresh.eventsBySource(List.of(key, "create-odoo-" + RUN + "-none"));
    if (hasOurAddon()) {
      expectCalls("calendar.event.search_read");
      assertEquals(Map.of(key, ids.get(0)), found, "the archived event is found by its key");
      List<?> rows = RawOdoo.list(raw().call("calendar.event", "read", List.of(Wire.ids(ids)),
          Map.of("fields", List.of(XmlRpcOdooGateway.SOURCE))));
      assertEquals(List.of(key, false), rows.stream().map(r -> ((Map<?, ?>) r).get(XmlRpcOdooGateway.SOURCE)).toList());
    } else {
      expectCalls();
      assertEquals(Map.of(), found, "without the addon the key was neither written nor searched");
    }
  }

  private static OdooEventDraft timed(String name, int day) {
    Instant start = Instant.parse("2026-04-01T09:00:00Z").plus(Duration.ofDays(day));
    return OdooEventDraft.timed(name, start, start.plusSeconds(3600));
  }

  @Test
  void writesAreGroupedByIdenticalChanges() {
    List<Long> ids = gateway.createEvents(List.of(timed("W1", 10), timed("W2", 11), timed("W3", 12)));
    EventChanges room = EventChanges.of().location("Room 9").showAs("free");
    Map<Long, EventChanges> changes = new LinkedHashMap<>();
    changes.put(ids.get(0), room);
    changes.put(ids.get(1), EventChanges.of().location("Room 9").showAs("free"));
    changes.put(ids.get(2), EventChanges.of().name("Renamed " + RUN).description(null));
    clearCalls();
    gateway.writeEvents(changes);
    expectCalls("calendar.event.write", "calendar.event.write");
    Map<Long, OdooEvent> byId = gateway.events(ids).items().stream().collect(Collectors.toMap(OdooEvent::id, Function.identity()));
    assertEquals("Room 9", byId.get(ids.get(0)).location());
    assertEquals("free", byId.get(ids.get(1)).showAs());
    assertEquals("Renamed " + RUN, byId.get(ids.get(2)).name());
    assertNull(byId.get(ids.get(2)).description());
  }

  @Test
  void archivedEventsAreStillFoundAndChanged() {
    List<Long> ids = gateway.createEvents(List.of(timed("Keep", 20), timed("Archive", 21)));
    Instant watermark = gateway.events(ids).items().get(0).writeDate();
    clearCalls();
    gateway.archiveEvents(List.of(ids.get(1)));
    expectCalls("calendar.event.write");
    Found<OdooEvent> found = gateway.events(ids);
    assertEquals(Set.of(), found.missing());
    Map<Long, Boolean> active = found.items().stream().collect(Collectors.toMap(OdooEvent::id, OdooEvent::active));
    assertEquals(Map.of(ids.get(0), true, ids.get(1), false), active);
    List<OdooEvent> changed = gateway.eventsChangedSince(watermark, 0, 1000).items();
    assertTrue(changed.stream().anyMatch(e -> e.id() == ids.get(1) && !e.active()), "the archived event is a change");
  }

  @Test
  void oneUsersChangesAreThoseTheyAttendOrOrganize() {
    OdooUser zoe = gateway.user(zonedUser());
    long other = gateway.partnersByEmail(List.of("otto-" + RUN + "@example.com"), true).get("otto-" + RUN + "@example.com");
    List<Long> ids = gateway.createEvents(List.of(
        timed("Zoe attends", 40).withPartners(List.of(zoe.partnerId(), other)),
        timed("Zoe organizes", 41).withOrganizer(zoe.id()).withPartners(List.of(other)),
        timed("Not Zoe's", 42).withOrganizer(serviceUid()).withPartners(List.of(other))));
    Instant watermark = gateway.events(ids).items().stream().map(OdooEvent::writeDate).min(Instant::compareTo).orElseThrow();
    gateway.archiveEvents(List.of(ids.get(0)));
    Set<Long> seen = new java.util.HashSet<>();
    long afterId = 0;
    while (true) {
      Page<OdooEvent> page = gateway.eventsOfUserChangedSince(zoe.partnerId(), zoe.id(), watermark, afterId, 1);
      page.items().forEach(e -> seen.add(e.id()));
      watermark = page.nextWatermark();
      afterId = page.nextAfterId();
      if (!page.hasMore()) {
        break;
      }
    }
    assertTrue(seen.contains(ids.get(0)), "an archived event she attends is a change of hers");
    assertTrue(seen.contains(ids.get(1)));
    assertFalse(seen.contains(ids.get(2)), "another user's event with other attendees is not hers");
  }

  @Test
  void theUsersAnEventConcernsAreFoundFromItsEventAttendeeOrSeriesIds() {
    OdooUser zoe = gateway.user(zonedUser());
    long other = gateway.partnersByEmail(List.of("uma-" + RUN + "@example.com"), true).get("uma-" + RUN + "@example.com");
    List<Long> ids = gateway.createEvents(List.of(
        timed("Zoe organizes", 50).withOrganizer(zoe.id()).withPartners(List.of(other)),
        timed("Zoe attends", 51).withOrganizer(serviceUid()).withPartners(List.of(zoe.partnerId(), other))));
    gateway.archiveEvents(List.of(ids.get(1)));
    clearCalls();
    Map<Long, EventParties> byEvent = gateway.eventParties("calendar.event", List.of(ids.get(0), ids.get(1), 999_999L)).stream()
        .collect(Collectors.toMap(EventParties::eventId, Function.identity()));
    expectCalls("calendar.event.search_read");
    assertEquals(Set.of(ids.get(0), ids.get(1)), byEvent.keySet(), "archived included, a missing id left out");
    assertEquals(zoe.id(), byEvent.get(ids.get(0)).organizerUserId());
    assertEquals(Set.of(other), Set.copyOf(byEvent.get(ids.get(0)).partnerIds()));
    assertEquals(serviceUid(), byEvent.get(ids.get(1)).organizerUserId());
    assertEquals(Set.of(zoe.partnerId(), other), Set.copyOf(byEvent.get(ids.get(1)).partnerIds()));

    long zoesAttendee = gateway.attendees(List.of(ids.get(1))).stream().filter(a -> a.partnerId() == zoe.partnerId())
        .findFirst().orElseThrow().id();
    clearCalls();
    List<EventParties> viaAttendee = gateway.eventParties("calendar.attendee", List.of(zoesAttendee));
    expectCalls("calendar.event.search_read");
    assertEquals(List.of(ids.get(1)), viaAttendee.stream().map(EventParties::eventId).toList());

    long series = raw().create("calendar.event", Map.of("name", "Weekly parties " + RUN, "start", "2026-12-07 08:00:00",
        "stop", "2026-12-07 09:00:00", "recurrency", true, "rrule_type", "weekly", "interval", 1, "end_type", "count",
        "count", 3, "mon", true, "user_id", (int) zoe.id()));
    Object recurrence = ((Map<?, ?>) RawOdoo.list(raw().call("calendar.event", "read", List.of(List.of((int) series)),
        Map.of("fields", List.of("recurrence_id")))).get(0)).get("recurrence_id");
    long recurrenceId = ((Number) RawOdoo.list(recurrence).get(0)).longValue();
    List<EventParties> viaSeries = gateway.eventParties("calendar.recurrence", List.of(recurrenceId));
    assertEquals(3, viaSeries.size(), "every event of the series");
    viaSeries.forEach(p -> assertEquals(zoe.id(), p.organizerUserId()));
    assertThrows(IllegalArgumentException.class, () -> gateway.eventParties("res.partner", List.of(1L)));
  }

  @Test
  void aDeletedEventIsReportedMissing() {
    List<Long> ids = gateway.createEvents(List.of(timed("Stays", 30), timed("Goes", 31)));
    raw().unlink("calendar.event", ids.get(1));
    Found<OdooEvent> found = gateway.events(ids);
    assertEquals(Set.of(ids.get(1)), found.missing());
    assertEquals(List.of(ids.get(0)), found.items().stream().map(OdooEvent::id).toList());
  }

  @Test
  void partnersAreFoundByEmailIgnoringCaseAndMissingOnesCreatedInOneCall() {
    // Its own tag: classes of one release share a real Odoo, and the oldest partner of an address is chosen.
    String tag = RUN + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffL);
    String existing = "Erin.Q-" + tag + "@Example.org";
    long erin = raw().create("res.partner", Map.of("name", "Erin", "email", existing));
    raw().create("res.partner", Map.of("name", "Wildcard", "email", "a_b-" + tag + "@example.org"));
    String fresh = "NEW.one-" + tag + "@example.org";
    clearCalls();
    Map<String, Long> partners = gateway.partnersByEmail(Arrays.asList(existing.toLowerCase(), fresh, "", null, "  "), true);
    expectCalls("res.partner.search_read", "res.partner.create");
    assertEquals(Set.of(existing.toLowerCase(), fresh.toLowerCase()), partners.keySet());
    assertEquals(erin, partners.get(existing.toLowerCase()));
    long created = partners.get(fresh.toLowerCase());
    assertTrue(created > erin);

    clearCalls();
    Map<String, Long> again = gateway.partnersByEmail(List.of(existing.toUpperCase(), fresh, "axb-" + tag + "@example.org"), false);
    expectCalls("res.partner.search_read");
    assertEquals(Map.of(existing.toLowerCase(), erin, fresh.toLowerCase(), created), again,
        "found again, nothing created, and '_' is not a wildcard");
    assertEquals(Map.of(), gateway.partnersByEmail(List.of(" "), true), "no address, no call, no block");
  }

  @Test
  void usersCarryTheirTimeZone() {
    OdooUser zoe = gateway.user(zonedUser());
    assertEquals(ZONED_LOGIN, zoe.login());
    assertEquals("Zoe", zoe.name());
    assertEquals("zoe-" + RUN + "@example.com", zoe.email());
    assertEquals("Europe/Brussels", zoe.tz());
    assertTrue(zoe.partnerId() > 0);
    List<OdooUser> users = gateway.users(List.of(serviceUid(), zonedUser(), 999_999L));
    assertEquals(Set.of(serviceUid(), zonedUser()), users.stream().map(OdooUser::id).collect(Collectors.toSet()));
    OdooMissingException e = assertThrows(OdooMissingException.class, () -> gateway.user(999_999L));
    assertTrue(e.getMessage().contains("999999"), e.getMessage());
  }

  @Test
  void attendeeStatesAreWrittenAndRead() {
    Map<String, Long> partners = gateway.partnersByEmail(List.of("ann-" + RUN + "@example.com", "ben-" + RUN + "@example.com"), true);
    long ann = partners.get("ann-" + RUN + "@example.com");
    long ben = partners.get("ben-" + RUN + "@example.com");
    long event = gateway.createEvents(List.of(timed("Meeting", 40).withPartners(List.of(ann, ben)))).get(0);
    List<OdooAttendee> attendees = gateway.attendees(List.of(event));
    assertEquals(Set.of(ann, ben), attendees.stream().map(OdooAttendee::partnerId).collect(Collectors.toSet()));
    attendees.forEach(a -> {
      assertEquals(event, a.eventId());
      assertEquals(AttendeeState.NEEDS_ACTION, a.state());
    });
    Map<Long, Long> attendeeByPartner = attendees.stream().collect(Collectors.toMap(OdooAttendee::partnerId, OdooAttendee::id));
    clearCalls();
    gateway.setAttendeeStates(Map.of(attendeeByPartner.get(ann), AttendeeState.ACCEPTED, attendeeByPartner.get(ben), AttendeeState.DECLINED));
    expectCalls("calendar.attendee.write", "calendar.attendee.write");
    Map<Long, AttendeeState> states = gateway.attendees(List.of(event)).stream()
        .collect(Collectors.toMap(OdooAttendee::partnerId, OdooAttendee::state));
    assertEquals(Map.of(ann, AttendeeState.ACCEPTED, ben, AttendeeState.DECLINED), states);
    assertEquals("ann-" + RUN + "@example.com", gateway.attendees(List.of(event)).stream()
        .filter(a -> a.partnerId() == ann).findFirst().orElseThrow().email());
  }

  @Test
  void partnersAlarmsAndSeriesZonesForTheMapping() {
    Map<String, Long> byMail = gateway.partnersByEmail(List.of("cleo-" + RUN + "@example.com"), true);
    long cleo = byMail.get("cleo-" + RUN + "@example.com");
    Map<Long, OdooPartner> partners = gateway.partners(List.of(cleo, 999_999L));
    assertEquals(Set.of(cleo), partners.keySet(), "a partner that does not exist is left out");
    assertEquals("cleo-" + RUN + "@example.com", partners.get(cleo).email());

    long alarm = raw().create("calendar.alarm", Map.of("name", "Contract " + RUN, "alarm_type", "notification",
        "duration", 2, "interval", "hours"));
    OdooAlarm found = gateway.alarms().stream().filter(a -> a.id() == alarm).findFirst().orElseThrow();
    assertEquals(120, found.minutesBefore());
    assertTrue(found.syncable());

    long series = raw().create("calendar.event", Map.of("name", "Weekly " + RUN, "start", "2026-11-30 08:00:00",
        "stop", "2026-11-30 09:00:00", "recurrency", true, "rrule_type", "weekly", "interval", 1, "end_type", "count",
        "count", 3, "mon", true, "event_tz", "Europe/Brussels"));
    Object recurrence = ((Map<?, ?>) RawOdoo.list(raw().call("calendar.event", "read", List.of(List.of((int) series)),
        Map.of("fields", List.of("recurrence_id")))).get(0)).get("recurrence_id");
    long recurrenceId = ((Number) RawOdoo.list(recurrence).get(0)).longValue();
    assertEquals(Map.of(recurrenceId, "Europe/Brussels"), gateway.recurrenceZones(List.of(recurrenceId)));
  }

  /** What Odoo would mail about an event: "subject -> partner id", in the order it made them. */
  private List<String> mailsAbout(long event) {
    return RawOdoo.list(raw().call("mail.mail", "search_read", List.of(List.of(List.of("model", "=", "calendar.event"),
            List.of("res_id", "=", (int) event))), Map.of("fields", List.of("subject", "recipient_ids"), "order", "id")))
        .stream().map(m -> (Map<?, ?>) m)
        .map(m -> m.get("subject") + " -> " + RawOdoo.list(m.get("recipient_ids")).stream().map(String::valueOf)
            .collect(Collectors.joining(","))).sorted().toList();
  }

  @Test
  void odooMailsAttendeesAboutPlainWritesButNotAboutTheGateways() {
    long zoe = gateway.user(zonedUser()).partnerId();
    long me = gateway.user(serviceUid()).partnerId();
    Map<String, Long> byMail = gateway.partnersByEmail(List.of("mia-" + RUN + "@example.com", "max-" + RUN + "@example.com"), true);
    long mia = byMail.get("mia-" + RUN + "@example.com");
    long max = byMail.get("max-" + RUN + "@example.com");
    long noAddress = raw().create("res.partner", Map.of("name", "No address " + RUN));
    String name = "Mailed " + RUN;

    // Plain XML-RPC, as any client: Odoo invites every attendee with an address but the caller.
    long plain = raw().create("calendar.event", Map.of("name", name, "start", "2031-05-05 09:00:00", "stop", "2031-05-05 10:00:00",
        "partner_ids", List.of(List.of(6, 0, List.of((int) me, (int) zoe, (int) mia, (int) noAddress)))));
    List<String> invited = List.of("Invitation to " + name + " -> " + mia, "Invitation to " + name + " -> " + zoe);
    assertEquals(invited.stream().sorted().toList(), mailsAbout(plain));
    raw().call("calendar.event", "write", List.of(List.of((int) plain), Map.of("name", name + "!")), Map.of());
    raw().call("calendar.event", "write", List.of(List.of((int) plain), Map.of("start", "2031-05-05 11:00:00",
        "stop", "2031-05-05 12:00:00")), Map.of());
    raw().call("calendar.event", "write", List.of(List.of((int) plain), Map.of("partner_ids", List.of(List.of(4, (int) max)))), Map.of());
    raw().call("calendar.event", "write", List.of(List.of((int) plain), Map.of("active", false)), Map.of());
    List<String> all = new ArrayList<>(invited);
    all.addAll(List.of(name + "!: Date updated -> " + mia, name + "!: Date updated -> " + zoe, "Invitation to " + name + "! -> " + max));
    assertEquals(all.stream().sorted().toList(), mailsAbout(plain), "renaming and archiving mail nobody");
    long past = raw().create("calendar.event", Map.of("name", name, "start", "2021-05-05 09:00:00", "stop", "2021-05-05 10:00:00",
        "partner_ids", List.of(List.of(6, 0, List.of((int) zoe, (int) mia)))));
    assertEquals(List.of(), mailsAbout(past), "nobody is invited to the past");

    // The gateway writes what Outlook has already mailed about: Odoo mails nobody.
    Instant start = Instant.parse("2031-05-06T09:00:00Z");
    long synced = gateway.createEvents(List.of(OdooEventDraft.timed(name, start, start.plusSeconds(3600))
        .withPartners(List.of(me, zoe, mia)))).get(0);
    gateway.writeEvents(Map.of(synced, EventChanges.of().times(start.plusSeconds(7200), start.plusSeconds(10800))));
    gateway.writeEvents(Map.of(synced, EventChanges.of().partners(List.of(me, zoe, mia, max))));
    gateway.archiveEvents(List.of(synced));
    assertEquals(List.of(), mailsAbout(synced));
  }

  @Test
  void odooDownIsUnavailableAndRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OdooConfig c = config();
    OdooGateway down = gateway(new OdooConfig(java.net.URI.create("http://127.0.0.1:" + port), c.database(),
        c.login(), c.apiKey(), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    OdooUnavailableException e = assertThrows(OdooUnavailableException.class, down::version);
    assertTrue(e.retryable());
    assertThrows(OdooUnavailableException.class, () -> down.events(List.of(1L)));
  }

  // ---- Series (calendar.recurrence): facts checked against a real Odoo 18, see docs/recurrence.md

  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  /** The service user (admin) speaks en_US, whose weeks start on Sunday. */
  static final DayOfWeek WEEK_START = DayOfWeek.SUNDAY;

  /** A series from {@code rule}'s first date at 09:00 in its zone, lasting an hour; the recurrence read back. */
  private OdooRecurrence createSeries(String name, Recurrence rule) {
    Mapped<OdooRule> odoo = OdooRecurrenceMapper.toOdoo(rule, WEEK_START);
    assertNotNull(odoo.value(), odoo.notes().toString());
    Instant nine = rule.startDate().atTime(9, 0).atZone(rule.zone()).toInstant();
    long first = gateway.createSeries(OdooEventDraft.timed(name + " " + RUN, nine, nine.plus(Duration.ofHours(1))), odoo.value());
    OdooEvent created = gateway.events(List.of(first)).items().get(0);
    assertTrue(created.recurrency());
    assertNotNull(created.recurrenceId(), "the first event is the series' first occurrence");
    return gateway.recurrences(List.of(created.recurrenceId())).items().get(0);
  }

  private List<OdooSeriesEvent> active(long recurrenceId) {
    return gateway.seriesEvents(List.of(recurrenceId)).stream().filter(OdooSeriesEvent::active).toList();
  }

  private static List<Instant> starts(List<OdooSeriesEvent> events) {
    return events.stream().map(OdooSeriesEvent::start).sorted().toList();
  }

  private static List<Instant> expected(Recurrence rule, int limit) {
    Instant nine = rule.startDate().atTime(9, 0).atZone(rule.zone()).toInstant();
    List<Occurrences.Occurrence> all = Occurrences.between(rule,
        When.timed(nine, nine.plus(Duration.ofHours(1)), rule.zone()), nine,
        nine.plus(Duration.ofDays(366L * 30)));
    return all.subList(0, Math.min(limit, all.size())).stream().map(o -> o.when().start()).toList();
  }

  private static Recurrence rule(Recurrence.Pattern p, int interval, Set<DayOfWeek> days, int day, Recurrence.WeekIndex index,
                                 int month, String start, Recurrence.End end, String until, int count) {
    return new Recurrence(p, interval, days, WEEK_START, day, index, month, Recurrence.ShortMonths.SKIP, LocalDate.parse(start),
        end, until == null ? null : LocalDate.parse(until), count, BRUSSELS);
  }

  /** Rules Odoo holds exactly: every pattern and end type it has, DST inside, month ends and Feb 29. */
  static List<Recurrence> odooRules() {
    return List.of(
        rule(Recurrence.Pattern.DAILY, 3, null, 0, null, 0, "2027-02-22", Recurrence.End.COUNT, null, 5),
        rule(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), 0, null, 0, "2027-02-22",
            Recurrence.End.END_DATE, "2027-04-08", 0),
        rule(Recurrence.Pattern.WEEKLY, 2, Recurrence.days(DayOfWeek.MONDAY, DayOfWeek.SATURDAY), 0, null, 0, "2027-02-24",
            Recurrence.End.COUNT, null, 6),
        rule(Recurrence.Pattern.ABSOLUTE_MONTHLY, 1, null, 31, null, 0, "2027-01-31", Recurrence.End.COUNT, null, 5),
        rule(Recurrence.Pattern.RELATIVE_MONTHLY, 2, Recurrence.days(DayOfWeek.FRIDAY), 0, Recurrence.WeekIndex.LAST, 0,
            "2027-02-22", Recurrence.End.END_DATE, "2027-12-31", 0),
        rule(Recurrence.Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(DayOfWeek.TUESDAY), 0, Recurrence.WeekIndex.SECOND, 0,
            "2027-02-22", Recurrence.End.COUNT, null, 4),
        rule(Recurrence.Pattern.ABSOLUTE_YEARLY, 1, null, 29, null, 2, "2028-02-29", Recurrence.End.COUNT, null, 3),
        rule(Recurrence.Pattern.ABSOLUTE_YEARLY, 2, null, 22, null, 2, "2027-02-22", Recurrence.End.END_DATE, "2035-01-01", 0));
  }

  @Test
  void theWeekStartsOnTheServiceUsersLanguagesFirstDay() {
    assertEquals(DayOfWeek.SUNDAY, gateway.weekStart(), "en_US");
    Object gb = raw().call("res.lang", "search", List.of(List.of(List.of("code", "=", "en_GB"), "|",
        List.of("active", "=", true), List.of("active", "=", false))), Map.of());
    int gbId = (Integer) RawOdoo.list(gb).get(0);
    raw().call("res.lang", "write", List.of(List.of(gbId), Map.of("active", true)), Map.of());
    raw().call("res.users", "write", List.of(List.of((int) serviceUid()), Map.of("lang", "en_GB")), Map.of());
    try {
      assertEquals(DayOfWeek.MONDAY, gateway.weekStart(), "en_GB");
      // Odoo expands this user's rules with Monday weeks: Sunday 03-07 is in the week of Monday 03-01.
      Recurrence sundayMonday = new Recurrence(Recurrence.Pattern.WEEKLY, 2, Recurrence.days(DayOfWeek.MONDAY, DayOfWeek.SUNDAY),
          DayOfWeek.MONDAY, 0, null, 0, null, LocalDate.parse("2027-03-01"), Recurrence.End.COUNT, null, 4, BRUSSELS);
      Mapped<OdooRule> rule = OdooRecurrenceMapper.toOdoo(sundayMonday, DayOfWeek.MONDAY);
      Instant nine = sundayMonday.startDate().atTime(9, 0).atZone(BRUSSELS).toInstant();
      long first = gateway.createSeries(OdooEventDraft.timed("Monday weeks " + RUN, nine, nine.plus(Duration.ofHours(1))), rule.value());
      long rec = gateway.events(List.of(first)).items().get(0).recurrenceId();
      assertEquals(expected(sundayMonday, 10), starts(active(rec)));
    } finally {
      raw().call("res.users", "write", List.of(List.of((int) serviceUid()), Map.of("lang", "en_US")), Map.of());
    }
  }

  @Test
  void aSeriesCreatedInOneCallExpandsAsTheCoreDoesAndReadsBackAsItsRule() {
    int n = 0;
    for (Recurrence rule : odooRules()) {
      OdooRecurrence rec = createSeries("Rule" + n++, rule);
      assertEquals(expected(rule, 1000), starts(active(rec.id())), rule.toString());
      assertEquals(rule.startDate().atTime(9, 0).atZone(BRUSSELS).toInstant(), rec.dtstart());
      Mapped<Recurrence> back = OdooRecurrenceMapper.toCore(rec.rule(), rule.startDate(),
          WEEK_START, ZoneOffset.UTC);
      assertEquals(rule, back.value(), back.notes().toString());
      if (rule.dayOfMonth() > 0) {
        // What Odoo expands the series by later (Odoo 17 keeps a yearly rule's day as the day it was saved on).
        assertEquals(rule.dayOfMonth(), rec.rule().day(), "the day Odoo keeps for " + rule);
      }
    }
  }

  @Test
  void aWeeklySeriesAcrossDstKeepsItsWallClockAndAForeverOneStopsAt720() {
    Recurrence weekly = new Recurrence(
        Recurrence.Pattern.WEEKLY, 1, Recurrence.days(DayOfWeek.MONDAY),
        null, 0, null, 0, null, LocalDate.parse("2027-03-15"), Recurrence.End.NO_END, null, 0, BRUSSELS);
    OdooRecurrence rec = createSeries("Forever", weekly);
    List<Instant> starts = starts(active(rec.id()));
    assertEquals(OdooRecurrenceMapper.MAX_EVENTS, starts.size(), "Odoo stops a forever rule at 720 events");
    // Odoo converts with pytz, whose tables stop at 2037: from 2038 its summers have no DST (an hour off).
    Instant pytzEnd = Instant.parse("2038-01-01T00:00:00Z");
    assertEquals(expected(weekly, 720).stream().filter(i -> i.isBefore(pytzEnd)).toList(),
        starts.stream().filter(i -> i.isBefore(pytzEnd)).toList());
    assertEquals(Instant.parse("2027-03-22T08:00:00Z"), starts.get(1));
    assertEquals(Instant.parse("2027-03-29T07:00:00Z"), starts.get(2), "09:00 in Brussels after the change too");
    // Odoo reads its own rule (COUNT=720) back into the fields: "forever" is stored as a count of 720, and so is
    // a count of 1000.
    assertEquals("count", rec.rule().endType());
    assertEquals(720, rec.rule().count());
    assertEquals(new Recurrence(weekly.pattern(), 1, weekly.daysOfWeek(), null, 0, null, 0, null, weekly.startDate(),
        Recurrence.End.COUNT, null, 720, BRUSSELS),
        OdooRecurrenceMapper.toCore(rec.rule(), weekly.startDate(), WEEK_START, BRUSSELS).value());
    OdooEvent first = gateway.events(List.of(rec.baseEventId())).items().get(0);
    OdooRule thousand = new OdooRule("daily", 1, "count", 1000, null, Set.of(), null, 0, null, null, "Europe/Brussels");
    long big = gateway.createSeries(OdooEventDraft.timed("Thousand " + RUN, first.start(), first.stop()), thousand);
    OdooRecurrence stored = gateway.recurrences(List.of(gateway.events(List.of(big)).items().get(0).recurrenceId())).items().get(0);
    assertEquals(720, stored.rule().count(), "Odoo keeps a count of 1000 as 720");
    nextSecond(); // 1440 events share this second: later watermark reads start after it
  }

  /**
   * How a series without end could go on past Odoo's 720 events (docs/recurrence.md, "Not built yet"): "this and
   * following" on the last event with a new count of 720 ends the old rule the day before and makes the last event
   * (id kept) the first of a new rule of 720 more, the days following on without a gap or a repeat.
   */
  @Test
  void aForeverDailySeriesGoesOnFromItsLastEventAsANewRule() {
    Recurrence daily = new Recurrence(Recurrence.Pattern.DAILY, 1, Set.of(), null, 0, null, 0, null,
        LocalDate.parse("2027-01-04"), Recurrence.End.NO_END, null, 0, BRUSSELS);
    OdooRecurrence rec = createSeries("Daily forever", daily);
    List<OdooSeriesEvent> held = active(rec.id()).stream().sorted(Comparator.comparing(OdooSeriesEvent::start)).toList();
    assertEquals(720, held.size());
    OdooSeriesEvent last = held.get(719);
    OdooRule more = new OdooRule("daily", 1, "count", 720, null, Set.of(), null, 0, null, null, "Europe/Brussels");
    gateway.writeSeries(last.id(), EventChanges.of(), more, SeriesScope.FUTURE_EVENTS);

    OdooEvent head = gateway.events(List.of(last.id())).items().get(0);
    assertTrue(head.active(), "the last event is kept");
    assertNotEquals(Long.valueOf(rec.id()), head.recurrenceId(), "and heads a new rule");
    OdooRecurrence next = gateway.recurrences(List.of(head.recurrenceId())).items().get(0);
    assertEquals(720, next.rule().count());
    List<Instant> old = starts(active(rec.id()));
    List<Instant> continued = starts(active(head.recurrenceId()));
    assertEquals(719, old.size(), "the old rule ends the day before");
    assertEquals(720, continued.size());
    assertEquals(last.start(), continued.get(0));
    List<Instant> all = new ArrayList<>(old);
    all.addAll(continued);
    assertEquals(expected(daily, 1439).stream().filter(i -> i.isBefore(Instant.parse("2038-01-01T00:00:00Z"))).toList(),
        all.stream().filter(i -> i.isBefore(Instant.parse("2038-01-01T00:00:00Z"))).toList(), "every day once");
    nextSecond();
  }

  private OdooRecurrence fiveMondays(String name) {
    return createSeries(name, new Recurrence(Recurrence.Pattern.WEEKLY,
        1, Recurrence.days(DayOfWeek.MONDAY), null, 0, null, 0, null,
        LocalDate.parse("2027-06-07"), Recurrence.End.COUNT, null, 5, BRUSSELS));
  }

  @Test
  void oneOccurrenceMovedBecomesAnExceptionAndOneArchivedStaysInTheSeries() {
    OdooRecurrence rec = fiveMondays("Self");
    List<OdooSeriesEvent> events = active(rec.id());
    OdooSeriesEvent third = events.get(2);
    gateway.writeSeries(third.id(), EventChanges.of().times(third.start().plus(Duration.ofHours(2)), third.stop().plus(Duration.ofHours(2))),
        null, SeriesScope.SELF_ONLY);
    gateway.archiveEvents(List.of(events.get(4).id()));
    OdooUserError refused = assertThrows(OdooUserError.class, () -> gateway.writeSeries(events.get(1).id(), EventChanges.of(),
        OdooRecurrenceMapper.toOdoo(new Recurrence(Recurrence.Pattern.DAILY,
            1, null, null, 0, null, 0, null, LocalDate.parse("2027-06-07"), Recurrence.End.COUNT,
            null, 2, BRUSSELS), WEEK_START).value(), SeriesScope.SELF_ONLY));
    assertTrue(refused.getMessage().contains("This Event"), refused.getMessage());

    List<OdooSeriesEvent> after = gateway.seriesEvents(List.of(rec.id()));
    assertEquals(5, after.size(), "nobody left the series");
    OdooSeriesEvent moved = after.stream().filter(e -> e.id() == third.id()).findFirst().orElseThrow();
    assertFalse(moved.follows());
    assertEquals(third.start().plus(Duration.ofHours(2)), moved.start());
    OdooSeriesEvent archived = after.stream().filter(e -> e.id() == events.get(4).id()).findFirst().orElseThrow();
    assertFalse(archived.active());
    assertEquals(rec.id(), archived.recurrenceId());
    OdooRecurrence now = gateway.recurrences(List.of(rec.id())).items().get(0);
    assertEquals(4, now.eventIds().size(), "calendar_event_ids holds active events only");
    assertEquals(5, now.rule().count(), "the rule is unchanged");
  }

  @Test
  void allEventsWithoutATimeChangeWritesEveryEventKeepingIdsAndExceptions() {
    OdooRecurrence rec = fiveMondays("All");
    List<OdooSeriesEvent> events = active(rec.id());
    OdooSeriesEvent second = events.get(1);
    gateway.writeSeries(second.id(), EventChanges.of().times(second.start().plus(Duration.ofHours(1)), second.stop().plus(Duration.ofHours(1))),
        null, SeriesScope.SELF_ONLY);
    gateway.writeSeries(events.get(3).id(), EventChanges.of().name("Renamed " + RUN), null, SeriesScope.ALL_EVENTS);
    List<OdooSeriesEvent> after = active(rec.id());
    assertEquals(events.stream().map(OdooSeriesEvent::id).sorted().toList(), after.stream().map(OdooSeriesEvent::id).sorted().toList());
    assertTrue(gateway.events(after.stream().map(OdooSeriesEvent::id).toList()).items().stream()
        .allMatch(e -> e.name().equals("Renamed " + RUN)), "the exception is renamed too");
    assertFalse(after.stream().filter(e -> e.id() == second.id()).findFirst().orElseThrow().follows(), "and stays an exception");
  }

  @Test
  void allEventsWithATimeChangeRecreatesTheSeriesFromItsFirstEvent() {
    OdooRecurrence rec = fiveMondays("Move");
    List<OdooSeriesEvent> events = active(rec.id());
    OdooSeriesEvent exception = events.get(2);
    gateway.writeSeries(exception.id(), EventChanges.of().times(exception.start().plus(Duration.ofHours(3)), exception.stop().plus(Duration.ofHours(3))),
        null, SeriesScope.SELF_ONLY);
    OdooSeriesEvent fourth = events.get(3);
    gateway.writeSeries(fourth.id(), EventChanges.of().times(fourth.start().plus(Duration.ofHours(1)), fourth.stop().plus(Duration.ofHours(1))),
        null, SeriesScope.ALL_EVENTS);

    assertTrue(gateway.recurrences(List.of(rec.id())).missing().contains(rec.id()), "the old rule is deleted");
    OdooEvent first = gateway.events(List.of(events.get(0).id())).items().get(0);
    assertTrue(first.active(), "the first event is kept, shifted by the edit's hour");
    assertEquals(events.get(0).start().plus(Duration.ofHours(1)), first.start());
    OdooRecurrence renewed = gateway.recurrences(List.of(first.recurrenceId())).items().get(0);
    List<OdooSeriesEvent> now = active(renewed.id());
    assertEquals(5, now.size());
    assertTrue(now.stream().allMatch(OdooSeriesEvent::follows), "the exception is gone");
    assertEquals(Set.of(events.get(0).id()), now.stream().map(OdooSeriesEvent::id)
        .filter(id -> events.stream().anyMatch(e -> e.id() == id)).collect(Collectors.toSet()), "the others are new events");
    assertEquals(events.stream().map(e -> e.start().plus(Duration.ofHours(1))).toList(), starts(now));
    assertTrue(gateway.events(events.stream().skip(1).map(OdooSeriesEvent::id).toList()).items().stream().noneMatch(OdooEvent::active),
        "the old occurrences are archived");
  }

  @Test
  void thisAndFollowingSplitsTheSeries() {
    OdooRecurrence rec = fiveMondays("Split");
    List<OdooSeriesEvent> events = active(rec.id());
    OdooSeriesEvent third = events.get(2);
    gateway.writeSeries(third.id(), EventChanges.of().name("Later " + RUN)
        .times(third.start().plus(Duration.ofHours(1)), third.stop().plus(Duration.ofHours(1))), null, SeriesScope.FUTURE_EVENTS);

    OdooRecurrence old = gateway.recurrences(List.of(rec.id())).items().get(0);
    assertEquals("end_date", old.rule().endType());
    assertEquals(LocalDate.parse("2027-06-19"), old.rule().until(), "the day before the week (from Sunday) of the split");
    assertEquals(events.subList(0, 2).stream().map(OdooSeriesEvent::id).toList(), active(rec.id()).stream().map(OdooSeriesEvent::id).toList());

    OdooEvent head = gateway.events(List.of(third.id())).items().get(0);
    assertTrue(head.active(), "the edited event heads the new series");
    OdooRecurrence split = gateway.recurrences(List.of(head.recurrenceId())).items().get(0);
    assertEquals("count", split.rule().endType());
    assertEquals(3, split.rule().count(), "as many as left the old series");
    assertEquals(events.subList(2, 5).stream().map(e -> e.start().plus(Duration.ofHours(1))).toList(), starts(active(split.id())));
    assertTrue(gateway.events(List.of(events.get(3).id(), events.get(4).id())).items().stream().noneMatch(OdooEvent::active),
        "the following events were archived and made anew");
  }
}
