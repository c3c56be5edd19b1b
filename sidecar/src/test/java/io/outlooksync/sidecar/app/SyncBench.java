package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.MailLog;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CalendarRound;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphEventDraft;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Alice's calendars on both emulators and a real sidecar process ({@code Main serve}, embedded store) syncing them,
 * for the tests that hurt the sidecar on purpose: {@link CrashSafetyTest} and the {@link FaultMatrix}. It seeds
 * both calendars, edits both sides, starts, kills and restarts the process on the same data, asks it to sync
 * through the signed API, and checks the outcome: each event once on each side with each edit carried, mappings
 * one to one, no invitation mailed twice, no run left RUNNING, no outbox row pending.
 */
final class SyncBench implements AutoCloseable {
  static final String CLIENT_ID = "5b0c7e1a-2d3f-4c5b-8e6d-7f8a9b0c1d2e";
  static final String CLIENT_SECRET = "client-secret-for-the-crash-test";
  static final String SHARED = "shared-secret-for-the-crash-test";
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  /** Graph's and Odoo's time per request while the sidecar is being hurt: long enough to land inside writes. */
  static final long GRAPH_MILLIS = 6;
  static final Duration ODOO_TIME = Duration.ofMillis(10);

  final Path dir;
  final Path dataDir;
  final long seed;
  final Random random;
  final M365Emulator m365;
  final OdooEmulator odooEmulator;
  final XmlRpcOdooGateway odoo;
  final GraphGateway outlook;
  final long aliceUid;
  final long alicePartner;
  final long bobPartner;
  final Path log;
  /** Titles each side must end with, by the title an event started with. */
  final Map<String, String> expectedTitles = new TreeMap<>();
  final List<String> killLog = new ArrayList<>();
  /** Where the sidecar reaches Graph and Odoo: the emulators themselves, or a proxy that can cut the network. */
  String graphUrl;
  String odooUrl;
  Duration syncTimeout = Duration.ofSeconds(120);
  /** More settings for the sidecar process (OUTLOOK_SYNC_...). */
  final Map<String, String> extraEnv = new HashMap<>();
  Process sidecar;
  ApiClient api;
  int meetingsCreated;

  /**
   * Both emulators (Odoo's clock is {@code odooClock}), the Graph client of alice's mailbox, and the log file
   * under {@code target/<logDir>} (kept after the test for a failure to be read). The data directory is
   * {@code dir/data}.
   */
  SyncBench(Path dir, long seed, Clock odooClock, String logDir, String name) throws Exception {
    this(dir, seed, odooClock, logDir, name, List.of());
  }

  /** As above, with more users beside alice and bob: Odoo users {@code login} with mailboxes {@code login@example.com}. */
  SyncBench(Path dir, long seed, Clock odooClock, String logDir, String name, List<String> moreUsers) throws Exception {
    this.dir = dir;
    this.dataDir = dir.resolve("data");
    this.seed = seed;
    this.random = new Random(seed);
    List<String> mailboxes = new ArrayList<>(List.of(ALICE, BOB));
    moreUsers.forEach(u -> mailboxes.add(u + "@example.com"));
    m365 = M365Emulator.builder().mailboxes(mailboxes).app(CLIENT_ID, CLIENT_SECRET).app(TestLogin.CLIENT_ID, TestLogin.SECRET)
        .seed(seed).start();
    OdooEmulator.Builder odooUsers = OdooEmulator.builder().database("prod").clock(odooClock)
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(OdooUser.of("alice", "alice-pw").name("Alice").email(ALICE).tz("Europe/Brussels"))
        .user(OdooUser.of("bob", "bob-pw").name("Bob").email(BOB).tz("Europe/Brussels"));
    moreUsers.forEach(u -> odooUsers.user(OdooUser.of(u, u + "-pw").name(u).email(u + "@example.com").tz("Europe/Brussels")));
    odooEmulator = odooUsers.build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    aliceUid = odooEmulator.uid("alice");
    alicePartner = odoo.user(aliceUid).partnerId();
    bobPartner = odoo.user(odooEmulator.uid("bob")).partnerId();
    String[] token = {TestLogin.signIn(m365, ALICE).accessToken()};
    // The test's own view of the mailbox signs in again when a fault (revoked tokens) voided its token.
    outlook = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build()
        .gateway(ALICE, force -> {
          if (force) {
            try {
              token[0] = TestLogin.signIn(m365, ALICE).accessToken();
            } catch (Exception e) {
              throw new IllegalStateException("signing the test in again failed", e);
            }
          }
          return token[0];
        });
    graphUrl = m365.graphBaseUrl();
    odooUrl = odooEmulator.url();
    Files.createDirectories(Path.of("target", logDir));
    log = Path.of("target", logDir, "sidecar-" + name + "-" + seed + ".log").toAbsolutePath();
    Files.deleteIfExists(log);
  }

