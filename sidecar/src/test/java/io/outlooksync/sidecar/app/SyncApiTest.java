package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Sync now through the signed local API, with alice connected through the real sign-in and both emulators. */
class SyncApiTest {
  static final String CLIENT_ID = "7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  static final String CLIENT_SECRET = "client-secret-for-the-sync-api-test";
  static final String SHARED = "shared-secret-for-the-sync-api-test";

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder()
      .mailboxes("alice@example.com", "bob@example.com").app(CLIENT_ID, CLIENT_SECRET));

  @TempDir
  Path dataDir;
  EmulatedSidecar emulated;
  XmlRpcOdooGateway odoo;
  Sidecar sidecar;
  ApiClient api;
  long aliceUid;

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedSidecar(m365.emulator(), dataDir, CLIENT_ID, CLIENT_SECRET, SHARED);
    odoo = emulated.odoo;
    sidecar = emulated.sidecar;
    api = emulated.api;
    aliceUid = emulated.aliceUid;
  }

  @AfterEach
  void stop() {
    emulated.close();
  }

  private String path() {
    return "/api/users/prod/" + aliceUid + "/sync";
  }

  private void connectAlice() throws Exception {
    emulated.connectAlice();
  }

  @Test
  void syncNowRunsTheEngineAndAnswersWhatItDidAndWhoIsMailed() throws Exception {
    connectAlice();
    long alicePartner = odoo.user(aliceUid).partnerId();
    long bob = odoo.partnersByEmail(List.of("bob@example.com"), true).get("bob@example.com");
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.DAYS);
    odoo.createEvents(List.of(OdooEventDraft.timed("Planning", start, start.plusSeconds(3600))
        .withOrganizer(aliceUid).withPartners(List.of(alicePartner, bob))));

    ApiClient.Reply dry = api.post(path(), "{\"dry_run\": true}");
    assertEquals(200, dry.status(), dry.body());
    JsonNode d = dry.json();
    assertTrue(d.get("dry_run").asBoolean());
    assertEquals(1, d.get("counts").get("CreateInOutlook").asInt(), d.toString());
    assertEquals(1, d.get("mail").get("count").asInt());
    assertEquals(1, d.get("mail").get("invitation").asInt());
    assertEquals("bob@example.com", d.get("mail").get("recipients").get(0).asText());
    assertEquals(0, m365.emulator().mailLog().size(), "a dry run mails nobody");

    ApiClient.Reply run = api.post(path(), "");
    assertEquals(200, run.status(), run.body());
    JsonNode r = run.json();
    assertTrue(r.get("succeeded").asBoolean(), r.toString());
    assertEquals(0, r.get("errors").size());
    assertEquals(1, m365.emulator().mailLog().size());
    SyncRun journal = sidecar.store().syncRuns().get(r.get("run_id").asLong()).orElseThrow();
    assertEquals(SyncRun.Status.SUCCEEDED, journal.status());
    assertFalse(journal.dryRun());
    assertFalse(sidecar.store().accounts().find("prod", aliceUid).orElseThrow().lastSyncAt() == null);

    JsonNode again = api.post(path(), "{\"dry_run\": false}").json();
    assertEquals(0, again.get("changes").asInt(), again.toString());
    assertEquals(0, again.get("mail").get("count").asInt());

    api.post("/api/users/prod/" + aliceUid + "/pause", "{}");
    ApiClient.Reply paused = api.post(path(), "{}");
    assertEquals(409, paused.status());
    assertEquals("not_syncing", paused.errorCode());
  }

  @Test
  void aFirstSyncAwaitsConfirmationWithTheUsersOptionsAndAResetPreviewsTheNextOne() throws Exception {
    connectAlice();
    String user = "/api/users/prod/" + aliceUid;
    JsonNode status = api.get(user + "/status").json();
    assertTrue(status.get("awaiting_first_sync").asBoolean(), status.toString());
    assertTrue(status.get("last_run").isNull());

    long alicePartner = odoo.user(aliceUid).partnerId();
    long bob = odoo.partnersByEmail(List.of("bob@example.com"), true).get("bob@example.com");
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.DAYS);
    odoo.createEvents(List.of(OdooEventDraft.timed("Board", start, start.plusSeconds(3600))
        .withOrganizer(aliceUid).withPartners(List.of(alicePartner, bob))));

    JsonNode defaults = api.get(user + "/options").json();
    assertFalse(defaults.get("quiet").asBoolean());
    assertTrue(defaults.get("only_future").asBoolean());
    assertEquals(1, api.post(path(), "{\"dry_run\": true}").json().get("mail").get("invitation").asInt());

    JsonNode quiet = api.post(user + "/options", "{\"quiet\": true}").json();
    assertTrue(quiet.get("quiet").asBoolean(), quiet.toString());
    JsonNode preview = api.post(path(), "{\"dry_run\": true}").json();
    assertTrue(preview.get("first_sync").asBoolean());
    assertEquals(0, preview.get("mail").get("count").asInt(), "quiet mode: the preview says nobody is mailed");
    assertTrue(api.get(user + "/status").json().get("awaiting_first_sync").asBoolean(), "a dry run confirms nothing");
    assertEquals(400, api.post(user + "/options", "{\"loud\": true}").status());
    assertEquals(400, api.post(user + "/options", "{\"quiet\": \"yes\"}").status());

    JsonNode run = api.post(path(), "{}").json();
    assertTrue(run.get("first_sync").asBoolean());
    assertEquals(0, m365.emulator().mailLog().size());
    JsonNode after = api.get(user + "/status").json();
    assertFalse(after.get("awaiting_first_sync").asBoolean(), after.toString());
    assertEquals("SUCCEEDED", after.get("last_run").get("status").asText());
    assertEquals(0, after.get("last_run").get("conflicts").asInt());

    assertFalse(api.post(user + "/options", "{\"quiet\": null}").json().get("quiet").asBoolean(), "back to the default");
    JsonNode reset = api.post(user + "/reset", "{\"delete\": \"outlook\", \"next\": \"all\", \"dry_run\": true}").json();
    assertEquals(1, reset.get("outlook_deleted").asInt(), reset.toString());
    assertEquals(0, reset.get("mail").get("cancellation").asInt(), "the quiet copy had no attendees");
    assertEquals(1, reset.get("next_sync").get("counts").get("CreateInOutlook").asInt(), reset.toString());
    assertEquals(1, reset.get("next_sync").get("mail").get("invitation").asInt(), "no longer quiet: bob would be invited");
  }

  @Test
  void theWindowAndDefaultsArePushedAndCheckedTogether() throws Exception {
    ApiClient.Reply ok = api.post("/api/configure", "{\"sync_window_past_days\": \"30\", \"quiet_mode_default\": \"true\"}");
    assertEquals(200, ok.status(), ok.body());
    ApiClient.Reply tooWide = api.post("/api/configure", "{\"sync_window_future_days\": \"1800\"}");
    assertEquals(400, tooWide.status(), tooWide.body());
    assertTrue(tooWide.body().contains("1825"), tooWide.body());
    assertEquals(400, api.post("/api/configure", "{\"only_future_default\": \"maybe\"}").status());
    connectAlice();
    JsonNode options = api.get("/api/users/prod/" + aliceUid + "/options").json();
    assertTrue(options.get("quiet").asBoolean(), "the administrator's default: " + options);
    assertTrue(options.get("quiet_default").asBoolean());
  }
}
