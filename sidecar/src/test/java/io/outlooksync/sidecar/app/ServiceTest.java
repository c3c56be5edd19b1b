package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on a free loopback port with an embedded store in a temporary data directory. */
class ServiceTest {
  static final String SECRET = "shared-secret-0123456789-abcdef";
  static final String CLIENT_SECRET = "client-secret-needle-7Qx";
  static final String ODOO_KEY = "odoo-api-key-needle-3Zr";

  @TempDir
  Path dataDir;
  Sidecar sidecar;
  ApiClient api;
  final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
  Consumer<String> previousSink;

  @BeforeEach
  void start() throws Exception {
    previousSink = Log.setSink(logLines::add);
    Config config = Config.load(null, Map.of("OUTLOOK_SYNC_DATA_DIR", dataDir.toString(), "OUTLOOK_SYNC_LISTEN", "127.0.0.1:0"),
        new ArrayList<>());
    sidecar = Sidecar.start(config);
    api = new ApiClient(URI.create("http://127.0.0.1:" + sidecar.address().getPort()), SECRET);
  }

  @AfterEach
  void stop() {
    sidecar.close();
    Log.setSink(previousSink);
    Log.setLevel(Log.Level.INFO);
  }

  private void bootstrap() throws Exception {
    ApiClient.Reply r = api.post("/api/configure", "{\"api_shared_secret\": \"" + SECRET + "\"}");
    assertEquals(200, r.status(), r.body());
  }

  @Test
  void healthWithNoConfigurationSaysWhatIsMissing() throws Exception {
    ApiClient.Reply r = api.unsigned("GET", "/healthz", "");
    assertEquals(200, r.status());
    JsonNode h = r.json();
    assertEquals("degraded", h.get("status").asText());
    assertEquals("ok", h.get("store").asText());
    List<String> missing = new ArrayList<>();
    h.get("missing").forEach(m -> missing.add(m.asText()));
    assertEquals(List.of("odoo_url", "odoo_db", "odoo_login", "odoo_api_key", "ms_client_id", "ms_client_secret",
        "api_shared_secret"), missing);
    assertTrue(h.get("message").asText().contains("waiting for settings"), h.toString());
    assertTrue(h.has("uptime_seconds") && h.has("version"));
  }

  @Test
  void bootstrapSetsTheSecretThenEverySettingMakesItReady() throws Exception {
    // Before the bootstrap, nothing but configure is accepted.
    ApiClient.Reply early = api.get("/api/status");
    assertEquals(401, early.status());
    assertEquals("no_shared_secret", early.errorCode());
    // A bootstrap signed with another secret than the one it carries is refused.
    ApiClient forger = new ApiClient(api.base, "some-other-secret-xxxxxxxx");
    ApiClient.Reply forged = forger.post("/api/configure", "{\"api_shared_secret\": \"" + SECRET + "\"}");
    assertEquals(401, forged.status());
    assertEquals("bad_signature", forged.errorCode());

    bootstrap();
    assertEquals(200, api.get("/api/status").status());
    // Now the secret is set: a second "bootstrap" signed with a secret of its choosing fails.
    ApiClient.Reply takeover = forger.post("/api/configure", "{\"api_shared_secret\": \"some-other-secret-xxxxxxxx\"}");
    assertEquals(401, takeover.status());
    assertEquals("bad_signature", takeover.errorCode());

    ApiClient.Reply r = api.post("/api/configure", "{\"odoo_url\": \"https://odoo.example.com\", \"odoo_db\": \"prod\","
        + " \"odoo_login\": \"sync-bot\", \"odoo_api_key\": \"" + ODOO_KEY + "\", \"ms_client_id\": \"app-1\","
        + " \"ms_client_secret\": \"" + CLIENT_SECRET + "\"}");
    assertEquals(200, r.status(), r.body());
    assertEquals(0, r.json().get("missing").size());
    JsonNode h = api.unsigned("GET", "/healthz", "").json();
    assertEquals("ok", h.get("status").asText());
    assertFalse(h.toString().contains(CLIENT_SECRET) || h.toString().contains(ODOO_KEY));
    JsonNode status = api.get("/api/status").json();
    assertTrue(status.get("configured").asBoolean());
    assertEquals(0, status.get("accounts").get("CONNECTED").asInt());
    // Pushed secrets are stored encrypted, under their config names.
    assertEquals(CLIENT_SECRET, sidecar.store().secrets().setting("config.ms_client_secret").orElseThrow());
    assertEquals("https://odoo.example.com", sidecar.store().settings().value("config.odoo_url").orElseThrow());
  }

