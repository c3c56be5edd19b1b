package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
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
}
