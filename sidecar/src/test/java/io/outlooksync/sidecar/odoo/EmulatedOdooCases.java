package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooFault;
import io.outlooksync.fixtures.odoo.Outage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway contract against the Odoo emulator, plus what only the emulator can stage: outages and faults. One
 * subclass per protocol, each with its emulator of the matching release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatedOdooCases extends OdooGatewayContract {
  final MovableClock clock = new MovableClock(Instant.parse("2026-03-02T09:15:00Z"));
  OdooEmulator odoo;
  RawOdoo raw;

  @BeforeAll
  void start() throws Exception {
    odoo = OdooEmulator.builder().database("sync").clock(clock).version(major())
        .user(io.outlooksync.fixtures.odoo.OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync")
            .email("sync@example.com").asAdmin())
        .user(io.outlooksync.fixtures.odoo.OdooUser.of(ZONED_LOGIN, "zoe-pw").name("Zoe")
            .email("zoe-" + RUN + "@example.com").tz("Europe/Brussels"))
        .build().start();
    raw = new RawOdoo(odoo.url(), "sync", odoo.uid("sync"), "sync-key");
  }

  @AfterAll
  void stop() {
    odoo.close();
  }

  @AfterEach
  void heal() {
    odoo.outage(Outage.NONE);
    odoo.controls().failNext(0, null).serviceTime(Duration.ZERO);
  }

  @Override
  protected OdooConfig config() {
    return OdooConfig.of(odoo.url(), "sync", "sync", "sync-key");
  }

  @Override
  protected long serviceUid() {
    return odoo.uid("sync");
  }

  @Override
  protected RawOdoo raw() {
    return raw;
  }

  @Override
  protected void nextSecond() {
    clock.advance(Duration.ofSeconds(1));
  }

  @Override
  protected boolean hasOurAddon() {
    return true; // the emulator is Odoo with our addon installed
  }

  @Override
  protected long zonedUser() {
    return odoo.uid(ZONED_LOGIN);
  }

  @Override
  protected List<String> calls() {
    return odoo.calls().calls();
  }

  @Override
  protected void clearCalls() {
    odoo.calls().clear();
  }

  @Test
  void ourWritesCarryTheOriginContextAndReadsDoNot() {
    Instant start = Instant.parse("2026-05-04T09:00:00Z");
    clearCalls();
    List<Long> ids = gateway.createEvents(List.of(OdooEventDraft.timed("Origin", start, start.plusSeconds(3600))));
    gateway.writeEvents(Map.of(ids.get(0), EventChanges.of().location("Room 1")));
    gateway.archiveEvents(ids);
    gateway.partnersByEmail(List.of("origin-" + RUN + "@example.com"), true);
    gateway.events(ids);
    List<String> calls = odoo.calls().calls();
    List<Map<?, ?>> contexts = odoo.calls().contexts();
    int writes = 0;
    for (int i = 0; i < calls.size(); i++) {
      boolean write = calls.get(i).endsWith(".create") || calls.get(i).endsWith(".write");
      assertEquals(write ? true : null, contexts.get(i).get("outlook_sync_origin"), calls.get(i));
      writes += write ? 1 : 0;
    }
    assertEquals(4, writes, calls.toString());
  }

  @Test
  void aProxyErrorIsUnavailable() {
    odoo.outage(Outage.BAD_GATEWAY);
    OdooUnavailableException e = assertThrows(OdooUnavailableException.class, () -> gateway.events(List.of(1L)));
    assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
    odoo.outage(Outage.SERVICE_UNAVAILABLE);
    assertThrows(OdooUnavailableException.class, gateway::version);
    odoo.outage(Outage.REFUSED);
    assertThrows(OdooUnavailableException.class, gateway::version);
    odoo.outage(Outage.NONE);
    assertEquals(major(), gateway.version().major());
  }

  @Test
  void aSlowReplyTimesOut() {
    OdooGateway impatient = gateway(config().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)));
    odoo.controls().serviceTime(Duration.ofMillis(1_500));
    OdooUnavailableException e = assertThrows(OdooUnavailableException.class, impatient::version);
    assertTrue(e.getMessage().contains("SocketTimeoutException"), e.getMessage());
  }

  @Test
  void faultsBecomeTypedExceptionsWithShortMessages() {
    odoo.controls().failNext(1, OdooFault.accessDenied());
    assertThrows(OdooAuthException.class, () -> gateway.events(List.of(7L)));

    odoo.controls().failNext(1, OdooFault.accessError("You are not allowed to modify 'Meeting' (calendar.event) records.\n\nDetails"));
    OdooAccessException access = assertThrows(OdooAccessException.class, () -> gateway.archiveEvents(List.of(7L, 8L)));
    assertEquals("calendar.event.write ids 7,8: You are not allowed to modify 'Meeting' (calendar.event) records.", access.getMessage());

    odoo.controls().failNext(1, OdooFault.userError("The ending date and time cannot be earlier than the starting date and time.\n"
        + "Meeting \u201cSecret board meeting\u201d starts at ..."));
    OdooUserError user = assertThrows(OdooUserError.class, () -> gateway.writeEvents(Map.of(9L, EventChanges.of().name("x"))));
    assertTrue(user.getMessage().startsWith("calendar.event.write ids 9: The ending date"), user.getMessage());
    assertFalse(user.getMessage().contains("Secret"), "record content stays out of the message");

    odoo.controls().failNext(1, OdooFault.serverError("psycopg2.errors.SerializationFailure", "could not serialize access"));
    OdooException other = assertThrows(OdooException.class, () -> gateway.attendees(List.of(3L)));
    assertEquals(OdooException.class, other.getClass());
    assertTrue(other.getMessage().startsWith("calendar.attendee.search_read ids 3: "), other.getMessage());
    assertTrue(other.getMessage().endsWith(" psycopg2.errors.SerializationFailure: could not serialize access"), other.getMessage());
    assertFalse(other.getMessage().contains("Traceback"));
  }

  @Test
  void aFailedCreateWritesNothing() {
    clearCalls();
    List<Long> before = gateway.eventsChangedSince(Instant.EPOCH, 0, 10_000).items().stream().map(OdooEvent::id).toList();
    // the second draft's organizer does not exist: Odoo rejects the whole call, the first is not kept either
    OdooException e = assertThrows(OdooException.class, () -> gateway.createEvents(List.of(
        OdooEventDraft.timed("Fine", Instant.parse("2026-05-01T08:00:00Z"), Instant.parse("2026-05-01T09:00:00Z")),
        OdooEventDraft.timed("Bad", Instant.parse("2026-05-01T08:00:00Z"), Instant.parse("2026-05-01T09:00:00Z")).withOrganizer(424_242))));
    assertTrue(e.getMessage().startsWith("calendar.event.create"), e.getMessage());
    List<Long> after = gateway.eventsChangedSince(Instant.EPOCH, 0, 10_000).items().stream().map(OdooEvent::id).toList();
    assertEquals(before, after);
  }
}