  @Test
  void aSecretInTheConfigurationOverrulesABootstrapAndCannotBePushed() throws Exception {
    bootstrap(); // say someone else claimed the bootstrap with SECRET
    sidecar.close();
    String admins = "the-administrators-own-secret";
    sidecar = Sidecar.start(Config.load(null, Map.of("OUTLOOK_SYNC_DATA_DIR", dataDir.toString(),
        "OUTLOOK_SYNC_LISTEN", "127.0.0.1:0", "OUTLOOK_SYNC_API_SHARED_SECRET", admins), new ArrayList<>()));
    ApiClient claimed = new ApiClient(URI.create("http://127.0.0.1:" + sidecar.address().getPort()), SECRET);
    ApiClient admin = new ApiClient(claimed.base, admins);
    assertEquals("bad_signature", claimed.get("/api/status").errorCode());
    assertEquals(200, admin.get("/api/status").status());
    ApiClient.Reply push = admin.post("/api/configure", "{\"api_shared_secret\": \"" + SECRET + "\"}");
    assertEquals(400, push.status());
    assertTrue(push.body().contains("set in the sidecar's configuration"), push.body());
  }

  @Test
  void badSettingsAreRefusedWholeAndNothingIsWritten() throws Exception {
    bootstrap();
    ApiClient.Reply r = api.post("/api/configure", "{\"odoo_url\": \"https://odoo.example.com\", \"odoo_db\": \"prod\","
        + " \"ms_tenant\": \"not a tenant\", \"listen\": \"0.0.0.0:80\", \"bogus\": \"x\"}");
    assertEquals(400, r.status());
    assertEquals("invalid_settings", r.errorCode());
    String message = r.json().get("error").get("message").asText();
    assertTrue(message.contains("ms_tenant") && message.contains("listen") && message.contains("unknown setting bogus"), message);
    assertTrue(sidecar.store().settings().value("config.odoo_url").isEmpty(), "half-written configure");
    assertEquals(400, api.post("/api/configure", "{\"api_shared_secret\": null}").status());
    assertEquals(400, api.post("/api/configure", "{\"odoo_db\": 7}").status());
  }

  @Test
  void unsignedStaleReplayedAndForgedRequestsAreRefused() throws Exception {
    bootstrap();
    assertEquals(200, api.get("/api/status").status());
    assertEquals(200, api.get("/api/status").status(), "identical requests with fractional timestamps are no replays");
    ApiClient.Reply unsigned = api.unsigned("GET", "/api/status", "");
    assertEquals(401, unsigned.status());
    assertEquals("unsigned", unsigned.errorCode());

    String stale = Long.toString(Instant.now().getEpochSecond() - 301);
    ApiClient.Reply old = api.signed("GET", "/api/status", "", stale);
    assertEquals(401, old.status());
    assertEquals("stale_timestamp", old.errorCode());
    assertTrue(old.json().get("error").get("message").asText().contains("300"));
    assertEquals(200, api.signed("GET", "/api/status", "", Long.toString(Instant.now().getEpochSecond() - 250)).status());
    // Whole seconds are accepted too; two identical requests in one second then collide, hence the fraction.
    String now = Long.toString(Instant.now().getEpochSecond());
    String sig = ApiClient.signature(SECRET, now, "POST", "/api/pause", "");
    assertEquals(200, api.send(api.request("POST", "/api/pause", "", now, sig)).status());
    ApiClient.Reply replay = api.send(api.request("POST", "/api/pause", "", now, sig));
    assertEquals(401, replay.status());
    assertEquals("replayed", replay.errorCode());

    // The signature covers the body: the same signature over another body fails.
    String body = "{\"db\":\"prod\",\"model\":\"calendar.event\",\"ids\":[1]}";
    String bodySig = ApiClient.signature(SECRET, now, "POST", "/api/events/changed", body);
    ApiClient.Reply tampered = api.send(api.request("POST", "/api/events/changed", body.replace("[1]", "[2]"), now, bodySig));
    assertEquals(401, tampered.status());
    assertEquals("bad_signature", tampered.errorCode());
    assertTrue(tampered.json().get("error").get("request_id").asText().length() > 0);
  }

