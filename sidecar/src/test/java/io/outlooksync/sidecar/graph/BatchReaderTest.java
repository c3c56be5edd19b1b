package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.RequestLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reading many events by id in {@code $batch}es of GETs, against the emulator. */
class BatchReaderTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final String ALICE = "alice@example.com";

  private EmulatorMailbox alice;
  private GraphGateway gateway;

  @BeforeEach
  void signIn() throws Exception {
    alice = new EmulatorMailbox(m365.emulator(), ALICE);
    gateway = alice.gateway(alice.clients());
  }

  private List<String> created(int count) {
    List<GraphWrite> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writes.add(DeltaReadingTest.create(i));
    }
    List<String> ids = new ArrayList<>();
    for (WriteResult r : gateway.write(writes)) {
      assertEquals(WriteResult.Status.OK, r.status(), r.toString());
      ids.add(r.id());
    }
    return ids;
  }

  @Test
  void fortyFiveEventsAreThreeRequestsAndDeletedOnesAreAbsent() {
    List<String> ids = created(45);
    assertEquals(WriteResult.Status.OK, gateway.write(List.of(new GraphWrite.Delete(ids.get(7)))).get(0).status());
    M365Emulator emulator = m365.emulator();
    emulator.requestLog().clear();

    Map<String, GraphEvent> read = gateway.events(ids);

    assertEquals(3, emulator.requestLog().httpRequests(ALICE), "three $batch requests of at most 20 GETs");
    assertEquals(44, read.size());
    assertFalse(read.containsKey(ids.get(7)), "a 404 is a gone event");
    for (int i = 0; i < 45; i++) {
      if (i != 7) {
        assertEquals("Event " + i, read.get(ids.get(i)).subject());
        assertEquals("db1:" + i, read.get(ids.get(i)).odooTag(), "each step asks for our extended property");
      }
    }
    assertTrue(gateway.events(List.of()).isEmpty());
  }

  @Test
  void stepsThrottledBecauseOthersHoldTheSlotsAreReadAgain() throws Exception {
    List<String> ids = created(12);
    M365Emulator emulator = m365.emulator();
    emulator.controls().serviceMillis(100);
    emulator.requestLog().clear();
    Map<String, GraphEvent> read;
    try (AutoCloseable others = alice.holdThreeSlots()) {
      read = gateway.events(ids);
    }
    List<RequestLog.Entry> throttled = emulator.requestLog().select(e -> e.inBatch() && ALICE.equals(e.mailbox()) && e.status() == 429);
    assertFalse(throttled.isEmpty(), "some GET steps met full slots");
    assertEquals(12, read.size(), "and were read again");
  }
}
