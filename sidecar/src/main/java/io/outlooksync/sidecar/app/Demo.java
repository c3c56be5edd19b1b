package io.outlooksync.sidecar.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.api.Hmac;
import io.outlooksync.sidecar.auth.TokenUnavailable;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.DeltaPage;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.sync.ScheduleSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code outlook-sync demo [--once]}: the sidecar against both emulators, so a newcomer sees it work with no
 * Microsoft tenant and no Odoo. It starts the Microsoft 365 emulator and the Odoo emulator with sample data,
 * starts a sidecar wired to them, connects a user through the real OAuth round trip (the way the addon does it,
 * over the signed local API), then syncs through the API: a dry run, a run, and a second run that changes
 * nothing; then an Odoo edit, announced as the addon does, reaches Outlook through the scheduler by itself.
 * It prints events each way, conflicts, duplicates and the e-mails Outlook sent. Demo code only: the emulators come from
 * test-fixtures, which the launcher adds to the class path for this command alone.
 */
public final class Demo {
  static final String CLIENT_ID = "00000000-0000-4000-8000-00000000d3e0";
  static final String CLIENT_SECRET = "demo-client-secret";
  static final String SHARED_SECRET = "demo-shared-secret-0123456789";
  static final String ODOO_KEY = "demo-odoo-api-key";

  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();

  Demo(PrintStream out) {
    this.out = out;
  }