  @Override
  public void close() {
    if (sidecar != null) {
      sidecar.destroyForcibly();
    }
    m365.close();
    odooEmulator.close();
  }

  // ---------------------------------------------------------------- the data

  /** {@code fromOdoo} events in Odoo and {@code fromOutlook} in Outlook, every fifth a meeting with bob. */
  void seedBothCalendars(int fromOdoo, int fromOutlook) {
    Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
    List<OdooEventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < fromOdoo; i++) {
      String title = String.format("Odoo event %04d", i);
      Instant start = base.plus(3L * i, ChronoUnit.HOURS);
      List<Long> partners = i % 5 == 0 ? List.of(alicePartner, bobPartner) : List.of(alicePartner);
      drafts.add(OdooEventDraft.timed(title, start, start.plusSeconds(3600)).withOrganizer(aliceUid).withPartners(partners));
      expectedTitles.put(title, title);
      meetingsCreated += i % 5 == 0 ? 1 : 0;
    }
    for (int from = 0; from < drafts.size(); from += 500) {
      odoo.createEvents(drafts.subList(from, Math.min(drafts.size(), from + 500)));
    }
    List<GraphWrite> creates = new ArrayList<>();
    for (int i = 0; i < fromOutlook; i++) {
      String title = String.format("Outlook event %04d", i);
      Instant start = base.plus(3L * i, ChronoUnit.HOURS).plus(90, ChronoUnit.MINUTES);
      List<Attendee> attendees = i % 5 == 0 ? List.of(new Attendee(new Person("Bob", BOB), false, Response.NONE)) : List.of();
      CalEvent c = new CalEvent(title, When.timed(start, start.plusSeconds(1800), BRUSSELS), null, null, null, null, null, null, null,
          attendees);
      creates.add(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "seed-" + i));
      expectedTitles.put(title, title);
      meetingsCreated += i % 5 == 0 ? 1 : 0;
    }
    for (WriteResult r : outlook.write(creates)) {
      assertTrue(r.done(), r.toString());
    }
  }

  /** Renames some events of each origin on each side, meetings among them, once a sync is through. */
  void editBothSides(String round) {
    Map<String, OdooEvent> inOdoo = odooEventsByTitle();
    Map<Long, EventChanges> odooEdits = new LinkedHashMap<>();
    Map<String, GraphEvent> inOutlook = outlookEventsByTitle();
    List<GraphWrite> outlookEdits = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> e : new ArrayList<>(expectedTitles.entrySet())) {
      String now = e.getValue();
      if (i % 6 == 1) {
        String renamed = now + " (moved in Odoo" + round + ")";
        odooEdits.put(inOdoo.get(now).id(), EventChanges.of().name(renamed).location("Room " + i));
        expectedTitles.put(e.getKey(), renamed);
      } else if (i % 6 == 4) {
        String renamed = now + " (moved in Outlook" + round + ")";
        GraphEvent g = inOutlook.get(now);
        GraphEventDraft changes = GraphEventDraft.timed(renamed, g.start(), g.end(), BRUSSELS);
        outlookEdits.add(new GraphWrite.Update(g.id(), changes, Set.of(GraphEventDraft.Field.SUBJECT), null));
        expectedTitles.put(e.getKey(), renamed);
      }
      i++;
    }
    odoo.writeEvents(odooEdits);
    for (WriteResult r : outlook.write(outlookEdits)) {
      assertTrue(r.done(), r.toString());
    }
  }

  // ---------------------------------------------------------------- the sidecar process

  void startSidecar() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Map<String, String> env = Demo.wiredTo(m365, dir, CLIENT_ID, CLIENT_SECRET, SHARED);
    env.put("OUTLOOK_SYNC_DATA_DIR", dataDir.toString());
    env.put("OUTLOOK_SYNC_LISTEN", "127.0.0.1:" + port);
    env.put("OUTLOOK_SYNC_GRAPH_URL", graphUrl);
    env.put("OUTLOOK_SYNC_ODOO_URL", odooUrl);
    env.put("OUTLOOK_SYNC_ODOO_DB", "prod");
    env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
    env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
    env.putAll(extraEnv);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Djdk.serialFilter=!*", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
    pb.environment().keySet().removeIf(k -> k.startsWith("OUTLOOK_SYNC_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long started = System.nanoTime();
    sidecar = pb.start();
    api = new ApiClient(URI.create("http://127.0.0.1:" + port), SHARED);
    HttpRequest health = HttpRequest.newBuilder(api.base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until && sidecar.isAlive()) {
      try {
        api.http.send(health, HttpResponse.BodyHandlers.ofString());
        System.out.println("sidecar up in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the sidecar did not come up" + context());
  }

  void stopSidecar() throws Exception {
    sidecar.destroy();
    assertTrue(sidecar.waitFor(30, TimeUnit.SECONDS), "did not stop on SIGTERM" + context());
    sidecar = null;
  }

  void kill() throws Exception {
    sidecar.destroyForcibly(); // SIGKILL: no shutdown hook, no store close
    assertTrue(sidecar.waitFor(10, TimeUnit.SECONDS));
    sidecar = null;
  }

  void connectAlice() throws Exception {
    connect("alice", ALICE);
  }

  /** The Odoo user {@code login} connects mailbox {@code mailbox} through the real sign-in round trip. */
  void connect(String login, String mailbox) throws Exception {
    String authorize = api.post("/api/users/prod/" + odooEmulator.uid(login) + "/signin/start", "{\"login\": \"" + login + "\"}")
        .json().get("authorize_url").asText();
    Map<String, String> redirect = new Browser(m365).signIn(URI.create(authorize), mailbox).redirect();
    ApiClient.Reply done = api.post("/api/signin/complete",
        "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}");
    assertEquals(200, done.status(), done.body());
  }

  /** Alice's user status as the addon reads it. */
  JsonNode status() throws Exception {
    return status(aliceUid);
  }

  JsonNode status(long uid) throws Exception {
    return api.get("/api/users/prod/" + uid + "/status").json();
  }

  CompletableFuture<HttpResponse<String>> requestSync() {
    return requestSync(aliceUid);
  }

  CompletableFuture<HttpResponse<String>> requestSync(long uid) {
    String path = "/api/users/prod/" + uid + "/sync";
    String ts = ApiClient.now();
    HttpRequest signed = api.request("POST", path, "{}", ts, ApiClient.signature(SHARED, ts, "POST", path, "{}"));
    HttpRequest patient = HttpRequest.newBuilder(signed, (name, value) -> true).timeout(syncTimeout).build();
    return api.http.sendAsync(patient, HttpResponse.BodyHandlers.ofString());
  }

  /** A whole run through Sync now, waiting out a run under way (starting the sidecar if it is down). */
  JsonNode syncToTheEnd() throws Exception {
    return syncToTheEnd(aliceUid);
  }

  JsonNode syncToTheEnd(long uid) throws Exception {
    if (sidecar == null) {
      startSidecar();
    }
    long began = System.nanoTime();
    long patience = TimeUnit.SECONDS.toNanos(60) + 2 * syncTimeout.toNanos();
    HttpResponse<String> r = requestSync(uid).get(syncTimeout.toSeconds(), TimeUnit.SECONDS);
    // The scheduler runs the account at start-up (catching up): Sync now is refused while that run holds it.
    // A refused Sync now asks for one more run after the one under way, so wait until the account is idle.
    while (r.statusCode() == 409 && r.body().contains("\"busy\"") && System.nanoTime() - began < patience) {
      while (status(uid).path("syncing").asBoolean(false) && System.nanoTime() - began < patience) {
        Thread.sleep(250);
      }
      r = requestSync(uid).get(syncTimeout.toSeconds(), TimeUnit.SECONDS);
    }
    assertEquals(200, r.statusCode(), r.body() + context());
    System.out.println("a whole run in " + (System.nanoTime() - began) / 1_000_000 + " ms: " + r.body());
    return ApiClient.JSON.readTree(r.body());
  }

  void assertSucceeds(JsonNode run) {
    assertTrue(run.get("succeeded").asBoolean(), run + context());
  }

  /** Runs until one succeeds (a fault just lifted may fail the first), at most {@code tries}; returns the last. */
  JsonNode syncUntilSucceeded(int tries) throws Exception {
    JsonNode run = syncToTheEnd();
    for (int i = 1; i < tries && !run.get("succeeded").asBoolean(); i++) {
      run = syncToTheEnd();
    }
    assertSucceeds(run);
    return run;
  }

  /**
   * Starts the sidecar if it is down, asks for a sync and kills the process at a point drawn from the seeded
   * random: after a delay, after some Graph write steps have been carried out, or just after Odoo was asked to
   * create or write events. Once a run of the phase has gone through (nothing left to write), only delays are
   * drawn. Returns whether the run ended before its kill point.
   */
  boolean syncAndKill(String label, boolean caughtUp) throws Exception {
    if (sidecar == null) {
      startSidecar();
    }
    long began = System.nanoTime();
    int graphStepsBefore = graphWriteSteps();
    int odooCallsBefore = odooEmulator.calls().calls().size();
    int kind = caughtUp ? 0 : random.nextInt(3);
    String point;
    BooleanSupplier reached;
    if (kind == 0) {
      long millis = random.nextInt(caughtUp ? 1500 : 3000);
      long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      point = "after " + millis + " ms";
      reached = () -> System.nanoTime() >= at;
    } else if (kind == 1) {
      int steps = 1 + random.nextInt(60);
      point = "after " + steps + " Graph write steps";
      reached = () -> graphWriteSteps() - graphStepsBefore >= steps;
    } else {
      long extra = random.nextInt(150);
      point = "" + extra + " ms after Odoo's first create/write call";
      long[] seenAt = {0};
      reached = () -> {
        if (seenAt[0] == 0 && odooEmulator.calls().calls().stream().skip(odooCallsBefore)
            .anyMatch(c -> c.equals("calendar.event.create") || c.equals("calendar.event.write"))) {
          seenAt[0] = System.nanoTime();
        }
        return seenAt[0] != 0 && System.nanoTime() - seenAt[0] >= TimeUnit.MILLISECONDS.toNanos(extra);
      };
    }
    CompletableFuture<HttpResponse<String>> reply = requestSync();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!reached.getAsBoolean() && !(reply.isDone() && reply.join().statusCode() == 200) && System.nanoTime() < until) {
      Thread.sleep(1);
    }
    // A Sync now refused as busy (a scheduled run holds the account) did not end anything: that run is cut.
    boolean ended = reply.isDone() && reply.join().statusCode() == 200;
    kill();
    killLog.add(label + ": " + point + (ended ? " (the run had already ended)" : ""));
    System.out.println("kill " + killLog.get(killLog.size() - 1) + " at " + (System.nanoTime() - began) / 1_000_000 + " ms; "
        + (graphWriteSteps() - graphStepsBefore) + " Graph write steps, " + (odooEmulator.calls().calls().size() - odooCallsBefore)
        + " Odoo calls");
    return ended;
  }

  private int graphWriteSteps() {
    return m365.requestLog().select(e -> e.inBatch() && ALICE.equalsIgnoreCase(e.mailbox()) && !e.method().equals("GET")).size();
  }

  void slowServices(boolean slow) {
    slowServices(slow ? GRAPH_MILLIS : 0, slow ? ODOO_TIME : Duration.ZERO);
  }

  void slowServices(long graphMillis, Duration odooTime) {
    m365.controls().serviceMillis(graphMillis);
    odooEmulator.controls().serviceTime(odooTime);
  }

  String context() {
    String tail;
    try {
      List<String> lines = Files.readAllLines(log);
      tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (java.io.IOException e) {
      tail = "(no log: " + e + ")";
    }
    return "\nseed " + seed + (killLog.isEmpty() ? "" : ", kills " + killLog) + "\nsidecar log (" + log + ") tail:\n" + tail;
  }

  // ---------------------------------------------------------------- the checks

  /** Stops the sidecar, then every check: nothing doubled, nothing lost, nothing left half done. */
  void assertConverged() throws Exception {
    if (sidecar != null) {
      stopSidecar();
    }
    assertEachEventOnceOnBothSides();
    assertMappingsOneToOne();
    assertNoMailTwice();
    assertNoRunLeftRunning();
    // After real sign-ins and syncs the store holds tokens and secrets: none readable in the data directory.
    assertEquals(List.of(), SecretScan.findInFiles(dataDir), "secrets at rest in the clear" + context());
  }

  Map<String, OdooEvent> odooEventsByTitle() {
    Map<String, OdooEvent> out = new HashMap<>();
    for (OdooEvent e : odooEvents()) {
      out.put(e.name(), e);
    }
    return out;
  }

  List<OdooEvent> odooEvents() {
    return odoo.eventsChangedSince(Instant.EPOCH, 0, 10_000).items().stream().filter(OdooEvent::active).toList();
  }

  Map<String, GraphEvent> outlookEventsByTitle() {
    Map<String, GraphEvent> out = new HashMap<>();
    for (GraphEvent e : outlookEvents()) {
      out.put(e.subject(), e);
    }
    return out;
  }

  List<GraphEvent> outlookEvents() {
    return CalendarRound.events(outlook, Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(400, ChronoUnit.DAYS));
  }

  private void assertEachEventOnceOnBothSides() {
    Set<String> expected = new HashSet<>(expectedTitles.values());
    Map<String, Long> inOdoo = odooEvents().stream().collect(Collectors.groupingBy(OdooEvent::name, TreeMap::new, Collectors.counting()));
    Map<String, Long> inOutlook = outlookEvents().stream().collect(Collectors.groupingBy(GraphEvent::subject, TreeMap::new,
        Collectors.counting()));
    assertEquals(Map.of(), doubles(inOdoo), "doubled in Odoo" + context());
    assertEquals(Map.of(), doubles(inOutlook), "doubled in Outlook" + context());
    assertEquals(expected, inOdoo.keySet(), "Odoo holds every event, each edit carried" + context());
    assertEquals(expected, inOutlook.keySet(), "Outlook holds every event, each edit carried" + context());
    for (OdooEvent e : odooEvents()) {
      if (e.name().contains("(moved in Odoo")) {
        assertTrue(e.location() != null && e.location().startsWith("Room "), e.name());
      }
    }
    for (GraphEvent e : outlookEvents()) {
      if (e.subject().contains("(moved in Odoo")) {
        assertTrue(e.location() != null && e.location().startsWith("Room "), e.subject() + " lost its new location in Outlook");
      }
    }
  }

  private static Map<String, Long> doubles(Map<String, Long> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (v > 1) {
        out.put(k, v);
      }
    });
    return out;
  }

  private void assertMappingsOneToOne() throws Exception {
    Map<Long, String> odooTitles = new HashMap<>();
    odooEvents().forEach(e -> odooTitles.put(e.id(), e.name()));
    Map<String, String> outlookTitles = new HashMap<>();
    outlookEvents().forEach(e -> outlookTitles.put(e.id(), e.subject()));
    try (Database db = Database.embedded(dataDir)) {
      List<long[]> rows = new ArrayList<>();
      List<String> graphIds = db.transaction(c -> {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT odoo_event_id, graph_id FROM mapping")) {
          while (rs.next()) {
            rows.add(new long[] {rs.getLong(1), out.size()});
            out.add(rs.getString(2));
          }
        }
        return out;
      });
      Map<Long, String> pairs = new HashMap<>();
      for (long[] row : rows) {
        assertEquals(null, pairs.put(row[0], graphIds.get((int) row[1])), "Odoo event " + row[0] + " mapped twice" + context());
      }
      assertEquals(pairs.size(), new HashSet<>(pairs.values()).size(), "an Outlook event mapped twice" + context());
      assertEquals(expectedTitles.size(), pairs.size(), "one mapping per event" + context());
      pairs.forEach((odooId, graphId) -> assertEquals(odooTitles.get(odooId), outlookTitles.get(graphId),
          "mapping " + odooId + " -> " + graphId + " links the same event" + context()));
    }
  }

  /** An invitation (or an update) to one person about one meeting goes out at most once; each meeting invites bob once. */
  private void assertNoMailTwice() {
    Map<String, Long> mails = m365.mailLog().all().stream()
        .filter(m -> m.kind() == MailLog.Kind.INVITATION || m.kind() == MailLog.Kind.UPDATE)
        .collect(Collectors.groupingBy(m -> m.kind() + " to " + m.to() + " about " + m.subject(), TreeMap::new, Collectors.counting()));
    assertEquals(Map.of(), doubles(mails), "mails sent more than once" + context());
    long invitations = m365.mailLog().count(MailLog.Kind.INVITATION);
    assertEquals(meetingsCreated, invitations, "each meeting invites bob once" + context());
  }

  private void assertNoRunLeftRunning() throws Exception {
    try (Database db = Database.embedded(dataDir)) {
      Map<String, Integer> byStatus = runsByStatus(db);
      System.out.println("runs by status " + byStatus);
      assertEquals(null, byStatus.get("RUNNING"), "a run cut off by a kill is marked at the next start: " + byStatus + context());
      long cutOff = killLog.stream().filter(k -> !k.endsWith("(the run had already ended)")).count();
      assertTrue(cutOff == 0 || byStatus.getOrDefault("ABANDONED", 0) > 0, "runs cut off are marked ABANDONED: " + byStatus + context());
      int pending = db.transaction(c -> {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox WHERE status IN ('PENDING', 'GAVE_UP')")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertEquals(0, pending, "no outbox row is left pending or parked once a run has gone through" + context());
    }
  }

  /** The journal's runs by status. */
  static Map<String, Integer> runsByStatus(Database db) throws Exception {
    return db.transaction(c -> {
      Map<String, Integer> out = new TreeMap<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT status, COUNT(*) FROM sync_run GROUP BY status")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
      return out;
    });
  }
}
