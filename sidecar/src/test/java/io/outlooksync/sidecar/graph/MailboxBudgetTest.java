package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.RequestLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outlook's request budget per mailbox (10,000 per 10 minutes), scaled down in the emulator to 20 per 2 s:
 * a gateway that knows the budget waits for room and is never throttled; one that does not runs into 429s,
 * whose Retry-After it honours, for a whole request and for steps inside a batch.
 */
class MailboxBudgetTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final String ALICE = "alice@example.com";
  static final int BUDGET = 20;
  static final Duration WINDOW = Duration.ofSeconds(2);

  private EmulatorMailbox alice;

  @BeforeEach
  void limits() throws Exception {
    alice = new EmulatorMailbox(m365.emulator(), ALICE);
    m365.emulator().controls().requestsPerWindow(BUDGET).rateWindowSeconds(WINDOW.toSeconds());
  }

  private static List<GraphWrite> creates(int count) {
    List<GraphWrite> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writes.add(DeltaReadingTest.create(i));
    }
    return writes;
  }

  private List<RequestLog.Entry> throttled() {
    return m365.emulator().requestLog().select(e -> ALICE.equals(e.mailbox()) && e.status() == 429);
  }

  @Test
  void aGatewayThatKnowsTheBudgetWaitsForRoomAndIsNeverThrottled() {
    GraphClients clients = GraphClients.builder().baseUrl(m365.emulator().graphBaseUrl())
        .tls(m365.emulator().sslSocketFactory(), m365.emulator().trustManager()).requestBudget(BUDGET, WINDOW).build();
    GraphGateway gateway = clients.gateway(ALICE, alice);
    M365Emulator emulator = m365.emulator();
    emulator.requestLog().clear();

    List<WriteResult> results = gateway.write(creates(30));
    List<String> ids = results.stream().map(WriteResult::id).toList();
    for (int i = 0; i < 5; i++) {
      assertTrue(gateway.event(ids.get(i)).isPresent());
    }

    results.forEach(r -> assertEquals(WriteResult.Status.OK, r.status(), r.toString()));
    assertEquals(30, emulator.mailbox(ALICE).storedEvents().size());
    assertEquals(List.of(), throttled(), "35 requests against a budget of 20 per 2 s, none refused");
  }

  @Test
  void withoutTheBudgetStepsAndWholeRequestsAreThrottledAndRetriedAfterRetryAfter() throws Exception {
    GraphGateway gateway = alice.gateway(alice.clients()); // Outlook's real budget: far above the emulator's
    M365Emulator emulator = m365.emulator();
    emulator.requestLog().clear();

    List<WriteResult> results = gateway.write(creates(30));
    results.forEach(r -> assertEquals(WriteResult.Status.OK, r.status(), r.toString()));
    assertFalse(throttled().stream().filter(RequestLog.Entry::inBatch).toList().isEmpty(), "batch steps ran into the budget");

    // Spend the window from outside the gateway: a single GET then gets 429 with Retry-After, which the client waits out.
    emulator.requestLog().clear();
    while (throttled().isEmpty()) {
      alice.raw("GET", "/me/calendar", null);
    }
    emulator.requestLog().clear();
    String id = results.get(0).id();
    assertTrue(gateway.event(id).isPresent(), "read once the window slid");
    assertFalse(throttled().stream().filter(e -> !e.inBatch() && e.method().equals("GET")).toList().isEmpty(),
        "the whole request was refused at first");
  }
}
