package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.RequestLog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code $batch} writes through the gateway against the emulator: sizes, slots, retries, idempotence, zones. */
class BatchWriterTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";

  private EmulatorMailbox alice;
  private GraphClients clients;
  private GraphGateway gateway;

  @BeforeEach
  void signIn() throws Exception {
    alice = new EmulatorMailbox(m365.emulator(), ALICE);
    clients = alice.clients();
    gateway = alice.gateway(clients);
  }

  private static List<GraphWrite> creates(int count) {
    List<GraphWrite> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writes.add(DeltaReadingTest.create(i));
    }
    return writes;
  }

  private Map<String, GraphEvent> eventsInMailbox() {
    Map<String, GraphEvent> out = new java.util.HashMap<>();
    DeltaPage page = gateway.firstPage(DeltaReadingTest.FROM, DeltaReadingTest.TO, 200);
    while (true) {
      page.items().forEach(i -> out.put(i.id(), (GraphEvent) i));
      if (page.last()) {
        return out;
      }
      page = gateway.nextPage(page.nextLink(), 200);
    }
  }

  @Test
  void fortyFiveCreatesAreThreeBatchesEachEventTagged() {
    M365Emulator emulator = m365.emulator();
    long before = emulator.requestLog().httpRequests(ALICE);
    List<WriteResult> results = gateway.write(creates(45));
    assertEquals(3, emulator.requestLog().httpRequests(ALICE) - before, "three $batch requests");
    assertEquals(45, results.size());
    for (int i = 0; i < 45; i++) {
      WriteResult r = results.get(i);
      assertEquals(WriteResult.Status.OK, r.status());
      assertEquals(201, r.httpStatus());
      assertEquals("Event " + i, r.event().subject(), "results come back in the order of the writes");
      assertEquals(r.id(), r.event().id());
      assertTrue(r.id().length() > 100, "immutable ids are long");
    }
    assertEquals(45, emulator.mailbox(ALICE).storedEvents().size());
    Map<String, GraphEvent> stored = eventsInMailbox();
    assertEquals(45, stored.size());
    for (int i = 0; i < 45; i++) {
      assertEquals("db1:" + i, stored.get(results.get(i).id()).odooTag());
    }
  }

  @Test
  void neverMoreThanFourInFlightWhileReadsShareTheMailbox() throws Exception {
    M365Emulator emulator = m365.emulator();
    emulator.controls().serviceMillis(30);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger maxSeen = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> sampler = pool.submit(() -> {
        while (running.get()) {
          maxSeen.accumulateAndGet(emulator.inFlight(ALICE), Math::max);
          Thread.onSpinWait();
        }
      });
      // Another engine thread reads the same mailbox meanwhile, through its own gateway of the same GraphClients.
      GraphGateway reader = alice.gateway(clients);
      Future<?> reads = pool.submit(() -> {
        for (int i = 0; i < 15; i++) {
          reader.event("AAMkNoSuchEvent");
        }
      });
      List<WriteResult> results = gateway.write(creates(60));
      reads.get();
      running.set(false);
      sampler.get();
      results.forEach(r -> assertEquals(WriteResult.Status.OK, r.status()));
    } finally {
      pool.shutdownNow();
    }
    assertTrue(maxSeen.get() >= 2, "the sampler saw parallel work: " + maxSeen.get());
    assertTrue(maxSeen.get() <= 4, "in flight at once: " + maxSeen.get());
    assertTrue(emulator.requestLog().select(e -> ALICE.equals(e.mailbox()) && e.status() == 429).isEmpty(),
        () -> "the mailbox's slots were never overrun, so Graph never throttled: "
            + emulator.requestLog().select(e -> ALICE.equals(e.mailbox()) && e.status() == 429));
  }

  @Test
  void stepsThrottledBecauseOthersHoldTheSlotsAreRetried() throws Exception {
    M365Emulator emulator = m365.emulator();
    emulator.controls().serviceMillis(100);
    try (AutoCloseable others = alice.holdThreeSlots()) {
      List<WriteResult> results = gateway.write(creates(12));
      results.forEach(r -> assertEquals(WriteResult.Status.OK, r.status(), r.toString()));
    }
    List<RequestLog.Entry> throttledSteps = emulator.requestLog().select(e -> e.inBatch() && ALICE.equals(e.mailbox()) && e.status() == 429);
    assertFalse(throttledSteps.isEmpty(), "some steps met full slots");
    assertEquals(12, emulator.mailbox(ALICE).storedEvents().size());
  }

  @Test
  void lostRepliesRepeatedWithTheSameTransactionIdsCreateNoDuplicates() {
    M365Emulator emulator = m365.emulator();
    gateway.firstPage(DeltaReadingTest.FROM, DeltaReadingTest.TO, 10); // a pooled connection, as in a real round
    emulator.controls().resetAfterRate(1);
    List<WriteResult> lost = gateway.write(creates(5));
    lost.forEach(r -> assertEquals(WriteResult.Status.UNAVAILABLE, r.status()));
    long batchesSent = emulator.requestLog().select(e -> ALICE.equals(e.mailbox()) && e.path().contains("$batch")).size();
    assertTrue(batchesSent >= 3, "the batch was sent again: " + batchesSent);
    assertEquals(5, emulator.mailbox(ALICE).storedEvents().size(), "every send took effect, none twice");

    emulator.controls().resetAfterRate(0);
    List<WriteResult> again = gateway.write(creates(5));
    again.forEach(r -> assertEquals(WriteResult.Status.OK, r.status()));
    assertEquals(5, emulator.mailbox(ALICE).storedEvents().size());
    assertEquals(5, again.stream().map(WriteResult::id).distinct().count());
  }

  @Test
  void staleChangeKeyIsAConflictAndDeletingAGoneEventIsDone() {
    WriteResult created = gateway.write(List.of(DeltaReadingTest.create(1))).get(0);
    String id = created.id();
    String firstKey = created.changeKey();
    GraphEventDraft subject = GraphEventDraft.timed("Moved on", Instant.EPOCH, Instant.EPOCH, ZoneId.of("UTC"));
    var field = EnumSet.of(GraphEventDraft.Field.SUBJECT);

    WriteResult fresh = gateway.write(List.of(new GraphWrite.Update(id, subject, field, firstKey))).get(0);
    assertEquals(WriteResult.Status.OK, fresh.status());
    assertNotEquals(firstKey, fresh.changeKey());

    WriteResult stale = gateway.write(List.of(new GraphWrite.Update(id, subject, field, firstKey))).get(0);
    assertEquals(WriteResult.Status.CONFLICT, stale.status());
    assertEquals(412, stale.httpStatus());
    assertEquals("ErrorIrresolvableConflict", stale.errorCode());

    List<WriteResult> deletes = gateway.write(List.of(new GraphWrite.Delete(id), new GraphWrite.Delete("AAMkNoSuchEvent")));
    assertEquals(WriteResult.Status.OK, deletes.get(0).status());
    assertEquals(WriteResult.Status.ALREADY_GONE, deletes.get(1).status());
    assertEquals(WriteResult.Status.ALREADY_GONE, gateway.write(List.of(new GraphWrite.Delete(id))).get(0).status());

    WriteResult missingUpdate = gateway.write(List.of(new GraphWrite.Update(id, subject, field, null))).get(0);
    assertEquals(WriteResult.Status.FAILED, missingUpdate.status(), "an update of a gone event is no success");
    assertEquals(404, missingUpdate.httpStatus());
  }

  @Test
  void brusselsIsWrittenAsItsWindowsNameAndReadBackAtTheRightInstantAcrossDst() {
    ZoneId brussels = ZoneId.of("Europe/Brussels");
    // 10:00 in Brussels the day before and the day after the switch to summer time (29 March 2026).
    Instant winter = LocalDate.of(2026, 3, 28).atTime(10, 0).atZone(brussels).toInstant();
    Instant summer = LocalDate.of(2026, 3, 30).atTime(10, 0).atZone(brussels).toInstant();
    assertEquals(Instant.parse("2026-03-28T09:00:00Z"), winter);
    assertEquals(Instant.parse("2026-03-30T08:00:00Z"), summer);
    List<WriteResult> results = gateway.write(List.of(
        new GraphWrite.Create(GraphEventDraft.timed("Winter", winter, winter.plusSeconds(3600), brussels), "tx-winter"),
        new GraphWrite.Create(GraphEventDraft.timed("Summer", summer, summer.plusSeconds(3600), brussels), "tx-summer"),
        new GraphWrite.Create(GraphEventDraft.allDay("Holiday", LocalDate.of(2026, 3, 29), LocalDate.of(2026, 3, 31), brussels), "tx-day")));
    results.forEach(r -> assertEquals(WriteResult.Status.OK, r.status(), r.toString()));

    Map<String, GraphEvent> read = results.stream().map(r -> gateway.event(r.id()).orElseThrow())
        .collect(Collectors.toMap(GraphEvent::subject, Function.identity()));
    assertEquals("Romance Standard Time", read.get("Winter").originalStartTimeZone());
    assertEquals(winter, read.get("Winter").start());
    assertEquals(summer, read.get("Summer").start());
    assertEquals(summer.plusSeconds(3600), read.get("Summer").end());
    GraphEvent holiday = read.get("Holiday");
    assertTrue(holiday.allDay());
    assertEquals(LocalDate.of(2026, 3, 29), holiday.startDate());
    assertEquals(LocalDate.of(2026, 3, 31), holiday.endDate(), "end exclusive, across the DST night");
  }

  @Test
  void attendeeAnswersAndOrganizerCancels() throws Exception {
    EmulatorMailbox bobBox = new EmulatorMailbox(m365.emulator(), BOB);
    GraphGateway bob = bobBox.gateway(bobBox.clients());
    Instant start = Instant.parse("2026-12-03T10:00:00Z");
    GraphEventDraft meeting = GraphEventDraft.timed("Review", start, start.plusSeconds(1800), ZoneId.of("UTC"))
        .withAttendees(List.of(new GraphEventDraft.Attendee("Bob", BOB, "required")));
    WriteResult created = gateway.write(List.of(new GraphWrite.Create(meeting, "tx-review"))).get(0);
    assertEquals(WriteResult.Status.OK, created.status());
    assertFalse(created.event().onlineMeeting(), "never a Teams meeting unless asked");

    GraphEvent bobsCopy = bob.firstPage(DeltaReadingTest.FROM, DeltaReadingTest.TO, 10).items().stream()
        .map(GraphEvent.class::cast).findFirst().orElseThrow();
    WriteResult answer = bob.write(List.of(new GraphWrite.Answer(bobsCopy.id(), GraphWrite.Response.ACCEPT, true, null))).get(0);
    assertEquals(WriteResult.Status.OK, answer.status());
    assertEquals(202, answer.httpStatus());
    GraphEvent organizers = gateway.event(created.id()).orElseThrow();
    assertEquals("accepted", organizers.attendees().get(0).response());

    WriteResult cancel = gateway.write(List.of(new GraphWrite.Cancel(created.id(), "Not needed"))).get(0);
    assertEquals(WriteResult.Status.OK, cancel.status());
    assertTrue(gateway.event(created.id()).isEmpty());
    assertEquals(WriteResult.Status.ALREADY_GONE, gateway.write(List.of(new GraphWrite.Cancel(created.id(), null))).get(0).status());
  }
}