  @Test
  void oversizedAndMalformedBodies() throws Exception {
    bootstrap();
    String big = "{\"db\":\"" + "x".repeat(1 << 20) + "\"}";
    ApiClient.Reply tooBig = api.post("/api/events/changed", big);
    assertEquals(413, tooBig.status());
    assertEquals("too_large", tooBig.errorCode());
    ApiClient.Reply malformed = api.post("/api/events/changed", "{\"db\": \"prod\", ");
    assertEquals(400, malformed.status());
    assertEquals("malformed_json", malformed.errorCode());
    assertEquals(400, api.post("/api/events/changed", "[1, 2]").status());
    ApiClient.Reply badIds = api.post("/api/events/changed", "{\"db\":\"prod\",\"model\":\"calendar.event\",\"ids\":[1,-2]}");
    assertEquals(400, badIds.status());
    assertTrue(badIds.body().contains("positive integers"));
    assertEquals(400, api.post("/api/events/changed", "{\"db\":\"prod\",\"model\":\"res.users\",\"ids\":[1]}").status());
    assertEquals(0, sidecar.queue().size());
  }

  @Test
  void changedEventsAreQueuedForTheEngine() throws Exception {
    bootstrap();
    ApiClient.Reply r = api.post("/api/events/changed", "{\"db\":\"prod\",\"model\":\"calendar.event\",\"ids\":[4,5,6]}");
    assertEquals(202, r.status(), r.body());
    // The engine takes it from the queue and finds no connected account it concerns.
    awaitMetric("outlook_sync_changes_routed_total{source=\"odoo\",result=\"unmatched\"} 1");
    assertEquals(0, sidecar.queue().size());
  }

