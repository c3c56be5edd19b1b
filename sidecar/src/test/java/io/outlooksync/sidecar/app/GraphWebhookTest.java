package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.RequestLog;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph's webhook over real HTTP (docs/security.md): it answers before doing any of the work a notification
 * asks for (Graph wants the answer within 3 s; the sync happens on the scheduler's threads), a wrong
 * clientState starts nothing, and the validation handshake echoes the token as plain text.
 */
class GraphWebhookTest {
  static final String CLIENT_ID = "7a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
  static final String CLIENT_SECRET = "client-secret-for-the-webhook-test";
  static final String SHARED = "shared-secret-for-the-webhook-test";
  static final String ALICE = "alice@example.com";

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder().mailboxes(ALICE)
      .app(CLIENT_ID, CLIENT_SECRET));

  @TempDir
  Path dataDir;
  EmulatedSidecar emulated;
  long account;

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedSidecar(m365.emulator(), dataDir, CLIENT_ID, CLIENT_SECRET, SHARED);
    account = emulated.connectAlice();
    ApiClient.Reply first = emulated.api.post("/api/users/prod/" + emulated.aliceUid + "/sync", "{}");
    assertEquals(200, first.status(), first.body());
  }

  @AfterEach
  void stop() {
    emulated.close();
  }

  private List<SyncRun> notificationRuns() throws Exception {
    return emulated.sidecar.store().syncRuns().recent(account, 50).stream().filter(r -> r.cause().equals("graph-notification")).toList();
  }

  private List<RequestLog.Entry> graphRequests() {
    return m365.emulator().requestLog().forMailbox(ALICE);
  }

  @Test
  void aNotificationIsAnsweredBeforeAnyOfTheSyncItAsksFor() throws Exception {
    String clientState = emulated.storedSubscription(account, "sub-a");
    // Every Graph request of the run takes 300 ms: a run done before answering could not go unseen.
    m365.emulator().controls().serviceMillis(300);
    m365.emulator().requestLog().clear();

    ApiClient.Reply r = emulated.graphNotification("sub-a", clientState);
    Instant answered = Instant.now();
    List<RequestLog.Entry> beforeTheAnswer = graphRequests();
    List<SyncRun> runsBeforeTheAnswer = notificationRuns();
    assertEquals(202, r.status(), r.body());
    assertEquals(1, r.json().get("queued").asInt());
    assertEquals(List.of(), beforeTheAnswer, "no Graph request of the run before the answer");
    assertEquals(List.of(), runsBeforeTheAnswer, "no run started before the answer");

    long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (notificationRuns().stream().noneMatch(run -> run.status() == SyncRun.Status.SUCCEEDED)) {
      assertTrue(System.nanoTime() < until, "the notification's run never succeeded: " + notificationRuns());
      Thread.sleep(100);
    }
    SyncRun run = notificationRuns().get(0);
    assertTrue(run.startedAt().isAfter(answered), "the run started after the answer: " + run.startedAt() + " vs " + answered);
    assertTrue(!graphRequests().isEmpty() && graphRequests().stream().allMatch(e -> e.at().isAfter(answered)),
        "the run read Graph, and only after the answer: " + graphRequests());
  }

  @Test
  void aWrongClientStateIsRefusedAndStartsNothing() throws Exception {
    emulated.storedSubscription(account, "sub-b");
    m365.emulator().requestLog().clear();
    ApiClient.Reply r = emulated.graphNotification("sub-b", "a-guessed-client-state");
    assertEquals(202, r.status(), r.body());
    assertEquals(0, r.json().get("queued").asInt());
    // Past the scheduler's 2 s quiet time: a queued notification would have started its run by now.
    Thread.sleep(4000);
    assertEquals(List.of(), notificationRuns());
    assertEquals(List.of(), graphRequests(), "nothing read from Graph");
    String metrics = emulated.api.unsigned("GET", "/metrics", "").body();
    assertTrue(metrics.contains("outlook_sync_graph_notifications_total{result=\"bad_client_state\"} 1"), metrics);
  }

  @Test
  void theValidationHandshakeEchoesTheTokenAsPlainText() throws Exception {
    ApiClient.Reply r = emulated.api.unsigned("POST", "/api/graph/notifications?validationToken=Validation%3A%20Token%2B1%26x", "");
    assertEquals(200, r.status(), r.body());
    assertEquals("Validation: Token+1&x", r.body());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"), r.raw().headers().toString());
    assertEquals(List.of(), notificationRuns());
  }
}
