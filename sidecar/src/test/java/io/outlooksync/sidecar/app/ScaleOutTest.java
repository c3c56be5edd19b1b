package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.m365.graph.StoredEvent;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real sidecar processes ({@code Main serve}) on one real PostgreSQL store, with the emulators in this JVM:
 * the accounts are leased out evenly, an Odoo announcement or a Graph notification reaching a sidecar that does
 * not hold the account is run by the one that does, a sidecar killed with SIGKILL has its accounts taken over
 * once their leases expire, and no account is ever synced by two sidecars at once (the journal's runs of each
 * account never overlap).
 */
class ScaleOutTest {
  static final String CLIENT_ID = "7e1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4f";
  static final String CLIENT_SECRET = "client-secret-for-the-scale-out-test";
  static final String SHARED = "shared-secret-for-the-scale-out-test";
  static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank");
  static final int LEASE_SECONDS = 5;
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  M365Emulator m365;
  OdooEmulator odooEmulator;
  XmlRpcOdooGateway odoo;
  String database;
  String keys = SecretBox.newKeyLine("k1");
  final List<Process> sidecars = new ArrayList<>();
  final List<ApiClient> apis = new ArrayList<>();
  final List<Path> logs = new ArrayList<>();
  /** Account id by login. */
  final Map<String, Long> accounts = new LinkedHashMap<>();
  Instant killedAt;

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require("ScaleOutTest");
  }

  @BeforeEach
  void start() throws Exception {
    List<String> mailboxes = USERS.stream().map(u -> u + "@example.com").toList();
    m365 = M365Emulator.builder().mailboxes(mailboxes).app(CLIENT_ID, CLIENT_SECRET).app(TestLogin.CLIENT_ID, TestLogin.SECRET).start();
    OdooEmulator.Builder b = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin());
    for (String u : USERS) {
      b.user(OdooUser.of(u, u + "-pw").name(u).email(u + "@example.com").tz("Europe/Brussels"));
    }
    odooEmulator = b.build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    database = TestPostgres.createDatabase("outlook_sync_scaleout");
    for (int i = 0; i < 3; i++) {
      startSidecar(i);
    }
  }

  @AfterEach
  void stop() throws Exception {
    System.out.println("sidecar logs at the end:" + context());
    for (Process p : sidecars) {
      if (p != null && p.isAlive()) {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
    }
    odooEmulator.close();
    m365.close();
    TestPostgres.drop(database);
  }

  @Test
  void accountsAreLeasedRoutedAndTakenOverWithoutEverSyncingTwiceAtOnce() throws Exception {
    // Everyone connects and confirms a first sync through sidecar 0; the leases then even out over the three.
    for (String u : USERS) {
      accounts.put(u, connect(apis.get(0), u));
      ApiClient.Reply first = apis.get(0).post("/api/users/prod/" + odooEmulator.uid(u) + "/sync", "{}");
      assertEquals(200, first.status(), first.body() + context());
    }
    await(() -> evenShares(holders()), "the six accounts leased out evenly over the three sidecars");

    // An Odoo change announced to a sidecar that does not hold the account is run by the one that does.
    for (String u : USERS) {
      int notHolder = sidecarNotHolding(accounts.get(u));
      String title = "Planning of " + u;
      odooMeeting(u, title);
      announceAll(apis.get(notHolder));
      await(() -> inOutlook(u, title), title + " in " + u + "'s Outlook, announced to sidecar " + notHolder);
    }

    // Graph notifications all reach sidecar 0 (its URL is the public one); each is run by the account's holder.
    ApiClient.Reply pushed = apis.get(0).post("/api/configure", "{\"public_base_url\": \"" + apis.get(0).base + "\"}");
    assertEquals(200, pushed.status(), pushed.body());
    await(() -> m365.subscriptions().list().size() == USERS.size(), "every account subscribed by its holder" + context());
    for (String u : USERS) {
      String title = "Dentist of " + u;
      outlookEvent(u, title);
      await(() -> inOdoo(title), title + " in Odoo, notified to sidecar 0");
    }

    // Sidecar 1 is killed: its accounts are taken over once their leases expire, and then sync again.
    List<Long> orphans = new ArrayList<>();
    String victim = instanceOf(1);
    holders().forEach((account, holder) -> {
      if (holder.equals(victim)) {
        orphans.add(account);
      }
    });
    assertTrue(!orphans.isEmpty(), "sidecar 1 held accounts: " + holdersQuietly());
    killedAt = Instant.now();
    sidecars.get(1).destroyForcibly();
    assertTrue(sidecars.get(1).waitFor(10, TimeUnit.SECONDS));
    // One reading of the leases per check: a lease expiring between two readings is no holder, not an error.
    await(() -> {
      Map<Long, String> now = holders();
      return orphans.stream().allMatch(a -> now.containsKey(a) && !now.get(a).equals(victim));
    },
        "the killed sidecar's accounts taken over: " + holdersQuietly());
    Duration takeover = Duration.between(killedAt, Instant.now());
    System.out.println("takeover after SIGKILL: " + takeover.toMillis() + " ms (lease " + LEASE_SECONDS + " s)");
    assertTrue(takeover.compareTo(Duration.ofSeconds(LEASE_SECONDS * 3L)) < 0, "taken over within a few leases: " + takeover);
    for (long account : orphans) {
      String u = loginOf(account);
      String title = "After the kill, " + u;
      odooMeeting(u, title);
      announceAll(apis.get(0));
      await(() -> inOutlook(u, title), title + " in Outlook, synced by the new holder");
    }

    assertNoAccountSyncedTwiceAtOnce();
  }

  // ---------------------------------------------------------------- checks

  /** The journal: for each account, every run ends before the next one starts (a killed one ends at the kill). */
  private void assertNoAccountSyncedTwiceAtOnce() throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.url(database), TestPostgres.user(), TestPostgres.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT account_id, id, started_at, finished_at FROM sync_run WHERE NOT dry_run "
             + "ORDER BY account_id, started_at, id")) {
      long lastAccount = -1;
      Instant lastEnd = Instant.MIN;
      long lastRun = 0;
      int runs = 0;
      while (rs.next()) {
        long account = rs.getLong(1);
        Instant start = rs.getTimestamp(3).toInstant();
        Timestamp f = rs.getTimestamp(4);
        Instant end = f != null ? f.toInstant() : killedAt;
        if (account == lastAccount) {
          assertTrue(!start.isBefore(lastEnd), "account " + account + ": run " + rs.getLong(2) + " started at " + start
              + " while run " + lastRun + " went on until " + lastEnd);
        }
        lastAccount = account;
        lastEnd = end;
        lastRun = rs.getLong(2);
        runs++;
      }
      assertTrue(runs > USERS.size() * 3, "the journal has the runs: " + runs);
    }
  }

  private Map<Long, String> holders() {
    try (Connection c = DriverManager.getConnection(TestPostgres.url(database), TestPostgres.user(), TestPostgres.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT account_id, holder FROM sync_lease WHERE holder IS NOT NULL AND expires_at > now()")) {
      Map<Long, String> out = new HashMap<>();
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getString(2));
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean evenShares(Map<Long, String> holders) {
    return holders.size() == USERS.size() && holders.values().stream().distinct().count() == 3
        && holders.values().stream().distinct().allMatch(h -> holders.values().stream().filter(h::equals).count() == 2);
  }

  private String holdersQuietly() {
    return holders().toString();
  }

  /** A sidecar's instance id, from its log line "joined the sidecars sharing the store". */
  private String instanceOf(int i) throws Exception {
    for (String line : Files.readAllLines(logs.get(i))) {
      if (line.contains("joined the sidecars")) {
        return line.replaceFirst(".* instance=(\\S+).*", "$1");
      }
    }
    throw new AssertionError("sidecar " + i + " did not join" + context());
  }

  private int sidecarNotHolding(long account) throws Exception {
    String holder = holders().get(account);
    for (int i = 0; i < sidecars.size(); i++) {
      if (sidecars.get(i).isAlive() && !instanceOf(i).equals(holder)) {
        return i;
      }
    }
    throw new AssertionError("no other sidecar");
  }

  private String loginOf(long account) {
    return accounts.entrySet().stream().filter(e -> e.getValue() == account).findFirst().orElseThrow().getKey();
  }

  private boolean inOutlook(String user, String title) {
    return m365.mailbox(user + "@example.com").storedEvents().stream().map(StoredEvent::subject).anyMatch(title::equals);
  }

  private boolean inOdoo(String title) {
    return odoo.eventsChangedSince(Instant.EPOCH, 0, 500).items().stream().map(OdooEvent::name).anyMatch(title::equals);
  }

  private void odooMeeting(String user, String title) {
    long uid = odooEmulator.uid(user);
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.DAYS);
    odoo.createEvents(List.of(OdooEventDraft.timed(title, at, at.plusSeconds(3600)).withOrganizer(uid)
        .withPartners(List.of(odoo.user(uid).partnerId()))));
  }

  /** What the addon's hook does after a commit: announces the changed events (here: all of them). */
  private void announceAll(ApiClient api) throws Exception {
    StringBuilder ids = new StringBuilder();
    for (OdooEvent e : odoo.eventsChangedSince(Instant.EPOCH, 0, 500).items()) {
      ids.append(ids.length() == 0 ? "" : ",").append(e.id());
    }
    ApiClient.Reply r = api.post("/api/events/changed", "{\"db\": \"prod\", \"model\": \"calendar.event\", \"ids\": [" + ids + "]}");
    assertEquals(202, r.status(), r.body());
  }

  /** The user adds an event in Outlook (through another app's token, as Outlook itself would). */
  private void outlookEvent(String user, String title) throws Exception {
    String token = TestLogin.signIn(m365, user + "@example.com").accessToken();
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(3, ChronoUnit.DAYS);
    CalEvent c = new CalEvent(title, When.timed(at, at.plusSeconds(1800), ZoneId.of("Europe/Brussels")),
        null, null, null, null, null, null, null, null);
    var gateway = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build()
        .gateway("test-" + user, force -> token);
    assertTrue(gateway.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "t-" + title))).get(0).done());
  }

  private long connect(ApiClient api, String user) throws Exception {
    long uid = odooEmulator.uid(user);
    String authorize = api.post("/api/users/prod/" + uid + "/signin/start", "{\"login\": \"" + user + "\"}").json()
        .get("authorize_url").asText();
    Map<String, String> redirect = new Browser(m365).signIn(URI.create(authorize), user + "@example.com").redirect();
    ApiClient.Reply done = api.post("/api/signin/complete",
        "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}");
    assertEquals(200, done.status(), done.body());
    return accountId(uid);
  }

  private long accountId(long uid) throws Exception {
    try (Connection c = DriverManager.getConnection(TestPostgres.url(database), TestPostgres.user(), TestPostgres.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM account WHERE odoo_db = 'prod' AND odoo_user_id = " + uid)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what + context());
      }
      Thread.sleep(100);
    }
  }

  private String context() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < logs.size(); i++) {
      try {
        List<String> lines = Files.readAllLines(logs.get(i));
        b.append("\n--- sidecar ").append(i).append(" (last lines)\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      } catch (Exception e) {
        b.append("\n(no log for sidecar ").append(i).append(")");
      }
    }
    return b.toString();
  }

  private void startSidecar(int i) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path home = Files.createDirectories(dir.resolve("sidecar-" + i));
    Map<String, String> env = Demo.wiredTo(m365, home, CLIENT_ID, CLIENT_SECRET, SHARED);
    env.put("OUTLOOK_SYNC_LISTEN", "127.0.0.1:" + port);
    env.put("OUTLOOK_SYNC_ODOO_URL", odooEmulator.url());
    env.put("OUTLOOK_SYNC_ODOO_DB", "prod");
    env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
    env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
    env.put("OUTLOOK_SYNC_DB_URL", TestPostgres.url(database));
    env.put("OUTLOOK_SYNC_DB_USER", TestPostgres.user());
    if (!TestPostgres.password().isEmpty()) {
      env.put("OUTLOOK_SYNC_DB_PASSWORD", TestPostgres.password());
    }
    env.put("OUTLOOK_SYNC_SECRET_KEYS", keys); // one key for all: each reads what the others sealed
    env.put("OUTLOOK_SYNC_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
    Path log = dir.resolve("sidecar-" + i + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Djdk.serialFilter=!*", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
    pb.environment().keySet().removeIf(k -> k.startsWith("OUTLOOK_SYNC_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    sidecars.add(p);
    logs.add(log);
    ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port), SHARED);
    apis.add(api);
    HttpRequest health = HttpRequest.newBuilder(api.base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until && p.isAlive()) {
      try {
        api.http.send(health, HttpResponse.BodyHandlers.ofString());
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("sidecar " + i + " did not come up" + context());
  }
}