  private void awaitMetric(String line) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String metrics = "";
    while (System.nanoTime() < until) {
      metrics = api.unsigned("GET", "/metrics", "").body();
      if (metrics.contains(line)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(line + " not in\n" + metrics);
  }

  @Test
  void userStatusPauseResumeStop() throws Exception {
    bootstrap();
    ApiClient.Reply unknown = api.get("/api/users/prod/7/status");
    assertEquals(404, unknown.status());
    assertEquals("not_connected", unknown.errorCode());
    assertEquals(404, api.post("/api/users/prod/7/pause", "").status());
    assertEquals(400, api.get("/api/users/prod/seven/status").status());

    Account a = sidecar.store().accounts().ensure("prod", 7, "alice");
    sidecar.store().accounts().connected(a.id(), "home-1", "alice@example.com", "tenant-1");
    JsonNode s = api.get("/api/users/prod/7/status").json();
    assertEquals("CONNECTED", s.get("state").asText());
    assertEquals("alice@example.com", s.get("ms_username").asText());

    assertEquals(200, api.post("/api/users/prod/7/pause", "{\"reason\": \"holiday\"}").status());
    Account paused = sidecar.store().accounts().get(a.id()).orElseThrow();
    assertEquals(AccountState.PAUSED, paused.state());
    assertEquals("holiday", paused.stateReason());

    assertEquals(200, api.post("/api/users/prod/7/resume", "").status());
    assertEquals(AccountState.CONNECTED, sidecar.store().accounts().get(a.id()).orElseThrow().state());

    assertEquals(200, api.post("/api/users/prod/7/stop", "").status());
    assertEquals(AccountState.STOPPED, sidecar.store().accounts().get(a.id()).orElseThrow().state());
    ApiClient.Reply resume = api.post("/api/users/prod/7/resume", "");
    assertEquals(409, resume.status());
    assertTrue(resume.body().contains("sign in again"), resume.body());

    assertEquals(1, api.get("/api/status").json().get("accounts").get("STOPPED").asInt());
  }

  @Test
  void accountsListsEveryAccountForTheAdminShell() throws Exception {
    bootstrap();
    assertEquals(0, api.get("/api/accounts").json().get("accounts").size());
    Account bob = sidecar.store().accounts().ensure("prod", 8, "bob");
    Account alice = sidecar.store().accounts().ensure("prod", 7, "alice");
    sidecar.store().accounts().connected(alice.id(), "home-1", "alice@example.com", "tenant-1");
    sidecar.store().accounts().recordSync(alice.id(), Instant.parse("2026-11-24T09:00:00Z"));
    sidecar.store().accounts().ensure("archive", 9, "carol");
    sidecar.store().accounts().setState(bob.id(), AccountState.NEEDS_REAUTH, "invalid_grant AADSTS70008");
    sidecar.store().accounts().recordError(bob.id(), "token refresh refused");

    JsonNode list = api.get("/api/accounts").json().get("accounts");
    List<String> keys = new ArrayList<>();
    list.forEach(n -> keys.add(n.get("db").asText() + "/" + n.get("user_id").asLong() + "=" + n.get("login").asText()));
    assertEquals(List.of("archive/9=carol", "prod/7=alice", "prod/8=bob"), keys, "sorted by database, then user id");
    JsonNode a = list.get(1);
    assertEquals(alice.id(), a.get("id").asLong());
    assertEquals("CONNECTED", a.get("state").asText());
    assertEquals("alice@example.com", a.get("ms_username").asText());
    assertEquals("2026-11-24T09:00:00Z", a.get("last_sync_at").asText());
    JsonNode b = list.get(2);
    assertEquals("NEEDS_REAUTH", b.get("state").asText());
    assertEquals("invalid_grant AADSTS70008", b.get("state_reason").asText());
    assertEquals("token refresh refused", b.get("last_error").asText());
    assertTrue(b.get("ms_username").isNull());
    assertFalse(list.toString().contains("home-1") || list.toString().contains("tenant-1"), "no Microsoft ids: " + list);
    // The single-user status carries the same fields.
    assertEquals("bob", api.get("/api/users/prod/8/status").json().get("login").asText());

    ApiClient.Reply unsigned = api.unsigned("GET", "/api/accounts", "");
    assertEquals(401, unsigned.status());
    assertEquals("unsigned", unsigned.errorCode());
    assertEquals("bad_signature", new ApiClient(api.base, "not-the-secret-0123456789").get("/api/accounts").errorCode());
  }

  @Test
  void globalPauseIsStored() throws Exception {
    bootstrap();
    assertEquals(200, api.post("/api/pause", "").status());
    assertTrue(api.get("/api/status").json().get("paused").asBoolean());
    assertTrue(api.unsigned("GET", "/healthz", "").json().get("paused").asBoolean());
    assertEquals(200, api.post("/api/resume", "").status());
    assertFalse(api.get("/api/status").json().get("paused").asBoolean());
  }

  @Test
  void globalStopStopsEveryAccount() throws Exception {
    bootstrap();
    Account alice = sidecar.store().accounts().ensure("prod", 7, "alice");
    sidecar.store().accounts().connected(alice.id(), "home-1", "alice@example.com", "tenant-1");
    sidecar.store().accounts().ensure("prod", 8, "bob");
    ApiClient.Reply r = api.post("/api/stop", "{\"reason\": \"decommissioned\"}");
    assertEquals(200, r.status(), r.body());
    assertEquals(2, r.json().get("stopped").asInt());
    assertEquals(AccountState.STOPPED, sidecar.store().accounts().get(alice.id()).orElseThrow().state());
    assertEquals("decommissioned", sidecar.store().accounts().get(alice.id()).orElseThrow().stateReason());
    assertEquals(0, api.post("/api/stop", "").json().get("stopped").asInt(), "stopping twice changes nothing");
    assertEquals(401, api.unsigned("POST", "/api/stop", "").status());
  }

  @Test
  void signInSyncAndResetWaitForTheirSettingsAndRefuseBadInput() throws Exception {
    bootstrap();
    for (String path : List.of("/api/users/prod/7/signin/start", "/api/signin/complete")) {
      ApiClient.Reply r = api.post(path, "{\"state\": \"x\", \"code\": \"y\"}");
      assertEquals(409, r.status(), path);
      assertEquals("not_configured", r.errorCode());
      assertTrue(r.body().contains("ms_client_id"), r.body());
      assertEquals(401, api.unsigned("POST", path, "{}").status(), "authenticated: " + path);
    }
    String resetPath = "/api/users/prod/9/reset";
    assertEquals(401, api.unsigned("POST", resetPath, "{}").status());
    assertEquals("not_connected", api.post(resetPath, "{}").errorCode(), "no account for user 9 yet");
    sidecar.store().accounts().ensure("prod", 9, "nine");
    assertEquals(400, api.post(resetPath, "{\"delete\": \"everything\"}").status());
    assertEquals(400, api.post(resetPath, "{\"next\": \"some\"}").status());
    ApiClient.Reply reset = api.post(resetPath, "{\"delete\": \"both\", \"next\": \"all\"}");
    assertEquals(409, reset.status());
    assertEquals("not_configured", reset.errorCode());

    String sync = "/api/users/prod/7/sync";
    assertEquals(401, api.unsigned("POST", sync, "{}").status());
    assertEquals("not_connected", api.post(sync, "{}").errorCode(), "no account for user 7 yet");
    sidecar.store().accounts().ensure("prod", 7, "seven");
    ApiClient.Reply notConnected = api.post(sync, "{\"dry_run\": true}");
    assertEquals(409, notConnected.status());
    assertEquals("not_syncing", notConnected.errorCode());
    assertTrue(notConnected.body().contains("NOT_CONNECTED"), notConnected.body());
    assertEquals(400, api.post(sync, "{\"dry_run\": \"yes\"}").status());
    assertEquals(404, api.get("/api/nothing-here").status());
    assertEquals(405, api.get("/api/pause").status());
  }

  @Test
  void graphNotifications() throws Exception {
    ApiClient.Reply validation = api.unsigned("POST", "/api/graph/notifications?validationToken=Validation%3A%20Token%2B1", "");
    assertEquals(200, validation.status());
    assertEquals("Validation: Token+1", validation.body());
    assertTrue(validation.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

    // A subscription the sidecar made, for an account that is not connected: accepted, then routed nowhere.
    long account = sidecar.store().accounts().ensure("prod", 7, "someone").id();
    String good = "state-of-sub-1-" + System.nanoTime();
    sidecar.store().subscriptions().save(account, "sub-1", "https://sync.example.com/api/graph/notifications", good,
        java.time.Instant.now().plusSeconds(3600));
    String body = "{\"value\": ["
        + "{\"subscriptionId\": \"sub-1\", \"clientState\": \"" + good + "\", \"changeType\": \"updated\","
        + " \"resource\": \"Users/u1/Events/e1\", \"tenantId\": \"t1\"},"
        + "{\"subscriptionId\": \"sub-2\", \"clientState\": \"guessed\", \"changeType\": \"deleted\", \"resource\": \"x\"},"
        // sub-1's secret proves nothing for another subscription
        + "{\"subscriptionId\": \"sub-2\", \"clientState\": \"" + good + "\", \"changeType\": \"deleted\", \"resource\": \"x\"}]}";
    ApiClient.Reply r = api.unsigned("POST", "/api/graph/notifications", body);
    assertEquals(202, r.status());
    assertEquals(1, r.json().get("queued").asInt());
    awaitMetric("outlook_sync_changes_routed_total{source=\"graph\",result=\"unmatched\"} 1");
    assertEquals(0, sidecar.queue().size());
    String metrics = api.unsigned("GET", "/metrics", "").body();
    assertTrue(metrics.contains("outlook_sync_graph_notifications_total{result=\"bad_client_state\"} 2"), metrics);
    assertTrue(metrics.contains("outlook_sync_graph_notifications_total{result=\"queued\"} 1"), metrics);
  }

  @Test
  void metricsAreValidPrometheusTextAndCountRequests() throws Exception {
    api.unsigned("GET", "/healthz", "");
    api.unsigned("GET", "/healthz", "");
    api.unsigned("GET", "/api/status", "");
    ApiClient.Reply r = api.unsigned("GET", "/metrics", "");
    assertEquals(200, r.status());
    assertTrue(r.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
    String text = r.body();
    List<String> typed = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        typed.add(line.split(" ")[2]);
      } else if (!line.startsWith("# HELP ")) {
        assertTrue(line.matches("[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9.]+"), "bad sample: " + line);
        assertTrue(typed.contains(line.replaceAll("[{ ].*", "")), "sample before its # TYPE: " + line);
      }
    }
    assertTrue(text.contains("outlook_sync_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"), text);
    assertTrue(text.contains("outlook_sync_http_requests_total{route=\"/api/status\",method=\"GET\",status=\"401\"} 1"), text);
    assertTrue(text.contains("outlook_sync_accounts{state=\"CONNECTED\"} 0"), text);
    assertTrue(typed.containsAll(List.of("process_uptime_seconds", "jvm_memory_used_bytes")), typed.toString());
  }

  @Test
  void secretsNeverReachTheLog() throws Exception {
    Log.setLevel(Log.Level.TRACE);
    bootstrap();
    api.post("/api/configure", "{\"odoo_api_key\": \"" + ODOO_KEY + "\", \"ms_client_secret\": \"" + CLIENT_SECRET + "\"}");
    api.post("/api/configure", "{\"ms_client_secret\": \"" + CLIENT_SECRET + "\", \"ms_tenant\": \"bad tenant\"}");
    new ApiClient(api.base, CLIENT_SECRET).post("/api/configure", "{\"api_shared_secret\": \"" + CLIENT_SECRET + "\"}");
    long account = sidecar.store().accounts().ensure("prod", 8, "someone").id();
    String clientState = "state-of-s-" + System.nanoTime();
    sidecar.store().subscriptions().save(account, "s", "https://sync.example.com/api/graph/notifications", clientState,
        java.time.Instant.now().plusSeconds(3600));
    api.unsigned("POST", "/api/graph/notifications", "{\"value\": [{\"subscriptionId\": \"s\", \"clientState\": \"" + clientState
        + "\"}, {\"clientState\": \"" + CLIENT_SECRET + "\"}]}");
    api.unsigned("POST", "/api/graph/notifications?validationToken=" + CLIENT_SECRET, "");
    api.post("/api/events/changed", "{\"db\": \"" + CLIENT_SECRET + "\"");
    org.slf4j.LoggerFactory.getLogger("com.microsoft.aad.msal4j.Test").warn("token refresh failed: refresh_token=" + ODOO_KEY);
    org.slf4j.LoggerFactory.getLogger(ServiceTest.class).atInfo().addKeyValue("client_secret", CLIENT_SECRET).log("probe");
    String all = String.join("\n", logLines);
    assertTrue(all.contains("configuration pushed by the addon"), all); // the log did capture the calls
    assertTrue(all.contains("client_secret=***"), all);
    for (String secret : List.of(SECRET, CLIENT_SECRET, ODOO_KEY, clientState)) {
      assertFalse(all.contains(secret), "secret in log:\n" + all);
    }
  }
}
