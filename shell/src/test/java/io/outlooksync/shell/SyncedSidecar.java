package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.app.Config;
import io.outlooksync.sidecar.app.Demo;
import io.outlooksync.sidecar.app.Sidecar;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sidecar wired to both emulators (Microsoft 365 and Odoo), alice (prod, login alice) connected through the
 * real sign-in round trip, with one meeting of hers in Odoo ("Planning", bob invited) not yet synced. The shell
 * reaches it over HTTP only.
 */
final class SyncedSidecar implements AutoCloseable {
  static final String SECRET = "synced-shell-secret-0123456789";
  static final String CLIENT_ID = "5b0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";
  static final String CLIENT_SECRET = "client-secret-for-the-shell-tests";

  final M365Emulator m365;
  final OdooEmulator odooEmulator;
  final XmlRpcOdooGateway odoo;
  final Sidecar sidecar;
  final String url;
  final long aliceUid;
  final long planning;
  final Path dataDir;

  SyncedSidecar(Path dir) throws Exception {
    m365 = M365Emulator.builder().mailboxes("alice@example.com", "bob@example.com").app(CLIENT_ID, CLIENT_SECRET).start();
    odooEmulator = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(OdooUser.of("alice", "alice-pw").name("Alice").email("alice@example.com").tz("Europe/Brussels"))
        .build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    aliceUid = odooEmulator.uid("alice");
    Map<String, String> env = Demo.wiredTo(m365, dir, CLIENT_ID, CLIENT_SECRET, SECRET);
    env.put("OUTLOOK_SYNC_ODOO_URL", odooEmulator.url());
    env.put("OUTLOOK_SYNC_ODOO_DB", "prod");
    env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
    env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
    dataDir = dir.resolve("data");
    sidecar = Sidecar.start(Config.load(null, env, new ArrayList<>()));
    url = "http://127.0.0.1:" + sidecar.address().getPort();
    AdminClient api = new AdminClient(URI.create(url), SECRET, Duration.ofSeconds(30));
    String authorize = api.post("/api/users/prod/" + aliceUid + "/signin/start", "{\"login\": \"alice\"}").get("authorize_url").asText();
    Map<String, String> back = new Browser(m365).signIn(URI.create(authorize), "alice@example.com").redirect();
    JsonNode done = api.post("/api/signin/complete", "{\"code\": \"" + back.get("code") + "\", \"state\": \"" + back.get("state") + "\"}");
    if (!"CONNECTED".equals(done.path("state").asText())) {
      throw new IllegalStateException("alice did not connect: " + done);
    }
    long alicePartner = odoo.user(aliceUid).partnerId();
    long bob = odoo.partnersByEmail(List.of("bob@example.com"), true).get("bob@example.com");
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.DAYS);
    planning = odoo.createEvents(List.of(OdooEventDraft.timed("Planning", start, start.plusSeconds(3600))
        .withOrganizer(aliceUid).withPartners(List.of(alicePartner, bob)))).get(0);
  }

  /** {@code outlook-sync-shell --sidecar URL -c line}, in-process, the secret in the environment. */
  TestSidecar.Run run(String line) {
    return TestSidecar.Run.of(List.of("--sidecar", url, "-c", line), Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", SECRET));
  }

  @Override
  public void close() {
    sidecar.close();
    odooEmulator.close();
    m365.close();
  }
}
