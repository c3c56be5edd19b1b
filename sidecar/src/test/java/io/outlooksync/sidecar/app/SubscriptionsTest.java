package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.graph.Subscription;
import io.outlooksync.sidecar.auth.MutableClock;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.store.GraphSubscriptions;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar keeps its own Graph subscriptions, over HTTP against the Microsoft 365 emulator, which runs Graph's
 * validation handshake against the sidecar's webhook and delivers notifications and lifecycle events to it:
 * created once the account synced, renewed before expiry (the keeper's clock and the emulator's are moved),
 * re-created when Graph lost it, lifecycle events answered, deleted when the account stops or the URL goes.
 */
class SubscriptionsTest {
  static final String CLIENT_ID = "5d1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4e";
  static final String CLIENT_SECRET = "client-secret-for-the-subscriptions-test";
  static final String SHARED = "shared-secret-for-the-subscriptions-test";
  static final Duration WAIT = Duration.ofSeconds(40);

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder()
      .mailboxes("alice@example.com").app(CLIENT_ID, CLIENT_SECRET));

  @TempDir
  Path dataDir;
  final MutableClock keeperClock = new MutableClock();
  EmulatedSidecar emulated;
  Sidecar sidecar;
  ApiClient api;
  long account;
  String webhook;

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedSidecar(m365.emulator(), dataDir, CLIENT_ID, CLIENT_SECRET, SHARED, keeperClock);
    sidecar = emulated.sidecar;
    api = emulated.api;
    account = emulated.connectAlice();
    webhook = "http://127.0.0.1:" + sidecar.address().getPort() + "/api/graph/notifications";
    pushBaseUrl("http://127.0.0.1:" + sidecar.address().getPort());
    Thread.sleep(300);
    assertTrue(m365.emulator().subscriptions().list().isEmpty(), "no subscription before the account's first sync");
    ApiClient.Reply first = api.post("/api/users/prod/" + emulated.aliceUid + "/sync", "{}");
    assertEquals(200, first.status(), first.body());
    sidecar.subscriptions().wake();
    await(() -> subscriptions().size() == 1, "the sidecar's subscription in the emulator");
    awaitChecked(() -> storedIs(subscriptions().get(0).id()), "the subscription stored");
  }

  private boolean storedIs(String subscriptionId) throws Exception {
    return sidecar.store().subscriptions().ofAccount(account).map(r -> r.subscriptionId().equals(subscriptionId)).orElse(false);
  }

  @AfterEach
  void stop() {
    emulated.close();
  }

  private void pushBaseUrl(String url) throws Exception {
    ApiClient.Reply r = api.post("/api/configure", "{\"public_base_url\": \"" + url + "\"}");
    assertEquals(200, r.status(), r.body());
    sidecar.subscriptions().wake();
  }

  private List<Subscription.Info> subscriptions() {
    return m365.emulator().subscriptions().list();
  }

  private GraphSubscriptions.Row stored() throws Exception {
    return sidecar.store().subscriptions().ofAccount(account).orElseThrow();
  }

  private List<SyncRun> runs() throws Exception {
    return sidecar.store().syncRuns().recent(account, 500);
  }

  private long subscriptionRequests(String method) {
    // Answered ones: the emulator's clock moved past the access token, so a first try may be refused with 401.
    return m365.emulator().requestLog().select(e -> e.method().equals(method) && e.path().contains("/subscriptions")
        && e.status() < 300).size();
  }

  private boolean syncing() {
    try {
      return api.get("/api/users/prod/" + emulated.aliceUid + "/status").json().path("syncing").asBoolean(true);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A condition that reads the store. */
  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitChecked(Check condition, String what) throws InterruptedException {
    await(() -> {
      try {
        return condition.holds();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, what);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Moves the keeper's clock and the emulator's together, so the renewal Graph sees is within its own limits. */
  private void timePasses(Duration d) {
    keeperClock.advance(d);
    m365.emulator().controls().clockOffsetSeconds(m365.emulator().controls().clockOffsetSeconds() + d.toSeconds());
    sidecar.subscriptions().wake();
  }

  @Test
  void theSyncedAccountIsSubscribedAndItsNotificationsRunIt() throws Exception {
    Subscription.Info info = subscriptions().get(0);
    assertEquals("me/events", info.resource());
    assertEquals("created,updated,deleted", info.changeType());
    assertEquals(webhook, info.notificationUrl());
    assertEquals(webhook, info.lifecycleNotificationUrl());
    assertEquals(CLIENT_ID, info.applicationId());
    Duration left = Duration.between(Instant.now(), info.expiration());
    assertTrue(left.compareTo(Duration.ofMinutes(9_990)) > 0 && left.compareTo(Duration.ofMinutes(10_080)) < 0,
        "asked for 10,000 minutes, under Graph's 10,080: " + left);

    GraphSubscriptions.Row row = stored();
    assertEquals(info.id(), row.subscriptionId());
    assertEquals(webhook, row.notificationUrl());
    String clientState = sidecar.store().subscriptions().clientState(info.id()).orElseThrow();
    assertTrue(clientState.length() >= 40, "a random clientState: " + clientState.length());
    byte[] sealed = sidecar.store().database().transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT client_state FROM graph_subscription WHERE account_id = ?")) {
        p.setLong(1, account);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getBytes(1);
        }
      }
    });
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(clientState), "the clientState is stored encrypted");

    Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
    CalEvent c = new CalEvent("Dentist", When.timed(tomorrow, tomorrow.plusSeconds(1800), ZoneId.of("Europe/Brussels")),
        null, null, null, null, null, null, null, null);
    assertTrue(emulated.outlook(account).write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "t-dentist"))).get(0).done());
    await(() -> emulated.odoo.eventsChangedSince(Instant.EPOCH, 0, 500).items().stream().map(OdooEvent::name).anyMatch("Dentist"::equals),
        "the Outlook event in Odoo, brought by the notification");
    assertTrue(runs().stream().anyMatch(r -> r.cause().equals("graph-notification")), "a run started by the notification");
    assertTrue(subscriptions().get(0).delivered() >= 1, "Graph's delivery was acknowledged");

    await(() -> !syncing(), "the run over");
    Instant next = Instant.parse(api.get("/api/users/prod/" + emulated.aliceUid + "/status").json().get("next_sync_at").asText());
    assertTrue(next.isAfter(Instant.now().plus(Duration.ofMinutes(50))), "notifications alive: the fallback stretches to an hour: " + next);
  }

  @Test
  void renewedBeforeExpiryAndCreatedAgainWhenGraphLostIt() throws Exception {
    Subscription.Info before = subscriptions().get(0);
    timePasses(Duration.ofDays(4)); // under 3 days left: renew
    await(() -> subscriptions().size() == 1 && subscriptions().get(0).expiration().isAfter(before.expiration().plus(Duration.ofDays(3))),
        "the subscription renewed");
    assertEquals(before.id(), subscriptions().get(0).id(), "renewed in place (PATCH), not replaced");
    awaitChecked(() -> stored().expiresAt().isAfter(before.expiration().plus(Duration.ofDays(3))), "the new expiry stored");
    assertEquals(1, subscriptionRequests("PATCH"));

    m365.emulator().subscriptions().clear(); // Graph lost it without a word
    int runsBefore = runs().size();
    timePasses(Duration.ofDays(4));
    await(() -> subscriptions().size() == 1 && !subscriptions().get(0).id().equals(before.id()), "a new subscription");
    awaitChecked(() -> storedIs(subscriptions().get(0).id()), "the new subscription stored");
    awaitChecked(() -> runs().size() > runsBefore, "a run for the changes that may have gone unnotified");
  }

  @Test
  void lifecycleEventsAreAnswered() throws Exception {
    String id = subscriptions().get(0).id();
    long patches = subscriptionRequests("PATCH");
    m365.emulator().sendLifecycle(id, "reauthorizationRequired");
    await(() -> subscriptionRequests("PATCH") == patches + 1, "reauthorizationRequired renews the subscription");

    int runsBefore = runs().size();
    m365.emulator().sendLifecycle(id, "missed");
    awaitChecked(() -> runs().stream().filter(r -> r.status() != SyncRun.Status.RUNNING).count() > runsBefore, "missed: a run reads the delta");
    await(() -> !syncing(), "the run over");
    Instant next = Instant.parse(api.get("/api/users/prod/" + emulated.aliceUid + "/status").json().get("next_sync_at").asText());
    assertTrue(next.isBefore(Instant.now().plus(Duration.ofMinutes(16))), "notifications silent: back to the 15-minute fallback: " + next);

    m365.emulator().sendLifecycle(id, "subscriptionRemoved");
    await(() -> subscriptions().size() == 1 && !subscriptions().get(0).id().equals(id), "subscriptionRemoved: subscribed again");
    awaitChecked(() -> storedIs(subscriptions().get(0).id()), "the new subscription stored");
    assertNotEquals(id, stored().subscriptionId());
  }

  @Test
  void stoppingTheAccountDeletesItsSubscription() throws Exception {
    String id = subscriptions().get(0).id();
    assertEquals(200, api.post("/api/users/prod/" + emulated.aliceUid + "/stop", "{}").status());
    sidecar.subscriptions().wake();
    await(() -> subscriptions().isEmpty(), "the subscription deleted at Graph");
    assertEquals(1, subscriptionRequests("DELETE"));
    awaitChecked(() -> sidecar.store().subscriptions().byId(id).isEmpty(), "the row gone");
  }

  @Test
  void removingThePublicUrlDeletesTheSubscription() throws Exception {
    pushBaseUrl("");
    await(() -> subscriptions().isEmpty(), "the subscription deleted at Graph");
    awaitChecked(() -> sidecar.store().subscriptions().ofAccount(account).isEmpty(), "the row gone");
  }
}
