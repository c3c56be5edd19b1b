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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, end to end: a real sidecar process syncing 500 events is killed with SIGKILL ten times at seeded
 * random points (some while Graph writes a batch, some right after Odoo's create), restarted on the same data each
 * time, and then allowed to finish. Nothing may be doubled or lost on either side, no invitation may go out twice,
 * and no run may stay RUNNING in the journal. The seed is printed; {@code -Dcrash.seed=N} repeats a run.
 */
class CrashSafetyTest {
  static final String CLIENT_ID = "5b0c7e1a-2d3f-4c5b-8e6d-7f8a9b0c1d2e";
  static final String CLIENT_SECRET = "client-secret-for-the-crash-test";
  static final String SHARED = "shared-secret-for-the-crash-test";
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  static final int FROM_ODOO = 250;
  static final int FROM_OUTLOOK = 250;
  static final int KILLS_WHILE_CREATING = 6;
  static final int KILLS_WHILE_EDITING = 4;
  /** Graph's and Odoo's time per request while the sidecar is being killed: long enough to land inside writes. */
  static final long GRAPH_MILLIS = 6;
  static final Duration ODOO_TIME = Duration.ofMillis(10);

  @TempDir
  Path dir;
  M365Emulator m365;
  OdooEmulator odooEmulator;
  XmlRpcOdooGateway odoo;
  GraphGateway outlook;
  long aliceUid;
  long alicePartner;
  long bobPartner;
  Process sidecar;
  ApiClient api;
  Path log;
  final long seed = Long.getLong("crash.seed", System.nanoTime());
  final Random random = new Random(seed);
  final List<String> killLog = new ArrayList<>();
  /** Titles each side must end with, by the title an event started with. */
  final Map<String, String> expectedTitles = new TreeMap<>();

  @BeforeEach
  void start() throws Exception {
    System.out.println("CrashSafetyTest seed " + seed + " (repeat with -Dcrash.seed=" + seed + ")");
    m365 = M365Emulator.builder().mailboxes(ALICE, BOB).app(CLIENT_ID, CLIENT_SECRET).app(TestLogin.CLIENT_ID, TestLogin.SECRET)
        .seed(seed).start();
    odooEmulator = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(OdooUser.of("alice", "alice-pw").name("Alice").email(ALICE).tz("Europe/Brussels"))
        .user(OdooUser.of("bob", "bob-pw").name("Bob").email(BOB).tz("Europe/Brussels"))
        .build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    aliceUid = odooEmulator.uid("alice");
    alicePartner = odoo.user(aliceUid).partnerId();
    bobPartner = odoo.user(odooEmulator.uid("bob")).partnerId();
    TestLogin.Tokens tokens = TestLogin.signIn(m365, ALICE);
    outlook = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build()
        .gateway(ALICE, force -> tokens.accessToken());
    // Kept after the test (the temporary directory is not) for a failure to be read.
    Files.createDirectories(Path.of("target", "crash-safety"));
    log = Path.of("target", "crash-safety", "sidecar-" + seed + ".log").toAbsolutePath();
    Files.deleteIfExists(log);
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.destroyForcibly();
    }
    m365.close();
    odooEmulator.close();
  }

  @Test
  void killedTenTimesDuringA500EventSyncThenNothingIsDoubledOrLost() throws Exception {
    long began = System.nanoTime();
    seedBothCalendars();
    startSidecar();
    connectAlice();

    slowServices(true);
    boolean caughtUp = false;
    for (int i = 0; i < KILLS_WHILE_CREATING; i++) {
      caughtUp |= syncAndKill("create-" + i, caughtUp);
    }
    slowServices(false);
    assertSucceeds(syncToTheEnd());

    editBothSides();
    slowServices(true);
    caughtUp = false;
    for (int i = 0; i < KILLS_WHILE_EDITING; i++) {
      caughtUp |= syncAndKill("edit-" + i, caughtUp);
    }
    slowServices(false);
    assertSucceeds(syncToTheEnd());
    JsonNode quiet = syncToTheEnd();
    assertSucceeds(quiet);
    assertEquals(0, quiet.get("changes").asInt(), "a run after everything is in sync changes nothing: " + quiet + context());

    stopSidecar();
    System.out.println("CrashSafetyTest seed " + seed + " kills " + killLog + " in " + (System.nanoTime() - began) / 1_000_000 + " ms");
    assertEachEventOnceOnBothSides();
    assertMappingsOneToOne();
    assertNoMailTwice();
    assertNoRunLeftRunning();
  }

  // ---------------------------------------------------------------- the data

  private void seedBothCalendars() {
    Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
    List<OdooEventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < FROM_ODOO; i++) {
      String title = String.format("Odoo event %03d", i);
      Instant start = base.plus(3L * i, ChronoUnit.HOURS);
      List<Long> partners = i % 5 == 0 ? List.of(alicePartner, bobPartner) : List.of(alicePartner);
      drafts.add(OdooEventDraft.timed(title, start, start.plusSeconds(3600)).withOrganizer(aliceUid).withPartners(partners));
      expectedTitles.put(title, title);
    }
    odoo.createEvents(drafts);
    List<GraphWrite> creates = new ArrayList<>();
    for (int i = 0; i < FROM_OUTLOOK; i++) {
      String title = String.format("Outlook event %03d", i);
      Instant start = base.plus(3L * i, ChronoUnit.HOURS).plus(90, ChronoUnit.MINUTES);
      List<Attendee> attendees = i % 5 == 0 ? List.of(new Attendee(new Person("Bob", BOB), false, Response.NONE)) : List.of();
      CalEvent c = new CalEvent(title, When.timed(start, start.plusSeconds(1800), BRUSSELS), null, null, null, null, null, null, null,
          attendees);
      creates.add(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "seed-" + i));
      expectedTitles.put(title, title);
    }
    for (WriteResult r : outlook.write(creates)) {
      assertTrue(r.done(), r.toString());
    }
  }

  /** Renames some events of each origin on each side, meetings among them, once the first sync is through. */
  private void editBothSides() {
    Map<String, OdooEvent> inOdoo = odooEventsByTitle();
    Map<Long, EventChanges> odooEdits = new LinkedHashMap<>();
    Map<String, GraphEvent> inOutlook = outlookEventsByTitle();
    List<GraphWrite> outlookEdits = new ArrayList<>();
    int i = 0;
    for (String title : new ArrayList<>(expectedTitles.keySet())) {
      if (i % 6 == 1) {
        String renamed = title + " (moved in Odoo)";
        odooEdits.put(inOdoo.get(title).id(), EventChanges.of().name(renamed).location("Room " + i));
        expectedTitles.put(title, renamed);
      } else if (i % 6 == 4) {
        String renamed = title + " (moved in Outlook)";
        GraphEvent e = inOutlook.get(title);
        GraphEventDraft changes = GraphEventDraft.timed(renamed, e.start(), e.end(), BRUSSELS);
        outlookEdits.add(new GraphWrite.Update(e.id(), changes, Set.of(GraphEventDraft.Field.SUBJECT), null));
        expectedTitles.put(title, renamed);
      }
      i++;
    }
    odoo.writeEvents(odooEdits);
    for (WriteResult r : outlook.write(outlookEdits)) {
      assertTrue(r.done(), r.toString());
    }
  }

  // ---------------------------------------------------------------- the sidecar process

  private void startSidecar() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Map<String, String> env = Demo.wiredTo(m365, dir, CLIENT_ID, CLIENT_SECRET, SHARED);
    env.put("OUTLOOK_SYNC_LISTEN", "127.0.0.1:" + port);
    env.put("OUTLOOK_SYNC_ODOO_URL", odooEmulator.url());
    env.put("OUTLOOK_SYNC_ODOO_DB", "prod");
    env.put("OUTLOOK_SYNC_ODOO_LOGIN", "sync");
    env.put("OUTLOOK_SYNC_ODOO_API_KEY", "sync-key");
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

  private void stopSidecar() throws Exception {
    sidecar.destroy();
    assertTrue(sidecar.waitFor(30, TimeUnit.SECONDS), "did not stop on SIGTERM" + context());
    sidecar = null;
  }

  private void kill() throws Exception {
    sidecar.destroyForcibly(); // SIGKILL: no shutdown hook, no store close
    assertTrue(sidecar.waitFor(10, TimeUnit.SECONDS));
    sidecar = null;
  }

  private void connectAlice() throws Exception {
    String authorize = api.post("/api/users/prod/" + aliceUid + "/signin/start", "{\"login\": \"alice\"}").json()
        .get("authorize_url").asText();
    Map<String, String> redirect = new Browser(m365).signIn(URI.create(authorize), ALICE).redirect();
    ApiClient.Reply done = api.post("/api/signin/complete",
        "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}");
    assertEquals(200, done.status(), done.body());
  }

  private CompletableFuture<HttpResponse<String>> requestSync() {
    String path = "/api/users/prod/" + aliceUid + "/sync";
    String ts = ApiClient.now();
    HttpRequest signed = api.request("POST", path, "{}", ts, ApiClient.signature(SHARED, ts, "POST", path, "{}"));
    HttpRequest patient = HttpRequest.newBuilder(signed, (name, value) -> true).timeout(Duration.ofSeconds(120)).build();
    return api.http.sendAsync(patient, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode syncToTheEnd() throws Exception {
    if (sidecar == null) {
      startSidecar();
    }
    long began = System.nanoTime();
    HttpResponse<String> r = requestSync().get(120, TimeUnit.SECONDS);
    // The scheduler runs the account at start-up (catching up): Sync now is refused while that run holds it.
    // A refused Sync now asks for one more run after the one under way, so wait until the account is idle.
    while (r.statusCode() == 409 && r.body().contains("\"busy\"") && System.nanoTime() - began < TimeUnit.SECONDS.toNanos(240)) {
      while (api.get("/api/users/prod/" + aliceUid + "/status").json().path("syncing").asBoolean(false)
          && System.nanoTime() - began < TimeUnit.SECONDS.toNanos(240)) {
        Thread.sleep(250);
      }
      r = requestSync().get(120, TimeUnit.SECONDS);
    }
    assertEquals(200, r.statusCode(), r.body() + context());
    System.out.println("a whole run in " + (System.nanoTime() - began) / 1_000_000 + " ms: " + r.body());
    return ApiClient.JSON.readTree(r.body());
  }

  private void assertSucceeds(JsonNode run) {
    assertTrue(run.get("succeeded").asBoolean(), run + context());
  }

  /**
   * Starts the sidecar if it is down, asks for a sync and kills the process at a point drawn from the seeded
   * random: after a delay, after some Graph write steps have been carried out, or just after Odoo was asked to
   * create or write events. Once a run of the phase has gone through (nothing left to write), only delays are
   * drawn. Returns whether the run ended before its kill point.
   */
  private boolean syncAndKill(String label, boolean caughtUp) throws Exception {
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

  private void slowServices(boolean slow) {
    m365.controls().serviceMillis(slow ? GRAPH_MILLIS : 0);
    odooEmulator.controls().serviceTime(slow ? ODOO_TIME : Duration.ZERO);
  }

  private String context() {
    String tail;
    try {
      List<String> lines = Files.readAllLines(log);
      tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (java.io.IOException e) {
      tail = "(no log: " + e + ")";
    }
    return "\nseed " + seed + ", kills " + killLog + "\nsidecar log tail:\n" + tail;
  }

  // ---------------------------------------------------------------- the checks

  private Map<String, OdooEvent> odooEventsByTitle() {
    Map<String, OdooEvent> out = new HashMap<>();
    for (OdooEvent e : odooEvents()) {
      out.put(e.name(), e);
    }
    return out;
  }

  private List<OdooEvent> odooEvents() {
    return odoo.eventsChangedSince(Instant.EPOCH, 0, 5000).items().stream().filter(OdooEvent::active).toList();
  }

  private Map<String, GraphEvent> outlookEventsByTitle() {
    Map<String, GraphEvent> out = new HashMap<>();
    for (GraphEvent e : outlookEvents()) {
      out.put(e.subject(), e);
    }
    return out;
  }

  private List<GraphEvent> outlookEvents() {
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
      if (e.name().contains("(moved in Odoo)")) {
        assertTrue(e.location() != null && e.location().startsWith("Room "), e.name());
      }
    }
    for (GraphEvent e : outlookEvents()) {
      if (e.subject().contains("(moved in Odoo)")) {
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
    try (Database db = Database.embedded(dir.resolve("data"))) {
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

  /** An invitation (or an update) to one person about one meeting goes out at most once. */
  private void assertNoMailTwice() {
    Map<String, Long> mails = m365.mailLog().all().stream()
        .filter(m -> m.kind() == MailLog.Kind.INVITATION || m.kind() == MailLog.Kind.UPDATE)
        .collect(Collectors.groupingBy(m -> m.kind() + " to " + m.to() + " about " + m.subject(), TreeMap::new, Collectors.counting()));
    assertEquals(Map.of(), doubles(mails), "mails sent more than once" + context());
    long invitations = m365.mailLog().count(MailLog.Kind.INVITATION);
    assertEquals(FROM_ODOO / 5 + FROM_OUTLOOK / 5, invitations, "each meeting invites bob once" + context());
  }

  private void assertNoRunLeftRunning() throws Exception {
    try (Database db = Database.embedded(dir.resolve("data"))) {
      Map<String, Integer> byStatus = db.transaction(c -> {
        Map<String, Integer> out = new TreeMap<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT status, COUNT(*) FROM sync_run GROUP BY status")) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getInt(2));
          }
        }
        return out;
      });
      System.out.println("CrashSafetyTest runs by status " + byStatus);
      assertEquals(null, byStatus.get("RUNNING"), "a run cut off by a kill is marked at the next start: " + byStatus + context());
      long cutOff = killLog.stream().filter(k -> !k.endsWith("(the run had already ended)")).count();
      assertTrue(cutOff == 0 || byStatus.getOrDefault("ABANDONED", 0) > 0, "runs cut off are marked ABANDONED: " + byStatus + context());
      int pending = db.transaction(c -> {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING'")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertEquals(0, pending, "no outbox row is left pending once a run has gone through" + context());
    }
  }
}
