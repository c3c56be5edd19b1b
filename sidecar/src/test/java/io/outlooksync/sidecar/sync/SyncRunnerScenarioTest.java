package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.MailLog;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.graph.CalendarRound;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs against both emulators: Odoo over XML-RPC, Outlook over Graph, alice signed in through the emulator. */
class SyncRunnerScenarioTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  @TempDir
  Path dataDir;

  OdooEmulator odooEmulator;
  XmlRpcOdooGateway odoo;
  Store store;
  GraphGateway outlook;
  SyncRunner runner;
  long account;
  long aliceUid;
  long alicePartner;
  Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);

  @BeforeEach
  void start() throws Exception {
    odooEmulator = OdooEmulator.builder().database("prod")
        .user(io.outlooksync.fixtures.odoo.OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(io.outlooksync.fixtures.odoo.OdooUser.of("alice", "alice-pw").name("Alice").email(ALICE).tz("Europe/Brussels"))
        .user(io.outlooksync.fixtures.odoo.OdooUser.of("bob", "bob-pw").name("Bob").email(BOB).tz("Europe/Brussels"))
        .build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    aliceUid = odooEmulator.uid("alice");
    alicePartner = odoo.user(aliceUid).partnerId();

    store = Store.open(Database.embedded(dataDir), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC());
    account = store.accounts().ensure("prod", aliceUid, "alice").id();
    store.accounts().connected(account, "home-alice", ALICE, "tenant");
    TestLogin.Tokens tokens = TestLogin.signIn(m365.emulator(), ALICE);
    GraphClients clients = GraphClients.builder().baseUrl(m365.emulator().graphBaseUrl())
        .tls(m365.emulator().sslSocketFactory(), m365.emulator().trustManager()).build();
    outlook = clients.gateway(ALICE, force -> tokens.accessToken());
    runner = new SyncRunner(store, odoo, a -> outlook, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    odooEmulator.close();
  }

  long odooMeeting(String title, Instant start, String... attendees) {
    List<Long> partners = new ArrayList<>(List.of(alicePartner));
    if (attendees.length > 0) {
      partners.addAll(odoo.partnersByEmail(List.of(attendees), true).values());
    }
    return odoo.createEvents(List.of(OdooEventDraft.timed(title, start, start.plusSeconds(3600))
        .withOrganizer(aliceUid).withPartners(partners))).get(0);
  }

  GraphEvent outlookEvent(String title, Instant start) {
    CalEvent c = new CalEvent(title, io.outlooksync.sidecar.core.When.timed(start, start.plusSeconds(1800), BRUSSELS),
        null, null, null, null, null, null, null, null);
    WriteResult r = outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "test-" + title))).get(0);
    assertTrue(r.done(), r.toString());
    return outlook.event(r.id()).orElseThrow();
  }

  /** Alice's Outlook calendar as a full delta round sees it. */
  List<GraphEvent> outlookEvents() {
    return CalendarRound.events(outlook, Instant.now().minus(30, ChronoUnit.DAYS), Instant.now().plus(300, ChronoUnit.DAYS));
  }

  GraphEvent outlookTitled(String title) {
    return outlookEvents().stream().filter(e -> title.equals(e.subject())).findFirst().orElseThrow(() -> new AssertionError(title + " not in Outlook"));
  }

  List<OdooEvent> odooTitled(String title) {
    return odoo.eventsChangedSince(Instant.EPOCH, 0, 500).items().stream().filter(e -> title.equals(e.name())).toList();
  }

  SyncRunner.RunResult sync() throws Exception {
    SyncRunner.RunResult r = runner.run(account, "test", false);
    assertEquals(List.of(), r.errors(), r.plan().describe());
    return r;
  }

  MailLog mails() {
    return m365.emulator().mailLog();
  }

  @Test
  void eventsFlowBothWaysOnceAndEditsAndDeletesFollow() throws Exception {
    long standup = odooMeeting("Standup", tomorrow, BOB);
    outlookEvent("Dentist", tomorrow.plus(3, ChronoUnit.HOURS));

    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("CreateInOutlook"), dry.plan().describe());
    assertEquals(1, dry.counts().get("CreateInOdoo"), dry.plan().describe());
    assertEquals(Set.of(BOB), dry.forecast().recipients());
    assertEquals(0, mails().size(), "a dry run sends nothing");
    assertTrue(odooTitled("Dentist").isEmpty(), "a dry run writes nothing to Odoo");
    assertEquals(1, outlookEvents().size(), "a dry run writes nothing to Outlook");
    assertTrue(store.syncRuns().get(dry.runId()).orElseThrow().plan().contains("CreateInOutlook"));

    SyncRunner.RunResult first = sync();
    assertEquals(SyncRun.Status.SUCCEEDED, store.syncRuns().get(first.runId()).orElseThrow().status());
    GraphEvent copy = outlookTitled("Standup");
    assertEquals(List.of(BOB), copy.attendees().stream().map(GraphEvent.Attendee::address).toList());
    assertEquals(1, mails().size(), mails().all().toString());
    assertEquals(BOB, mails().all().get(0).to());
    assertEquals(MailLog.Kind.INVITATION, mails().all().get(0).kind());
    assertEquals(1, odooTitled("Dentist").size());
    assertEquals(aliceUid, odooTitled("Dentist").get(0).userId());
    assertEquals(2, store.mappings().count(account));

    SyncRunner.RunResult second = sync();
    assertEquals(0, second.plan().changes(), second.plan().describe());
    assertEquals(0, second.forecast().total());
    assertEquals(1, mails().size(), "a second run mails nobody");

    // An edit in Odoo reaches Outlook.
    odoo.writeEvents(Map.of(standup, EventChanges.of().name("Standup moved")));
    SyncRunner.RunResult edit = sync();
    assertEquals(1, edit.counts().get("UpdateOutlook"), edit.plan().describe());
    assertEquals(copy.id(), outlookTitled("Standup moved").id());

    // An edit in Outlook reaches Odoo.
    GraphEvent dentist = outlookTitled("Dentist");
    CalEvent renamed = CoreMapping.toCore(dentist);
    renamed = new CalEvent("Dentist (moved)", renamed.when(), renamed.descriptionHtml(), renamed.location(), renamed.videoUrl(),
        renamed.privacy(), renamed.showAs(), renamed.reminderMinutes(), renamed.organizer(), renamed.attendees());
    assertTrue(outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.TITLE), renamed).toWrite(dentist.id(), null))).get(0).done());
    SyncRunner.RunResult outlookEdit = sync();
    assertEquals(1, outlookEdit.counts().get("UpdateOdoo"), outlookEdit.plan().describe());
    assertEquals(1, odooTitled("Dentist (moved)").size());
    long dentistInOdoo = odooTitled("Dentist (moved)").get(0).id();

    SyncRunner.RunResult quiet = sync();
    assertEquals(0, quiet.plan().changes(), "edits do not bounce back: " + quiet.plan().describe());

    // A delete in Outlook archives in Odoo.
    assertTrue(outlook.write(List.of(new GraphWrite.Delete(dentist.id()))).get(0).done());
    SyncRunner.RunResult deleted = sync();
    assertEquals(1, deleted.counts().get("ArchiveInOdoo"), deleted.plan().describe());
    assertFalse(odoo.events(List.of(dentistInOdoo)).items().get(0).active());

    // An archive in Odoo deletes in Outlook (alice organizes it: Outlook cancels it for Bob).
    odoo.archiveEvents(List.of(standup));
    SyncRunner.RunResult archived = sync();
    assertEquals(1, archived.counts().get("DeleteInOutlook"), archived.plan().describe());
    assertTrue(outlookEvents().stream().noneMatch(e -> e.subject().startsWith("Standup")));
    assertEquals(1, mails().count(MailLog.Kind.CANCELLATION));

    SyncRunner.RunResult last = sync();
    assertEquals(0, last.plan().changes(), last.plan().describe());
  }

  @Test
  void aFirstSyncAdoptsMeetingsBothSidesAlreadyHold() throws Exception {
    for (int i = 0; i < 3; i++) {
      Instant at = tomorrow.plus(i, ChronoUnit.DAYS);
      odooMeeting("Review " + i, at);
      CalEvent c = new CalEvent("Review " + i, io.outlooksync.sidecar.core.When.timed(at, at.plusSeconds(3600), BRUSSELS),
          null, null, null, null, null, null, null, null);
      assertTrue(outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "adopt-" + i))).get(0).done());
    }
    mails().clear();
    SyncRunner.RunResult r = sync();
    assertEquals(3, r.counts().get("Adopt"), r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOutlook"));
    assertEquals(null, r.counts().get("CreateInOdoo"));
    assertEquals(0, mails().size());
    assertEquals(3, outlookEvents().size());
    assertEquals(3, store.mappings().count(account));

    SyncRunner.RunResult again = sync();
    assertEquals(0, again.plan().changes(), again.plan().describe());
    assertEquals(0, mails().size());
  }

  @Test
  void anEventOdooGaveTheServiceUserAsAttendeeSettlesAfterOneRun() throws Exception {
    // Created without partner_ids, as Odoo's own UI does for another user: Odoo adds the caller as attendee.
    odoo.createEvents(List.of(OdooEventDraft.timed("Weekly planning", tomorrow, tomorrow.plusSeconds(3600)).withOrganizer(aliceUid)));
    SyncRunner.RunResult first = sync();
    assertEquals(1, first.counts().get("CreateInOutlook"), first.plan().describe());
    SyncRunner.RunResult second = sync();
    assertEquals(0, second.plan().changes(), second.plan().describe());
  }

  @Test
  void anExpiredDeltaLinkMeansAFullRoundWithoutDuplicates() throws Exception {
    long review = odooMeeting("Review", tomorrow);
    outlookEvent("Lunch", tomorrow.plus(4, ChronoUnit.HOURS));
    sync();
    String link = store.deltaStates().get(account).orElseThrow().deltaLink();
    m365.emulator().expireDeltaTokens(ALICE);
    odoo.writeEvents(Map.of(review, EventChanges.of().name("Review (room 2)")));
    SyncRunner.RunResult r = sync();
    assertEquals(1, r.plan().changes(), r.plan().describe());
    assertEquals(1, r.counts().get("UpdateOutlook"), r.plan().describe());
    assertFalse(link.equals(store.deltaStates().get(account).orElseThrow().deltaLink()), "a new delta link is kept");
    assertEquals(1, m365.emulator().requestLog().select(e -> e.status() == 410).size(), "Graph refused the old link once");
    assertEquals(2, outlookEvents().size());
    assertEquals(2, store.mappings().count(account));
  }

  @Test
  void anEventUnarchivedInOdooComesBackToOutlook() throws Exception {
    long focus = odooMeeting("Focus", tomorrow);
    sync();
    odoo.archiveEvents(List.of(focus));
    assertEquals(1, sync().counts().get("DeleteInOutlook"));
    assertTrue(outlookEvents().isEmpty());
    assertEquals(0, sync().plan().changes(), "archived and deleted: settled");

    odoo.writeEvents(Map.of(focus, EventChanges.of().active(true)));
    SyncRunner.RunResult back = sync();
    assertEquals(1, back.counts().get("CreateInOutlook"), back.plan().describe());
    assertEquals(null, back.counts().get("ArchiveInOdoo"), "not archived again");
    assertEquals(1, outlookEvents().size());
    assertEquals(1, store.mappings().count(account), "the same mapping, linked to the new copy");
    assertEquals(0, sync().plan().changes());
  }

  @Test
  void aFailedActionIsReportedTheOthersAreDoneAndTheNextRunFinishesTheJob() throws Exception {
    odooMeeting("Standup", tomorrow);
    outlookEvent("Dentist", tomorrow.plus(3, ChronoUnit.HOURS));
    // Odoo refuses creates for one run (the real gateway underneath, one method made to fail).
    boolean[] refuse = {true};
    io.outlooksync.sidecar.odoo.OdooGateway flaky = (io.outlooksync.sidecar.odoo.OdooGateway) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {io.outlooksync.sidecar.odoo.OdooGateway.class}, (proxy, method, args) -> {
          if (refuse[0] && method.getName().equals("createEvents")) {
            throw new io.outlooksync.sidecar.odoo.OdooUnavailableException("calendar.event.create: Odoo is restarting", null);
          }
          try {
            return method.invoke(odoo, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    SyncRunner flakyRunner = new SyncRunner(store, flaky, a -> outlook, Clock.systemUTC());

    SyncRunner.RunResult failed = flakyRunner.run(account, "test", false);
    assertEquals(1, failed.errors().size(), failed.errors().toString());
    assertTrue(failed.errors().get(0).startsWith("create-odoo-"), failed.errors().toString());
    assertTrue(failed.errors().get(0).contains("OdooUnavailableException"));
    assertEquals("Standup", outlookTitled("Standup").subject(), "the Outlook create went ahead");
    assertEquals(1, store.mappings().count(account));
    assertEquals(SyncRun.Status.FAILED, store.syncRuns().get(failed.runId()).orElseThrow().status());
    assertTrue(store.accounts().get(account).orElseThrow().lastError().contains("1 action(s) failed"));
    assertEquals(1, store.outbox().pending(account).size());
    assertTrue(store.deltaStates().get(account).isEmpty(), "cursors stay where they were");

    refuse[0] = false;
    SyncRunner.RunResult healed = flakyRunner.run(account, "test", false);
    assertEquals(List.of(), healed.errors());
    assertEquals(1, healed.counts().get("CreateInOdoo"), healed.plan().describe());
    assertEquals(null, healed.counts().get("CreateInOutlook"), "what was done is not done again");
    assertEquals(1, odooTitled("Dentist").size());
    assertEquals(2, outlookEvents().size());
    assertEquals(null, store.accounts().get(account).orElseThrow().lastError());
    assertEquals(0, store.outbox().pending(account).size());
  }

  @Test
  void aMeetingTwoConnectedUsersShareIsOneOdooEvent() throws Exception {
    long meeting = odooMeeting("Budget", tomorrow, BOB);
    sync();
    assertEquals(1, mails().count(MailLog.Kind.INVITATION));

    long bobUid = odooEmulator.uid("bob");
    long bobAccount = store.accounts().ensure("prod", bobUid, "bob").id();
    store.accounts().connected(bobAccount, "home-bob", BOB, "tenant");
    TestLogin.Tokens bobTokens = TestLogin.signIn(m365.emulator(), BOB);
    GraphGateway bobOutlook = GraphClients.builder().baseUrl(m365.emulator().graphBaseUrl())
        .tls(m365.emulator().sslSocketFactory(), m365.emulator().trustManager()).build().gateway(BOB, force -> bobTokens.accessToken());
    SyncRunner bobRunner = new SyncRunner(store, odoo, a -> a.id() == bobAccount ? bobOutlook : outlook, Clock.systemUTC());

    SyncRunner.RunResult r = bobRunner.run(bobAccount, "test", false);
    assertEquals(List.of(), r.errors());
    assertEquals(1, r.counts().get("Adopt"), r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOdoo"), "bob's invitation is the Odoo meeting, not a new one");
    assertEquals(null, r.counts().get("CreateInOutlook"), "bob already has it in Outlook");
    assertEquals(1, odooTitled("Budget").size());
    assertEquals(meeting, store.mappings().byOdooEventId(bobAccount, meeting).orElseThrow().odooEventId());
    assertEquals(1, mails().size(), "nobody was mailed again");
    assertEquals(0, bobRunner.run(bobAccount, "test", false).plan().changes());
    assertEquals(0, sync().plan().changes());
  }

  @Test
  void twoRunsOfOneAccountNeverOverlap() throws Exception {
    var lock = new java.util.concurrent.CountDownLatch(1);
    var entered = new java.util.concurrent.CountDownLatch(1);
    SyncRunner slow = new SyncRunner(store, odoo, a -> {
      entered.countDown();
      try {
        lock.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return outlook;
    }, Clock.systemUTC());
    Thread t = new Thread(() -> {
      try {
        slow.run(account, "first", true);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    t.start();
    entered.await();
    try {
      org.junit.jupiter.api.Assertions.assertThrows(SyncRunner.Busy.class, () -> slow.run(account, "second", true));
    } finally {
      lock.countDown();
      t.join();
    }
  }

  @Test
  void resetDryRunCountsTheCancellationsAndChangesNothing() throws Exception {
    odooMeeting("Board", tomorrow, BOB, "carol@partner.example");
    sync();
    m365.emulator().mailLog().clear();
    AccountReset.Result dry = runner.reset(account, AccountReset.DeletePolicy.DELETE_FROM_BOTH, AccountReset.NextSync.ALL_EXISTING, true);
    assertEquals(1, dry.outlookDeleted());
    assertEquals(1, dry.odooArchived());
    assertEquals(2, dry.cancellations(), "bob and carol would be told");
    assertEquals(0, m365.emulator().mailLog().size());
    assertEquals(1, store.mappings().count(account), "a dry run forgets nothing");
    outlookTitled("Board");
  }

  @Test
  void resetDeletingFromBothThenAllExistingStartsOverWithoutDuplicates() throws Exception {
    odooMeeting("Kept in Odoo", tomorrow);
    outlookEvent("Kept in Outlook", tomorrow.plus(2, ChronoUnit.HOURS));
    sync();
    AccountReset.Result leave = runner.reset(account, AccountReset.DeletePolicy.LEAVE, AccountReset.NextSync.ALL_EXISTING, false);
    assertEquals(List.of(), leave.errors());
    assertEquals(0, store.mappings().count(account));
    SyncRunner.RunResult again = sync();
    assertEquals(2, again.counts().getOrDefault("Adopt", 0), "everything is adopted again: " + again.plan().describe());
    assertEquals(1, odooTitled("Kept in Outlook").size(), "no duplicate in Odoo");
    assertEquals(1, outlookEvents().stream().filter(e -> "Kept in Odoo".equals(e.subject())).count(), "no duplicate in Outlook");

    AccountReset.Result both = runner.reset(account, AccountReset.DeletePolicy.DELETE_FROM_BOTH, AccountReset.NextSync.ALL_EXISTING, false);
    assertEquals(List.of(), both.errors());
    assertEquals(2, both.outlookDeleted());
    assertEquals(2, both.odooArchived());
    assertTrue(outlookEvents().isEmpty(), "Outlook copies deleted");
    assertTrue(odooTitled("Kept in Odoo").stream().noneMatch(OdooEvent::active), "archived in Odoo, not destroyed");
  }

  @Test
  void resetToNewEventsOnlyLeavesWhatExistsAlone() throws Exception {
    odooMeeting("Before the reset", tomorrow);
    sync();
    runner.reset(account, AccountReset.DeletePolicy.DELETE_FROM_OUTLOOK, AccountReset.NextSync.NEW_ONLY, false);
    assertTrue(outlookEvents().isEmpty());
    // Odoo's write_date has whole seconds: "from now on" starts at the second after the reset.
    Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
    odooMeeting("After the reset", tomorrow.plus(3, ChronoUnit.HOURS));
    SyncRunner.RunResult next = sync();
    assertEquals(1, next.counts().getOrDefault("CreateInOutlook", 0), next.plan().describe());
    outlookTitled("After the reset");
    assertTrue(outlookEvents().stream().noneMatch(e -> "Before the reset".equals(e.subject())), "existing events are not pushed again");
  }
}
