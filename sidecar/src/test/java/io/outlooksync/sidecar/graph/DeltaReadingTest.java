package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delta rounds through the gateway against the emulator: paging, changes, expiry, token refresh, series. */
class DeltaReadingTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final String ALICE = "alice@example.com";
  static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant TO = Instant.parse("2027-03-01T00:00:00Z");
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private EmulatorMailbox alice;
  private GraphGateway gateway;

  @BeforeEach
  void signIn() throws Exception {
    alice = new EmulatorMailbox(m365.emulator(), ALICE);
    gateway = alice.gateway(alice.clients());
  }

  static GraphWrite.Create create(int n) {
    Instant start = Instant.parse("2026-12-01T08:00:00Z").plus(Duration.ofHours(n));
    return new GraphWrite.Create(GraphEventDraft.timed("Event " + n, start, start.plus(Duration.ofMinutes(30)), PARIS)
        .withTag("db1:" + n), "tx-" + n);
  }

  private List<WriteResult> createEvents(int count) {
    List<GraphWrite> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writes.add(create(i));
    }
    List<WriteResult> results = gateway.write(writes);
    results.forEach(r -> assertEquals(WriteResult.Status.OK, r.status(), r.toString()));
    return results;
  }

  @Test
  void fullRoundInPagesThenOnlyTheChanges() {
    List<WriteResult> created = createEvents(25);

    List<DeltaPage> pages = new ArrayList<>();
    DeltaPage page = gateway.firstPage(FROM, TO, 10);
    pages.add(page);
    while (!page.last()) {
      page = gateway.nextPage(page.nextLink(), 10);
      pages.add(page);
    }
    assertEquals(List.of(10, 10, 5), pages.stream().map(p -> p.items().size()).toList());
    assertNotNull(page.deltaLink());
    List<GraphEvent> events = pages.stream().flatMap(p -> p.items().stream()).map(GraphEvent.class::cast).toList();
    assertEquals(25, events.stream().map(GraphEvent::id).distinct().count());
    GraphEvent first = events.stream().filter(e -> "Event 0".equals(e.subject())).findFirst().orElseThrow();
    assertEquals("db1:0", first.odooTag(), "the tag comes back through $expand");
    assertEquals(Instant.parse("2026-12-01T08:00:00Z"), first.start());
    assertEquals("Romance Standard Time", first.originalStartTimeZone());
    assertEquals(GraphEvent.Kind.SINGLE_INSTANCE, first.kind());
    assertNotNull(first.changeKey());
    assertNotNull(first.iCalUId());

    // Changes: one new, one updated, one deleted.
    String updatedId = created.get(3).id();
    String deletedId = created.get(4).id();
    GraphEventDraft renamed = GraphEventDraft.timed("Renamed", Instant.EPOCH, Instant.EPOCH, PARIS);
    List<WriteResult> changes = gateway.write(List.of(
        create(100),
        new GraphWrite.Update(updatedId, renamed, EnumSet.of(GraphEventDraft.Field.SUBJECT), null),
        new GraphWrite.Delete(deletedId)));
    changes.forEach(r -> assertEquals(WriteResult.Status.OK, r.status(), r.toString()));

    DeltaPage next = gateway.nextPage(page.deltaLink(), 10);
    assertTrue(next.last());
    assertEquals(3, next.items().size(), next.items().toString());
    Set<String> subjects = next.items().stream().filter(i -> i instanceof GraphEvent).map(i -> ((GraphEvent) i).subject())
        .collect(Collectors.toSet());
    assertEquals(Set.of("Event 100", "Renamed"), subjects);
    DeltaItem.Removed removed = next.items().stream().filter(i -> i instanceof DeltaItem.Removed)
        .map(DeltaItem.Removed.class::cast).findFirst().orElseThrow();
    assertEquals(deletedId, removed.id());
    assertEquals("deleted", removed.reason());
  }

  @Test
  void expiredDeltaTokenOnANextLinkMidRound() {
    createEvents(12);
    DeltaPage first = gateway.firstPage(FROM, TO, 5);
    assertNotNull(first.nextLink());
    m365.emulator().expireDeltaTokens(ALICE);
    DeltaExpiredException e = assertThrows(DeltaExpiredException.class, () -> gateway.nextPage(first.nextLink(), 5));
    assertEquals(410, e.status());
  }

  @Test
  void accessTokenExpiringMidRoundIsRefreshedOnce() {
    createEvents(12);
    DeltaPage page = gateway.firstPage(FROM, TO, 5);
    int seen = page.items().size();
    m365.emulator().expireAccessTokens(ALICE);
    while (!page.last()) {
      page = gateway.nextPage(page.nextLink(), 5);
      seen += page.items().size();
    }
    assertEquals(12, seen);
    assertEquals(1, alice.forcedRefreshes.get(), "one forced refresh, then the new token serves the rest");
    assertNotNull(page.deltaLink());
  }

  @Test
  void occurrencesArriveAsStubsAndInstancesReadTheWholeSeries() throws Exception {
    // The gateway writes no series (Odoo cannot create recurring events in Outlook here); set one up directly.
    var reply = alice.raw("POST", "/me/events", """
        {"subject":"Daily stand-up","start":{"dateTime":"2026-11-02T09:00:00","timeZone":"Romance Standard Time"},
         "end":{"dateTime":"2026-11-02T09:15:00","timeZone":"Romance Standard Time"},
         "recurrence":{"pattern":{"type":"daily","interval":1},
                       "range":{"type":"numbered","startDate":"2026-11-02","numberOfOccurrences":110}}}""");
    assertEquals(201, reply.statusCode(), reply.body());

    List<DeltaItem> items = new ArrayList<>();
    DeltaPage page = gateway.firstPage(FROM, TO, 50);
    items.addAll(page.items());
    while (!page.last()) {
      page = gateway.nextPage(page.nextLink(), 50);
      items.addAll(page.items());
    }
    assertEquals(110, items.size());
    Set<String> masters = new HashSet<>();
    for (DeltaItem item : items) {
      DeltaItem.OccurrenceStub stub = assertInstanceOf(DeltaItem.OccurrenceStub.class, item);
      masters.add(stub.seriesMasterId());
      assertEquals(Duration.ofMinutes(15), Duration.between(stub.start(), stub.end()));
    }
    assertEquals(1, masters.size());
    String masterId = masters.iterator().next();

    GraphEvent master = gateway.event(masterId).orElseThrow();
    assertEquals(GraphEvent.Kind.SERIES_MASTER, master.kind());
    assertEquals("daily", master.recurrence().patternType());
    assertEquals(110, master.recurrence().numberOfOccurrences());

    List<GraphEvent> instances = gateway.instances(masterId, FROM, TO);
    assertEquals(110, instances.size(), "more than one page of 100");
    assertTrue(instances.stream().allMatch(i -> i.kind() == GraphEvent.Kind.OCCURRENCE && "Daily stand-up".equals(i.subject())));
    assertEquals(110, instances.stream().map(GraphEvent::id).distinct().count());
    assertNull(instances.get(0).odooTag());
    // A winter 09:00 in Paris is 08:00 UTC.
    assertEquals(Instant.parse("2026-11-02T08:00:00Z"), instances.get(0).start());
  }

  @Test
  void missingEventIsEmpty() {
    assertTrue(gateway.event("AAMkNoSuchEvent").isEmpty());
  }
}
