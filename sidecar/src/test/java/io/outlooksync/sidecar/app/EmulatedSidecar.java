package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.auth.TokenUnavailable;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * A whole sidecar as the API tests start one: wired to the Microsoft 365 emulator ({@link Demo#wiredTo}) and to
 * an Odoo emulator (database prod, service user sync, user alice), with a signing API client.
 */
final class EmulatedSidecar implements AutoCloseable {
  final M365Emulator m365;
  final OdooEmulator odooEmulator;
  final XmlRpcOdooGateway odoo;
  final Sidecar sidecar;
  final ApiClient api;
  final long aliceUid;

  EmulatedSidecar(M365Emulator m365, Path dataDir, String clientId, String clientSecret, String sharedSecret) throws Exception {
    this(m365, dataDir, clientId, clientSecret, sharedSecret, java.time.Clock.systemUTC());
  }

  /** With the subscription keeper on {@code subscriptionClock}, which a test moves to reach renewals. */
  EmulatedSidecar(M365Emulator m365, Path dataDir, String clientId, String clientSecret, String sharedSecret,
                  java.time.Clock subscriptionClock) throws Exception {
    this.m365 = m365;
    odooEmulator = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(OdooUser.of("alice", "alice-pw").name("Alice").email("alice@example.com").tz("Europe/Brussels"))
        .build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    aliceUid = odooEmulator.uid("alice");
    Map<String, String> env = Demo.wiredTo(m365, dataDir, clientId, clientSecret, sharedSecret);
    env.put("OUTLOOK_SYNC_ODOO_URL", odooEmulator.url());
    env.put("OUTLOOK_SYNC_ODOO_DB", "prod");
    env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
    env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
    sidecar = Sidecar.start(Config.load(null, env, new ArrayList<>()), subscriptionClock);
    api = new ApiClient(URI.create("http://127.0.0.1:" + sidecar.address().getPort()), sharedSecret);
  }

  /** Alice signs in as the addon has her do it: sign-in start, Microsoft's page, complete. Returns her account id. */
  long connectAlice() throws Exception {
    String authorize = api.post("/api/users/prod/" + aliceUid + "/signin/start", "{\"login\": \"alice\"}").json()
        .get("authorize_url").asText();
    Map<String, String> redirect = new Browser(m365).signIn(URI.create(authorize), "alice@example.com").redirect();
    ApiClient.Reply done = api.post("/api/signin/complete",
        "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}");
    assertEquals(200, done.status(), done.body());
    return sidecar.store().accounts().find("prod", aliceUid).orElseThrow().id();
  }

  /** An account's mailbox through Graph, with the tokens the sidecar holds for it. */
  GraphGateway outlook(long account) {
    return GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build()
        .gateway("test-" + account, force -> {
          try {
            return sidecar.microsoft().accessTokens().orElseThrow().accessToken(account, force);
          } catch (TokenUnavailable e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** A Graph subscription for {@code account} as the keeper would store it; returns its clientState. */
  String storedSubscription(long account, String subscriptionId) throws Exception {
    String clientState = "state-of-" + subscriptionId + "-" + System.nanoTime();
    sidecar.store().subscriptions().save(account, subscriptionId, "https://sync.example.com/api/graph/notifications", clientState,
        java.time.Instant.now().plusSeconds(3600));
    return clientState;
  }

  /** What Graph posts to the webhook when an event of the subscription's calendar changed. */
  ApiClient.Reply graphNotification(String subscriptionId, String clientState) throws Exception {
    return api.unsigned("POST", "/api/graph/notifications", "{\"value\": [{\"subscriptionId\": \"" + subscriptionId
        + "\", \"clientState\": \"" + clientState + "\", \"changeType\": \"updated\", \"resource\": \"Users/x/Events/e1\"}]}");
  }

  @Override
  public void close() {
    sidecar.close();
    odooEmulator.close();
  }
}
