package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.MailLog;
import io.outlooksync.fixtures.m365.TestLogin;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooGateways;
import io.outlooksync.sidecar.odoo.OdooProtocol;
import io.outlooksync.sidecar.odoo.OdooUnderTest;
import io.outlooksync.sidecar.odoo.RawOdoo;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs of one sidecar against an Odoo (the emulator, or a real Odoo 17, 18 or 19: see the subclasses) over the
 * protocol the sidecar picks for it (XML-RPC, or JSON-2 from 19 on) and the Microsoft 365 emulator over Graph, alice
 * signed in through the emulator.
 *
 * <p>A real Odoo is shared by every test of a run, so each test makes its own users with addresses no other test
 * uses, and looks only at the events of its own users.
 */
abstract class SyncRunnerScenarios {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  private static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  private static final AtomicInteger TESTS = new AtomicInteger();

  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  @TempDir
  Path dataDir;

  /** Names no other test of this run uses: "alice-3f9a2c-7". */
  final String tag = RUN + "-" + TESTS.incrementAndGet();
  final String alice = "alice-" + tag + "@example.com";
  final String bob = "bob-" + tag + "@example.com";

  OdooUnderTest odooUnderTest;
  OdooGateway odoo;
  Store store;
  GraphGateway outlook;
  SyncRunner runner;
  long account;
  long aliceUid;
  long alicePartner;
  long bobUid;
  Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);

  /** The Odoo this test runs against. */
  protected abstract OdooUnderTest odooUnderTest() throws Exception;

  @BeforeEach
  void start() throws Exception {
    odooUnderTest = odooUnderTest();
    aliceUid = odooUnderTest.createUser("alice-" + tag, "Alice", alice, "Europe/Brussels");
    bobUid = odooUnderTest.createUser("bob-" + tag, "Bob", bob, "Europe/Brussels");
    m365.emulator().addMailbox(alice, "Alice");
    m365.emulator().addMailbox(bob, "Bob");
    // As the sidecar does: the server's release picks XML-RPC or JSON-2.
    odoo = OdooGateways.open(odooUnderTest.serviceConfig(), OdooProtocol.AUTO);
    odoo.authenticate();
    alicePartner = odoo.user(aliceUid).partnerId();

    store = Store.open(Database.embedded(dataDir), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC());
    account = store.accounts().ensure(odooUnderTest.database(), aliceUid, "alice-" + tag).id();
    store.accounts().connected(account, "home-alice", alice, "tenant");
    TestLogin.Tokens tokens = TestLogin.signIn(m365.emulator(), alice);
    GraphClients clients = GraphClients.builder().baseUrl(m365.emulator().graphBaseUrl())
        .tls(m365.emulator().sslSocketFactory(), m365.emulator().trustManager()).build();
    outlook = clients.gateway(alice, force -> tokens.accessToken());
    runner = new SyncRunner(store, odoo, a -> outlook, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
  }

  long odooMeeting(String title, Instant start, String... attendees) {
    List<Long> partners = new ArrayList<>(List.of(alicePartner));
    if (attendees.length > 0) {
      partners.addAll(odoo.partnersByEmail(List.of(attendees), true).values());
    }
    return odoo.createEvents(List.of(OdooEventDraft.timed(title, start, start.plusSeconds(3600))
        .withOrganizer(aliceUid).withPartners(partners))).get(0);
  }

  GraphEvent outlookEvent(String title, Instant start, String... attendees) {
    List<Attendee> invited = Stream.of(attendees).map(a -> new Attendee(new Person(null, a), false, Response.NONE)).toList();
    CalEvent c = new CalEvent(title, io.outlooksync.sidecar.core.When.timed(start, start.plusSeconds(1800), BRUSSELS),
        null, null, null, null, null, null, null, invited);
    WriteResult r = outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "test-" + title))).get(0);
    assertTrue(r.done(), r.toString());
    return outlook.event(r.id()).orElseThrow();
  }

  /** Alice's Outlook calendar as a full delta round sees it. */
  List<GraphEvent> outlookEvents() {
    return io.outlooksync.sidecar.graph.CalendarRound.events(outlook, Instant.now().minus(30, ChronoUnit.DAYS),
        Instant.now().plus(300, ChronoUnit.DAYS));
  }


  GraphEvent outlookTitled(String title) {
    return outlookEvents().stream().filter(e -> title.equals(e.subject())).findFirst().orElseThrow(() -> new AssertionError(title + " not in Outlook"));
  }

  /** This test's Odoo events (organized by or attended by its users) with this title, archived ones too. */
  List<OdooEvent> odooTitled(String title) {
    long bobPartner = odoo.user(bobUid).partnerId();
    List<Long> ids = odooUnderTest.raw().searchAll("calendar.event", List.of(List.of("name", "=", title),
        "|", List.of("user_id", "in", List.of((int) aliceUid, (int) bobUid)),
        List.of("partner_ids", "in", List.of((int) alicePartner, (int) bobPartner))));
    return odoo.events(ids).items();
  }

  /** The subjects of the mails Odoo would send about an event (invitations, date changes). */
  List<String> odooMailsAbout(long eventId) {
    return RawOdoo.list(odooUnderTest.raw().call("mail.mail", "search_read", List.of(List.of(
            List.of("model", "=", "calendar.event"), List.of("res_id", "=", (int) eventId))), Map.of("fields", List.of("subject"))))
        .stream().map(m -> String.valueOf(((Map<?, ?>) m).get("subject"))).toList();
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
    long standup = odooMeeting("Standup", tomorrow, bob);
    outlookEvent("Dentist", tomorrow.plus(3, ChronoUnit.HOURS));

    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(1, dry.counts().get("CreateInOutlook"), dry.plan().describe());
    assertEquals(1, dry.counts().get("CreateInOdoo"), dry.plan().describe());
    assertEquals(Set.of(bob), dry.forecast().recipients());
    assertEquals(0, mails().size(), "a dry run sends nothing");
    assertTrue(odooTitled("Dentist").isEmpty(), "a dry run writes nothing to Odoo");
    assertEquals(1, outlookEvents().size(), "a dry run writes nothing to Outlook");
    assertTrue(store.syncRuns().get(dry.runId()).orElseThrow().plan().contains("CreateInOutlook"));

    SyncRunner.RunResult first = sync();
    assertEquals(SyncRun.Status.SUCCEEDED, store.syncRuns().get(first.runId()).orElseThrow().status());
    GraphEvent copy = outlookTitled("Standup");
    assertEquals(List.of(bob), copy.attendees().stream().map(GraphEvent.Attendee::address).toList());
    assertEquals(1, mails().size(), mails().all().toString());
    assertEquals(bob, mails().all().get(0).to());
    assertEquals(MailLog.Kind.INVITATION, mails().all().get(0).kind());
    assertEquals(1, odooTitled("Dentist").size());
    assertEquals(aliceUid, odooTitled("Dentist").get(0).userId());
    assertEquals(2, store.mappings().count(account));

    SyncRunner.RunResult second = sync();
    assertEquals(0, second.changes(), second.plan().describe());
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
    assertEquals(0, quiet.changes(), "edits do not bounce back: " + quiet.plan().describe());

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
    assertEquals(0, last.changes(), last.plan().describe());
  }

  @Test
  void aMeetingFromOutlookReachesOdooWithoutOdooMailingItsAttendees() throws Exception {
    String carol = "carol-" + tag + "@partner.example";
    GraphEvent kickoff = outlookEvent("Kickoff", tomorrow, bob, carol);
    assertEquals(2, mails().count(MailLog.Kind.INVITATION), "Outlook invited both");
    SyncRunner.RunResult created = sync();
    assertEquals(1, created.counts().get("CreateInOdoo"), created.plan().describe());
    OdooEvent inOdoo = odooTitled("Kickoff").get(0);
    assertEquals(3, inOdoo.partnerIds().size(), "alice, bob and carol attend in Odoo");
    assertEquals(List.of(), odooMailsAbout(inOdoo.id()), "Outlook has invited them; Odoo does not invite them again");

    // Moved in Outlook, which mails the update: Odoo does not mail its own "date changed".
    CalEvent moved = CoreMapping.toCore(outlookTitled("Kickoff"));
    moved = moved.with(Field.WHEN, new CalEvent("Kickoff", io.outlooksync.sidecar.core.When.timed(
        tomorrow.plus(2, ChronoUnit.HOURS), tomorrow.plus(3, ChronoUnit.HOURS), BRUSSELS), null, null, null, null, null, null, null, null));
    assertTrue(outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.WHEN), moved).toWrite(kickoff.id(), null))).get(0).done());
    SyncRunner.RunResult updated = sync();
    assertEquals(1, updated.counts().get("UpdateOdoo"), updated.plan().describe());
    assertEquals(tomorrow.plus(2, ChronoUnit.HOURS), odoo.events(List.of(inOdoo.id())).items().get(0).start());
    assertEquals(List.of(), odooMailsAbout(inOdoo.id()));
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
    assertEquals(0, again.changes(), again.plan().describe());
    assertEquals(0, mails().size());
  }

  @Test
  void aFirstSyncOverFiftyMeetingsWithAttendeesOnBothSidesCreatesNothingAndMailsNobody() throws Exception {
    String carol = "carol-" + tag + "@partner.example";
    List<Long> partners = new ArrayList<>(List.of(alicePartner));
    partners.addAll(odoo.partnersByEmail(List.of(bob, carol), true).values());
    List<OdooEventDraft> drafts = new ArrayList<>();
    List<GraphWrite> creates = new ArrayList<>();
    List<Attendee> invited = List.of(new Attendee(new Person("Bob", bob), false, Response.NONE),
        new Attendee(new Person("Carol", carol), false, Response.NONE));
    for (int i = 0; i < 50; i++) {
      Instant at = tomorrow.plus(i / 5, ChronoUnit.DAYS).plus(i % 5, ChronoUnit.HOURS);
      drafts.add(OdooEventDraft.timed("Client meeting " + i, at, at.plusSeconds(1800)).withOrganizer(aliceUid).withPartners(partners));
      CalEvent c = new CalEvent("Client meeting " + i, io.outlooksync.sidecar.core.When.timed(at, at.plusSeconds(1800), BRUSSELS),
          null, null, null, null, null, null, null, invited);
      creates.add(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "fifty-" + tag + "-" + i));
    }
    assertEquals(50, odoo.createEvents(drafts).size());
    assertTrue(outlook.write(creates).stream().allMatch(WriteResult::done));
    mails().clear();

    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(0, dry.forecast().total(), "the forecast says nobody would be mailed: " + dry.plan().describe());
    SyncRunner.RunResult r = sync();
    assertEquals(50, r.counts().get("Adopt"), r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOutlook"), r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOdoo"), r.plan().describe());
    assertEquals(0, mails().size(), "the emulator's mail log is empty: " + mails().all());
    assertEquals(50, outlookEvents().size());
    assertEquals(50, store.mappings().count(account));
    assertEquals(0, sync().changes());
    assertEquals(0, mails().size());
  }

  @Test
  void anEventOdooGaveTheServiceUserAsAttendeeSettlesAfterOneRun() throws Exception {
    // Created without partner_ids, as Odoo's own UI does for another user: Odoo adds the caller as attendee.
    odoo.createEvents(List.of(OdooEventDraft.timed("Weekly planning", tomorrow, tomorrow.plusSeconds(3600)).withOrganizer(aliceUid)));
    SyncRunner.RunResult first = sync();
    assertEquals(1, first.counts().get("CreateInOutlook"), first.plan().describe());
    SyncRunner.RunResult second = sync();
    assertEquals(0, second.changes(), second.plan().describe());
  }

  @Test
  void anExpiredDeltaLinkMeansAFullRoundWithoutDuplicates() throws Exception {
    long review = odooMeeting("Review", tomorrow);
    outlookEvent("Lunch", tomorrow.plus(4, ChronoUnit.HOURS));
    sync();
    String link = store.deltaStates().get(account).orElseThrow().deltaLink();
    m365.emulator().expireDeltaTokens(alice);
    odoo.writeEvents(Map.of(review, EventChanges.of().name("Review (room 2)")));
    SyncRunner.RunResult r = sync();
    assertEquals(1, r.changes(), r.plan().describe());
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
    assertEquals(0, sync().changes(), "archived and deleted: settled");

    odoo.writeEvents(Map.of(focus, EventChanges.of().active(true)));
    SyncRunner.RunResult back = sync();
    assertEquals(1, back.counts().get("CreateInOutlook"), back.plan().describe());
    assertEquals(null, back.counts().get("ArchiveInOdoo"), "not archived again");
    assertEquals(1, outlookEvents().size());
    assertEquals(1, store.mappings().count(account), "the same mapping, linked to the new copy");
    assertEquals(0, sync().changes());
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
    long meeting = odooMeeting("Budget", tomorrow, bob);
    sync();
    assertEquals(1, mails().count(MailLog.Kind.INVITATION));

    Connected bobs = connect(bobUid, "bob-" + tag, bob);
    SyncRunner.RunResult r = bobs.sync();
    assertEquals(1, r.counts().get("Adopt"), r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOdoo"), "bob's invitation is the Odoo meeting, not a new one");
    assertEquals(null, r.counts().get("CreateInOutlook"), "bob already has it in Outlook");
    assertEquals(1, odooTitled("Budget").size());
    assertEquals(meeting, store.mappings().byOdooEventId(bobs.account(), meeting).orElseThrow().odooEventId());
    assertEquals(1, mails().size(), "nobody was mailed again");
    assertEquals(0, bobs.sync().changes());
    assertEquals(0, sync().changes());
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
    odooMeeting("Board", tomorrow, bob, "carol-" + tag + "@partner.example");
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

  /** Another Odoo user connected to their own mailbox, with a runner that reaches it. */
  record Connected(long account, GraphGateway outlook, SyncRunner runner) {
    SyncRunner.RunResult sync() throws Exception {
      SyncRunner.RunResult r = runner.run(account, "test", false);
      assertEquals(List.of(), r.errors(), r.plan().describe());
      return r;
    }
  }

  /** An Odoo user connected to their own mailbox {@code address}. */
  Connected connect(long uid, String login, String address) throws Exception {
    long acc = store.accounts().ensure(odooUnderTest.database(), uid, login).id();
    store.accounts().connected(acc, "home-" + login, address, "tenant");
    GraphGateway gateway = mailbox(address);
    return new Connected(acc, gateway, new SyncRunner(store, odoo, a -> a.id() == acc ? gateway : outlook, Clock.systemUTC()));
  }

  GraphGateway mailbox(String address) throws Exception {
    TestLogin.Tokens tokens = TestLogin.signIn(m365.emulator(), address);
    return GraphClients.builder().baseUrl(m365.emulator().graphBaseUrl())
        .tls(m365.emulator().sslSocketFactory(), m365.emulator().trustManager()).build().gateway(address, force -> tokens.accessToken());
  }

  @Test
  void quietModeWritesATimeBlockAndLaterEditsMailNobody() throws Exception {
    UserOptions.write(store, account, Map.of("quiet", true));
    long board = odooMeeting("Board", tomorrow, bob);
    SyncRunner.RunResult first = sync();
    assertEquals(1, first.counts().get("CreateInOutlook"), first.plan().describe());
    assertEquals(0, first.forecast().total(), "the forecast knows quiet mode mails nobody");
    assertEquals(List.of(), outlookTitled("Board").attendees(), "a time block, without attendees");
    assertEquals(0, mails().size());

    String carol = "carol-" + tag + "@partner.example";
    long carolPartner = odoo.partnersByEmail(List.of(carol), true).get(carol);
    odoo.writeEvents(Map.of(board, EventChanges.of().name("Board (moved)").partners(List.of(alicePartner,
        odoo.partnersByEmail(List.of(bob), true).get(bob), carolPartner))));
    SyncRunner.RunResult edit = sync();
    assertEquals(1, edit.counts().get("UpdateOutlook"), edit.plan().describe());
    assertEquals(List.of(), outlookTitled("Board (moved)").attendees(), "attendees never reach a quiet copy");
    assertEquals(0, mails().size(), "nobody was mailed");
    assertEquals(3, odoo.attendees(List.of(board)).size(), "Odoo keeps its attendees");
    assertEquals(0, sync().changes(), "settled");
  }

  @Test
  void onlyFutureEventsIsTheUsersChoiceBeforeTheFirstSync() throws Exception {
    odooMeeting("Last week's retro", tomorrow.minus(8, ChronoUnit.DAYS), bob);
    SyncRunner.RunResult dry = runner.run(account, "test", true);
    assertEquals(null, dry.counts().get("CreateInOutlook"), "by default history stays in Odoo: " + dry.plan().describe());
    assertEquals(0, dry.forecast().total());

    UserOptions.write(store, account, Map.of("only_future", false));
    SyncRunner.RunResult withHistory = runner.run(account, "test", true);
    assertEquals(1, withHistory.counts().get("CreateInOutlook"), withHistory.plan().describe());
    assertEquals(Set.of(bob), withHistory.forecast().recipients(), "the preview says who would be invited");

    UserOptions.write(store, account, java.util.Collections.singletonMap("only_future", null));
    SyncRunner.RunResult real = sync();
    assertEquals(null, real.counts().get("CreateInOutlook"), "back to the administrator's default");
    assertEquals(0, mails().size());
  }

  @Test
  void anExternalMeetingTwoConnectedUsersAttendIsOneOdooEvent() throws Exception {
    String daveAddress = "dave-" + tag + "@partner.example";
    m365.emulator().addMailbox(daveAddress, "Dave");
    GraphGateway dave = mailbox(daveAddress);
    String carolAddress = "carol-" + tag + "@example.com";
    long carolUid = odooUnderTest.createUser("carol-" + tag, "Carol", carolAddress, "Europe/Brussels");
    m365.emulator().addMailbox(carolAddress, "Carol");
    CalEvent invite = new CalEvent("Partner kick-off", io.outlooksync.sidecar.core.When.timed(tomorrow, tomorrow.plusSeconds(3600), BRUSSELS),
        null, null, null, null, null, null, new io.outlooksync.sidecar.core.Person("Dave", daveAddress),
        List.of(new io.outlooksync.sidecar.core.Attendee(new io.outlooksync.sidecar.core.Person("Bob", bob), false,
                io.outlooksync.sidecar.core.Response.NONE),
            new io.outlooksync.sidecar.core.Attendee(new io.outlooksync.sidecar.core.Person("Carol", carolAddress), false,
                io.outlooksync.sidecar.core.Response.NONE)));
    assertTrue(dave.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(invite, false, null), "dave-kickoff"))).get(0).done());
    mails().clear();

    Connected bobs = connect(bobUid, "bob-" + tag, bob);
    Connected carol = connect(carolUid, "carol-" + tag, carolAddress);
    SyncRunner.RunResult bobRun = bobs.sync();
    assertEquals(1, bobRun.counts().get("CreateInOdoo"), bobRun.plan().describe());
    SyncRunner.RunResult carolRun = carol.sync();
    assertEquals(null, carolRun.counts().get("CreateInOdoo"), "carol's copy is the same meeting: " + carolRun.plan().describe());
    assertEquals(null, carolRun.counts().get("CreateInOutlook"), carolRun.plan().describe());
    assertEquals(1, carolRun.counts().get("Adopt"), carolRun.plan().describe());
    assertEquals(1, odooTitled("Partner kick-off").size(), "one Odoo event per meeting");
    assertEquals(store.mappings().byGraphId(bobs.account(), bobs.outlook().firstPage(tomorrow.minusSeconds(60), tomorrow.plusSeconds(7200), 10)
        .items().get(0).id()).orElseThrow().odooEventId(), odooTitled("Partner kick-off").get(0).id());
    assertEquals(0, mails().size(), "nobody was mailed");
    assertEquals(0, bobs.sync().changes());
    assertEquals(0, carol.sync().changes());
  }

  @Test
  void whenTheWindowMovesOnARoundOverTheNewWindowStillSeesDeletions() throws Exception {
    odooMeeting("Planning", tomorrow);
    outlookEvent("Gym", tomorrow.plus(5, ChronoUnit.HOURS));
    sync();
    // Odoo's watermark re-reads its own second: a later Odoo write moves it past Gym's, so only Outlook can tell.
    Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
    odooMeeting("Later", tomorrow.plus(8, ChronoUnit.HOURS));
    sync();
    sync();
    String link = store.deltaStates().get(account).orElseThrow().deltaLink();
    GraphEvent gym = outlookTitled("Gym");
    assertTrue(outlook.write(List.of(new GraphWrite.Delete(gym.id()))).get(0).done());

    Clock nextWeek = Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(8));
    SyncRunner later = new SyncRunner(store, odoo, a -> outlook, nextWeek);
    SyncRunner.RunResult r = later.run(account, "test", false);
    assertEquals(List.of(), r.errors());
    assertEquals(1, r.counts().get("ArchiveInOdoo"), "the delete is seen though the new round reports none: " + r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOutlook"), r.plan().describe());
    assertEquals(null, r.counts().get("CreateInOdoo"), r.plan().describe());
    assertFalse(link.equals(store.deltaStates().get(account).orElseThrow().deltaLink()), "a new round, over the moved window");
    assertTrue(store.deltaStates().get(account).orElseThrow().windowEnd().isAfter(Instant.now().plus(737, ChronoUnit.DAYS)));
    assertEquals(0, later.run(account, "test", false).changes());
  }

  @Test
  void aResetDryRunToAllExistingEventsForecastsTheFirstSyncAfterIt() throws Exception {
    odooMeeting("Steering", tomorrow, bob);
    outlookEvent("Dentist", tomorrow.plus(3, ChronoUnit.HOURS));
    sync();
    mails().clear();

    AccountReset.Result leave = runner.reset(account, AccountReset.DeletePolicy.LEAVE, AccountReset.NextSync.ALL_EXISTING, true);
    assertEquals(2, leave.nextSync().counts().get("Adopt"), leave.nextSync().plan().describe());
    assertEquals(0, leave.nextSync().forecast().total(), "adopting mails nobody");

    AccountReset.Result fromOutlook = runner.reset(account, AccountReset.DeletePolicy.DELETE_FROM_OUTLOOK, AccountReset.NextSync.ALL_EXISTING, true);
    assertEquals(1, fromOutlook.cancellations());
    assertEquals(2, fromOutlook.nextSync().counts().get("CreateInOutlook"), fromOutlook.nextSync().plan().describe());
    assertEquals(1, fromOutlook.nextSync().forecast().total(), "bob would be invited again");
    assertEquals(Set.of(bob), fromOutlook.nextSync().forecast().recipients());

    assertEquals(null, runner.reset(account, AccountReset.DeletePolicy.LEAVE, AccountReset.NextSync.NEW_ONLY, true).nextSync());
    assertEquals(0, mails().size(), "dry runs send nothing");
    assertEquals(2, store.mappings().count(account), "and forget nothing");
  }

  @Test
  void aUserWhoseOdooAddressIsNotTheirMailboxStillOwnsTheirEvents() throws Exception {
    String mailbox = "erin-" + tag + "@example.com";
    String odooAddress = "erin.odoo-" + tag + "@example.org";
    long erinUid = odooUnderTest.createUser("erin-" + tag, "Erin", odooAddress, "Europe/Brussels");
    m365.emulator().addMailbox(mailbox, "Erin");
    Connected erin = connect(erinUid, "erin-" + tag, mailbox);
    long erinPartner = odoo.user(erinUid).partnerId();
    odoo.createEvents(List.of(OdooEventDraft.timed("Erin's review", tomorrow, tomorrow.plusSeconds(3600))
        .withOrganizer(erinUid).withPartners(List.of(erinPartner, odoo.partnersByEmail(List.of(bob), true).get(bob)))));
    CalEvent gym = new CalEvent("Erin's gym", io.outlooksync.sidecar.core.When.timed(tomorrow.plusSeconds(7200), tomorrow.plusSeconds(9000),
        BRUSSELS), null, null, null, null, null, null, null, null);
    assertTrue(erin.outlook().write(List.of(new GraphWrite.Create(CoreMapping.toDraft(gym, false, null), "erin-gym"))).get(0).done());

    SyncRunner.RunResult r = erin.sync();
    assertEquals(1, r.counts().get("CreateInOutlook"), "the user organizes it, whatever the address: " + r.plan().describe());
    assertEquals(1, r.counts().get("CreateInOdoo"), r.plan().describe());
    assertEquals(Set.of(bob), r.forecast().recipients(), "the user is not invited to their own meeting");
    List<Long> created = odooUnderTest.raw().searchAll("calendar.event", List.of(List.of("name", "=", "Erin's gym")));
    OdooEvent inOdoo = odoo.events(created).items().get(0);
    assertEquals(erinUid, inOdoo.userId());
    assertEquals(List.of(erinPartner), odoo.attendees(created).stream().map(a -> a.partnerId()).toList(),
        "the mailbox is the user's own partner, not a new one");
    assertTrue(odoo.partnersByEmail(List.of(mailbox), false).isEmpty(), "no partner was made for the mailbox address");
    assertEquals(0, erin.sync().changes());
  }
}