  int run(boolean once) throws Exception {
    Path dir = Files.createTempDirectory("outlook-sync-demo");
    try (M365Emulator m365 = M365Emulator.builder().mailboxes("alice@example.com", "bob@example.com").app(CLIENT_ID, CLIENT_SECRET).start();
         OdooEmulator odoo = OdooEmulator.builder().database("demo")
             .user(OdooUser.of("admin", "admin").apiKey(ODOO_KEY).name("Administrator").email("admin@example.com").tz("Europe/Brussels").asAdmin())
             .user(OdooUser.of("alice", "alice").name("Alice Martin").email("alice@example.com").tz("Europe/Brussels"))
             .build().start()) {
      out.println("Microsoft 365 emulator: " + m365.baseUrl() + "   (mail log: " + m365.baseUrl() + "/_emulator/mail)");
      out.println("Odoo emulator:          " + odoo.url() + "   (database demo)");

      int sampleEvents = sampleOdooData(odoo);
      out.println("Odoo sample data:       " + sampleEvents + " events created through the sidecar's XML-RPC client");

      Map<String, String> env = wiredTo(m365, dir, CLIENT_ID, CLIENT_SECRET, SHARED_SECRET);
      env.put("OUTLOOK_SYNC_ODOO_URL", odoo.url());
      env.put("OUTLOOK_SYNC_ODOO_DB", "demo");
      env.put("OUTLOOK_SYNC_ODOO_LOGIN", "admin");
      env.put("OUTLOOK_SYNC_ODOO_API_KEY", ODOO_KEY);
      try (Sidecar sidecar = Sidecar.start(Config.load(null, env, new ArrayList<>()))) {
        String api = "http://127.0.0.1:" + sidecar.address().getPort();
        out.println("Sidecar:                " + api + "   (data " + dir.resolve("data") + ")");

        long aliceUid = odoo.uid("alice");
        JsonNode started = call(api, "POST", "/api/users/demo/" + aliceUid + "/signin/start", "{\"login\": \"alice\"}");
        String authorize = started.get("authorize_url").asText();
        out.println("1. The addon asks the sidecar for alice's sign-in URL: " + authorize.substring(0, authorize.indexOf('?')) + "?...");
        Map<String, String> back = new Browser(m365).signIn(URI.create(authorize), "alice@example.com").redirect();
        if (!back.containsKey("code")) {
          throw new IOException("sign-in did not come back with a code: " + back.keySet());
        }
        out.println("2. Alice signs in at Microsoft (emulated), which posts code and state to Odoo's /microsoft_account/authentication");
        JsonNode done = call(api, "POST", "/api/signin/complete",
            json.writeValueAsString(Map.of("code", back.get("code"), "state", back.get("state"))));
        out.println("3. The addon forwards code and state; the sidecar redeems them: " + done.get("state").asText()
            + " as " + done.get("ms_username").asText());
        JsonNode status = call(api, "GET", "/api/users/demo/" + aliceUid + "/status", "");
        out.println("4. Account state: " + status.get("state").asText() + ", last sync " + status.get("last_sync_at").asText("never"));
        long account = sidecar.store().accounts().find("demo", aliceUid).orElseThrow().id();
        GraphGateway outlook = GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager())
            .build().gateway("demo-alice", force -> token(sidecar, account, force));
        Instant tuesday = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(8, ChronoUnit.DAYS).plus(15, ChronoUnit.HOURS);
        CalEvent dentist = new CalEvent("Dentist", When.timed(tuesday, tuesday.plus(1, ChronoUnit.HOURS), ZoneId.of("Europe/Brussels")),
            null, null, null, null, null, null, null, null);
        outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(dentist, false, null), "demo-dentist")));
        out.println("5. Alice's Outlook already holds one event of her own (written through Graph)");

        String sync = "/api/users/demo/" + aliceUid + "/sync";
        JsonNode dry = call(api, "POST", sync, "{\"dry_run\": true}");
        out.println("6. Dry run: " + dry.get("changes").asInt() + " changes planned " + dry.get("counts") + ", e-mails forecast "
            + dry.get("mail").get("count").asInt());
        JsonNode run = call(api, "POST", sync, "{}");
        int toOutlook = run.get("counts").path("CreateInOutlook").asInt(0);
        int toOdoo = run.get("counts").path("CreateInOdoo").asInt(0);
        int conflicts = run.get("counts").path("Conflict").asInt(0);
        out.println("7. Sync run " + run.get("run_id").asLong() + ": " + toOutlook + " event(s) to Outlook, " + toOdoo
            + " to Odoo, errors " + run.get("errors").size());
        JsonNode again = call(api, "POST", sync, "{}");
        out.println("8. Second run: " + again.get("changes").asInt() + " changes (nothing echoes back)");
        status = call(api, "GET", "/api/users/demo/" + aliceUid + "/status", "");
        out.println("   Account state: " + status.get("state").asText() + ", last sync " + status.get("last_sync_at").asText("never")
            + ", next scheduled run " + status.get("next_sync_at").asText("none"));
        out.println("9. " + scheduledRun(api, odoo, outlook));
        JsonNode edits = editsOnBothSides(api, sync, odoo, outlook);
        conflicts += edits.get("counts").path("Conflict").asInt(0);
        out.println("Summary: users connected 1, events to Outlook " + toOutlook + ", to Odoo " + toOdoo + ", edits to Outlook "
            + edits.get("counts").path("UpdateOutlook").asInt(0) + ", to Odoo " + edits.get("counts").path("UpdateOdoo").asInt(0)
            + ", conflicts " + conflicts + ", duplicates " + duplicates(outlook, odoo) + ", e-mails caused " + m365.mailLog().size());
        if (!once) {
          out.println("Running until Ctrl-C; the sidecar's API uses the shared secret '" + SHARED_SECRET + "' (demo only).");
          CountDownLatch forever = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
          forever.await();
        }
      }
    }
    return Main.OK;
  }

  /**
   * Alice renames an event in Odoo and the addon announces it, as its after-commit hook does: the scheduler
   * runs her account once the announcements are quiet, with nobody pressing Sync now.
   */
  private String scheduledRun(String api, OdooEmulator odoo, GraphGateway outlook) throws IOException, InterruptedException {
    XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), "demo", "admin", ODOO_KEY));
    gateway.authenticate();
    long focus = gateway.eventsChangedSince(Instant.EPOCH, 0, 1000).items().stream().filter(e -> "Focus time".equals(e.name()))
        .findFirst().orElseThrow().id();
    gateway.writeEvents(Map.of(focus, EventChanges.of().name("Focus time (quiet)")));
    long start = System.nanoTime();
    call(api, "POST", "/api/events/changed", "{\"db\": \"demo\", \"model\": \"calendar.event\", \"ids\": [" + focus + "]}");
    while (System.nanoTime() - start < 30_000_000_000L) {
      if (outlookTitles(outlook).contains("Focus time (quiet)")) {
        return "Alice renames 'Focus time' in Odoo; the addon announces it; the scheduler synced it to Outlook after "
            + (System.nanoTime() - start) / 1_000_000 + " ms (a lone change waits " + ScheduleSettings.QUIET.toMillis()
            + " ms of quiet; a burst waits " + ScheduleSettings.BURST_QUIET.toSeconds() + " s)";
      }
      Thread.sleep(200);
    }
    return "Alice renames 'Focus time' in Odoo; the addon announces it; Outlook did not show it within 30 s";
  }

  /**
   * Alice moves her dentist appointment in Outlook and gives the customer call a room in Odoo; one run carries
   * both, and the plan it executed is printed from the journal. Returns the run's answer.
   */
  private JsonNode editsOnBothSides(String api, String sync, OdooEmulator odoo, GraphGateway outlook) throws IOException, InterruptedException {
    GraphEvent dentist = outlookEvents(outlook).stream().filter(e -> "Dentist".equals(e.subject())).findFirst().orElseThrow();
    CalEvent moved = CoreMapping.toCore(dentist);
    moved = moved.with(Field.WHEN, new CalEvent(moved.title(), When.timed(moved.when().start().plus(1, ChronoUnit.HOURS),
        moved.when().end().plus(1, ChronoUnit.HOURS), moved.when().zone()), null, null, null, null, null, null, null, null));
    outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.WHEN), moved).toWrite(dentist.id(), null)));
    XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), "demo", "admin", ODOO_KEY));
    gateway.authenticate();
    long call = gateway.eventsChangedSince(Instant.EPOCH, 0, 1000).items().stream().filter(e -> "Customer call".equals(e.name()))
        .findFirst().orElseThrow().id();
    gateway.writeEvents(Map.of(call, EventChanges.of().location("Room 4")));
    JsonNode run = syncNowWhenFree(api, sync);
    out.println("10. Alice moves 'Dentist' an hour later in Outlook and gives 'Customer call' a room in Odoo; run "
        + run.get("run_id").asLong() + " executed this plan (from the journal):");
    JsonNode journal = call(api, "GET", "/api/runs/" + run.get("run_id").asLong(), "");
    for (JsonNode a : journal.path("plan").path("actions")) {
      out.println("      " + a.get("kind").asText() + ": " + a.get("reason").asText());
    }
    return run;
  }

  /** Sync now; a scheduled run may hold the account for a moment (409 busy): then try again shortly. */
  private JsonNode syncNowWhenFree(String api, String sync) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return call(api, "POST", sync, "{}");
      } catch (IOException e) {
        if (attempt >= 50 || !e.getMessage().contains("409")) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static String token(Sidecar sidecar, long account, boolean force) {
    try {
      return sidecar.microsoft().accessTokens().orElseThrow().accessToken(account, force);
    } catch (TokenUnavailable e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The mailbox's calendar over the demo's weeks, cancelled events left out. */
  private static List<GraphEvent> outlookEvents(GraphGateway outlook) {
    List<GraphEvent> events = new ArrayList<>();
    DeltaPage page = outlook.firstPage(Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(60, ChronoUnit.DAYS), 100);
    while (true) {
      page.items().forEach(i -> {
        if (i instanceof GraphEvent e && !e.cancelled()) {
          events.add(e);
        }
      });
      if (page.last()) {
        return events;
      }
      page = outlook.nextPage(page.nextLink(), 100);
    }
  }

  private static List<String> outlookTitles(GraphGateway outlook) {
    return outlookEvents(outlook).stream().map(GraphEvent::subject).toList();
  }

  /** Titles held twice on either side: a sync that duplicates shows here. */
  private static int duplicates(GraphGateway outlook, OdooEmulator odoo) {
    List<String> outlookTitles = outlookTitles(outlook);
    XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), "demo", "admin", ODOO_KEY));
    gateway.authenticate();
    List<String> odooTitles = gateway.eventsChangedSince(Instant.EPOCH, 0, 1000).items().stream()
        .filter(OdooEvent::active).map(OdooEvent::name).toList();
    return outlookTitles.size() - new HashSet<>(outlookTitles).size() + odooTitles.size() - new HashSet<>(odooTitles).size();
  }

  /**
   * The settings of a sidecar wired to a Microsoft 365 emulator (its certificate trusted, its authority and Graph
   * URL, a registered app), listening on a free loopback port with its data under {@code dir}; the caller adds
   * the Odoo side. Shared by the demo and the tests that start a whole sidecar.
   */
  public static Map<String, String> wiredTo(M365Emulator m365, Path dir, String clientId, String clientSecret, String sharedSecret)
      throws IOException {
    Path ca = dir.resolve("m365.pem");
    Files.writeString(ca, m365.certificatePem());
    Map<String, String> env = new HashMap<>();
    env.put("OUTLOOK_SYNC_DATA_DIR", dir.resolve("data").toString());
    env.put("OUTLOOK_SYNC_LISTEN", "127.0.0.1:0");
    env.put("OUTLOOK_SYNC_API_SHARED_SECRET", sharedSecret);
    env.put("OUTLOOK_SYNC_MS_AUTHORITY", m365.baseUrl());
    env.put("OUTLOOK_SYNC_GRAPH_URL", m365.graphBaseUrl());
    env.put("OUTLOOK_SYNC_MS_CA_FILE", ca.toString());
    env.put("OUTLOOK_SYNC_MS_CLIENT_ID", clientId);
    env.put("OUTLOOK_SYNC_MS_CLIENT_SECRET", clientSecret);
    env.put("OUTLOOK_SYNC_MS_REDIRECT_URI", "https://odoo.example.com/microsoft_account/authentication");
    return env;
  }

  /** A few events in alice's Odoo calendar, written the way the sync will write them: one create call. */
  private static int sampleOdooData(OdooEmulator odoo) {
    XmlRpcOdooGateway gateway = new XmlRpcOdooGateway(OdooConfig.of(odoo.url(), "demo", "admin", ODOO_KEY));
    gateway.authenticate();
    Instant monday = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(7, ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS);
    long alice = odoo.uid("alice");
    // Alice alone attends: left out, Odoo would add the calling service user, and Outlook would invite it.
    List<Long> justAlice = List.of(gateway.user(alice).partnerId());
    List<OdooEventDraft> drafts = List.of(
        OdooEventDraft.timed("Weekly planning", monday, monday.plus(1, ChronoUnit.HOURS)).withOrganizer(alice).withPartners(justAlice),
        OdooEventDraft.timed("Customer call", monday.plus(5, ChronoUnit.HOURS), monday.plus(6, ChronoUnit.HOURS)).withOrganizer(alice)
            .withPartners(justAlice),
        OdooEventDraft.timed("Focus time", monday.plus(1, ChronoUnit.DAYS), monday.plus(1, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS))
            .withOrganizer(alice).withPartners(justAlice));
    return gateway.createEvents(drafts).size();
  }

  private JsonNode call(String base, String method, String path, String body) throws IOException, InterruptedException {
    String ts = Long.toString(Instant.now().getEpochSecond()) + "." + (System.nanoTime() % 1_000_000);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header(Hmac.TIMESTAMP_HEADER, ts)
        .header(Hmac.SIGNATURE_HEADER, Hmac.sign(SHARED_SECRET, ts, method, path, body.getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return json.readTree(r.body());
  }
}
