package io.outlooksync.sidecar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import io.outlooksync.sidecar.core.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's behaviour, the same on every database it supports. */
abstract class StoreContractTest {
  static final String KEY_A = SecretBox.newKeyLine("a");
  static final String KEY_B = SecretBox.newKeyLine("b");

  Store store;

  /** A fresh, empty database for one test. */
  abstract Database freshDatabase() throws Exception;

  /** The same database again, as a restarted sidecar opens it. */
  abstract Database reopen() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(freshDatabase(), SecretBox.fromSpec(KEY_A), Clock.systemUTC());
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void migrationsApplyOnceAndRecordTheirChecksum() throws Exception {
    assertEquals(List.of(), Migrations.migrate(store.database()), "already migrated by open()");
    int versions = store.database().transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM schema_version"); ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
    assertEquals(Migrations.load().size(), versions);
  }

  @Test
  void anEditedMigrationStopsTheStart() throws Exception {
    store.database().transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE schema_version SET checksum = 'edited' WHERE version = 1")) {
        return p.executeUpdate();
      }
    });
    SQLException e = assertThrows(SQLException.class, () -> Migrations.migrate(store.database()));
    assertTrue(e.getMessage().contains("changed after it was applied"), e.getMessage());
  }

  @Test
  void accountsAreOnePerOdooUserAndKeepTheirState() throws Exception {
    Accounts accounts = store.accounts();
    Account a = accounts.ensure("prod", 7, "alice");
    assertEquals(AccountState.NOT_CONNECTED, a.state());
    assertEquals(a.id(), accounts.ensure("prod", 7, "alice").id());
    assertNotEquals(a.id(), accounts.ensure("staging", 7, "alice").id(), "another database, another account");

    accounts.connected(a.id(), "uid.utid", "alice@example.com", "tenant-1");
    Instant synced = Instant.parse("2026-11-24T08:00:00Z");
    accounts.recordSync(a.id(), synced);
    Account connected = accounts.get(a.id()).orElseThrow();
    assertEquals(AccountState.CONNECTED, connected.state());
    assertEquals("alice@example.com", connected.msUsername());
    assertEquals(synced, connected.lastSyncAt());

    accounts.recordError(a.id(), "x".repeat(10_000));
    accounts.setState(a.id(), AccountState.NEEDS_REAUTH, "invalid_grant AADSTS50173");
    Account failed = accounts.find("prod", 7).orElseThrow();
    assertEquals(AccountState.NEEDS_REAUTH, failed.state());
    assertEquals(4000, failed.lastError().length(), "long errors are clipped, not refused");
    assertEquals(2, accounts.all().size());
    assertThrows(SQLException.class, () -> accounts.setState(9999, AccountState.PAUSED, null));
  }

  @Test
  void secretsAreStoredEncryptedAndBoundToTheirRow() throws Exception {
    Secrets secrets = store.secrets();
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    long bob = store.accounts().ensure("prod", 2, "bob").id();
    secrets.putSetting("client_secret", "s3cr3t-client-value");
    secrets.putTokenCache(alice, "{\"RefreshToken\":{\"secret\":\"rt-alice-0001\"}}");
    secrets.putTokenCache(alice, "{\"RefreshToken\":{\"secret\":\"rt-alice-0002\"}}");
    assertEquals("s3cr3t-client-value", secrets.setting("client_secret").orElseThrow());
    assertTrue(secrets.tokenCache(alice).orElseThrow().contains("rt-alice-0002"));
    assertTrue(secrets.tokenCache(bob).isEmpty());

    byte[] raw = store.database().transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT cache FROM token_cache WHERE account_id = ?")) {
        p.setLong(1, alice);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getBytes(1);
        }
      }
    });
    assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains("rt-alice"), "no clear text in the database");

    // A cache copied onto another account's row does not open: the ciphertext is bound to its account.
    store.database().transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO token_cache (account_id, cache, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
        p.setLong(1, bob);
        p.setBytes(2, raw);
        return p.executeUpdate();
      }
    });
    assertThrows(SecretBox.SecretException.class, () -> secrets.tokenCache(bob));
  }

  @Test
  void keyRotationReencryptsEverything() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    store.secrets().putSetting("client_secret", "old-key-secret");
    store.secrets().putTokenCache(alice, "cache-json");
    store.close();

    store = Store.open(reopen(), SecretBox.fromSpec(KEY_B + "\n" + KEY_A), Clock.systemUTC());
    assertEquals(2, store.secrets().rotate());
    assertEquals(0, store.secrets().rotate(), "nothing left under the old key");
    store.close();

    store = Store.open(reopen(), SecretBox.fromSpec(KEY_B), Clock.systemUTC());
    assertEquals("old-key-secret", store.secrets().setting("client_secret").orElseThrow());
    assertEquals("cache-json", store.secrets().tokenCache(alice).orElseThrow());
  }

  @Test
  void deletingAnAccountTakesItsTokenCacheAlong() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    store.secrets().putTokenCache(alice, "cache");
    store.accounts().delete(alice);
    assertTrue(store.secrets().tokenCache(alice).isEmpty());
  }

  @Test
  void mappingsArePerMailboxAndUnique() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    long bob = store.accounts().ensure("prod", 2, "bob").id();
    Mappings mappings = store.mappings();
    String longId = "AAkAL" + "x".repeat(147);
    Mapping a = mappings.save(new Mapping(0, alice, 10L, longId, "ICAL-1", "ck1", null, null, "{}", "{}", "h1", "g1"));
    assertTrue(a.id() > 0);
    // The same meeting in bob's mailbox: same iCalUId, same Odoo event, its own Graph id.
    mappings.save(new Mapping(0, bob, 10L, "AAkAL-bob", "ICAL-1", "ck", null, null, "{}", "{}", "h1", "g1"));
    assertThrows(SQLException.class, () -> mappings.save(new Mapping(0, alice, 11L, longId, "ICAL-2", null, null, null, null, null, null, null)),
        "one Graph id maps once per mailbox");
    assertEquals(10L, mappings.byGraphId(alice, longId).orElseThrow().odooEventId());
    assertEquals(longId, mappings.byOdooEventId(alice, 10).orElseThrow().graphId());
    assertEquals(1, mappings.byICalUId(bob, "ICAL-1").size());

    Mapping pending = mappings.save(new Mapping(0, alice, 12L, null, null, null, null, null, "{\"name\":\"x\"}", null, "h", null));
    Mapping linked = mappings.save(new Mapping(pending.id(), alice, 12L, "AAkAL-new", "ICAL-3", "ck", null, null, "{}", "{}", "h", "g"));
    assertEquals("AAkAL-new", mappings.byOdooEventId(alice, 12).orElseThrow().graphId());
    assertEquals(pending.id(), linked.id());

    List<Mapping> streamed = new ArrayList<>();
    mappings.forEach(alice, 1, streamed::add);
    assertEquals(2, streamed.size());
    assertEquals(2, mappings.deleteAll(alice));
    assertEquals(1, mappings.count(bob));
  }

  @Test
  void deltaStateIsSavedReplacedAndCleared() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    Instant from = Instant.parse("2025-11-24T00:00:00Z");
    Instant to = Instant.parse("2028-11-23T00:00:00Z");
    DeltaStates states = store.deltaStates();
    states.save(new DeltaState(alice, from, to, null, "https://graph/next?$skiptoken=1"));
    states.save(new DeltaState(alice, from, to, "https://graph/delta?$deltatoken=2", null));
    DeltaState s = states.get(alice).orElseThrow();
    assertEquals(from, s.windowStart());
    assertEquals("https://graph/delta?$deltatoken=2", s.deltaLink());
    assertEquals(null, s.nextLink());
    states.clear(alice);
    assertTrue(states.get(alice).isEmpty());
  }

  @Test
  void theJournalRecordsRunsAndAbandonsThoseACrashCutShort() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    SyncRuns runs = store.syncRuns();
    long first = runs.start(alice, "manual", true, "{\"odoo\":3}");
    runs.recordPlan(first, "{\"actions\":[]}");
    runs.finish(first, SyncRun.Status.SUCCEEDED, "{\"created\":0}", null);
    long second = runs.start(alice, "notification", false, "{}");
    Outbox outbox = store.outbox();
    outbox.enqueue(alice, second, List.of(new Outbox.NewAction("create-odoo-1", "CreateInOdoo", "{}"),
        new Outbox.NewAction("create-odoo-2", "CreateInOdoo", "{}")));
    outbox.done("create-odoo-1");
    assertEquals(0, runs.abandonUnfinished(Instant.now().minusSeconds(3600)), "a run started since is left alone");
    assertEquals(1, runs.abandonUnfinished(Instant.now().plusSeconds(1)));
    List<SyncRun> recent = runs.recent(alice, 10);
    assertEquals(List.of(second, first), recent.stream().map(SyncRun::id).toList());
    assertEquals(SyncRun.Status.ABANDONED, recent.get(0).status());
    assertEquals(List.of(), outbox.pending(alice), "the cut-off run's unconfirmed action is abandoned with it");

    long third = runs.start(alice, "manual", false, "{}");
    assertEquals(0, outbox.enqueue(alice, third, List.of(new Outbox.NewAction("create-odoo-2", "CreateInOdoo", "{}"))));
    List<PendingAction> takenUp = outbox.pending(alice);
    assertEquals(List.of("create-odoo-2"), takenUp.stream().map(PendingAction::actionId).toList(), "decided again: taken up");
    assertEquals(third, takenUp.get(0).runId());
    SyncRun done = runs.get(first).orElseThrow();
    assertTrue(done.dryRun());
    assertEquals("{\"actions\":[]}", done.plan());
    assertTrue(done.finishedAt() != null && !done.finishedAt().isBefore(done.startedAt()));
  }

  @Test
  void outboxKeepsActionsUntilDoneAndRetriesWithTheSameId() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    Outbox outbox = store.outbox();
    List<Outbox.NewAction> actions = List.of(
        new Outbox.NewAction("run1-create-odoo-10", "create", "{\"odoo\":10}"),
        new Outbox.NewAction("run1-delete-graph-x", "delete", "{\"graph\":\"x\"}"));
    assertEquals(2, outbox.enqueue(alice, null, actions));
    assertEquals(0, outbox.enqueue(alice, null, actions), "enqueueing the same actions again adds nothing");

    Instant now = Instant.now();
    assertEquals(2, outbox.due(alice, now.plusSeconds(1), 10).size());
    outbox.failed("run1-create-odoo-10", "503 from Graph", now.plusSeconds(60), false);
    List<PendingAction> due = outbox.due(alice, now.plusSeconds(1), 10);
    assertEquals(List.of("run1-delete-graph-x"), due.stream().map(PendingAction::actionId).toList(), "the failed one waits");
    outbox.done("run1-delete-graph-x");
    PendingAction retried = outbox.due(alice, now.plusSeconds(61), 10).get(0);
    assertEquals(1, retried.attempts());
    assertEquals("503 from Graph", retried.lastError());
    outbox.failed("run1-create-odoo-10", "still failing", now.plusSeconds(120), true);
    assertTrue(outbox.pending(alice).isEmpty(), "given up: no longer pending, error kept");
    assertEquals(0, outbox.discardPending(alice));
    assertEquals(1, outbox.parked(alice).size(), "a given-up action is parked");
    assertEquals(1, outbox.discardParked(alice), "a reset drops it");
    assertEquals(List.of(), outbox.parked(alice));
  }

  @Test
  void aCleanRunClosesEarlierRunsActionsItDidNotDecideAgain() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    long bob = store.accounts().ensure("prod", 2, "bob").id();
    SyncRuns runs = store.syncRuns();
    Outbox outbox = store.outbox();
    long first = runs.start(alice, "manual", false, "{}");
    outbox.enqueue(alice, first, List.of(new Outbox.NewAction("lost-reply", "UpdateOutlook", "{}"),
        new Outbox.NewAction("refused", "UpdateOutlook", "{}")));
    outbox.failed("lost-reply", "Graph 503", Instant.now(), false);
    outbox.failed("refused", "Graph 400", Instant.now(), true);
    long bobsRun = runs.start(bob, "manual", false, "{}");
    outbox.enqueue(bob, bobsRun, List.of(new Outbox.NewAction("bobs", "UpdateOutlook", "{}")));
    long second = runs.start(alice, "manual", false, "{}");
    outbox.enqueue(alice, second, List.of(new Outbox.NewAction("now", "UpdateOutlook", "{}")));
    outbox.done("now");

    assertEquals(1, outbox.supersedeBefore(alice, second));
    assertEquals(List.of(), outbox.pending(alice), "nothing is left as work that no run will do");
    assertEquals(PendingAction.Status.SUPERSEDED, outbox.byActionId("lost-reply").orElseThrow().status());
    assertEquals(1, outbox.parked(alice).size(), "a parked action stays parked");
    assertEquals(1, outbox.pending(bob).size(), "another account's work is left alone");
  }

  @Test
  void aSeriesAndItsOccurrencesAreSavedTogetherAndForgottenTogether() throws Exception {
    long alice = store.accounts().ensure("db", 1, "alice").id();
    SeriesLinks series = store.series();
    SeriesLinks.Series row = new SeriesLinks.Series(0, alice, 7L, "AAMaster", "ICAL-S", "{\"pattern\":\"DAILY\"}", "{}", true, "ODOO");
    Mapping first = new Mapping(0, alice, 70L, "AAOcc1", "ICAL-S", "ck", "AAMaster", 7L, "{}", "{}", null, null);
    java.time.LocalDateTime nine = java.time.LocalDateTime.of(2027, 3, 26, 9, 0);
    series.saveAll(List.of(row), List.of(new SeriesLinks.Occurrence(first, -1, nine, false)), List.of(), List.of());

    SeriesLinks.Series saved = series.byOdooRecurrence(alice, 7L).orElseThrow();
    assertEquals(saved, series.byGraphMaster(alice, "AAMaster").orElseThrow());
    assertTrue(saved.noEnd());
    assertEquals(List.of(saved.id()), series.settling(alice).stream().map(SeriesLinks.Series::id).toList());
    List<SeriesLinks.Occurrence> occurrences = series.occurrences(saved.id());
    assertEquals(1, occurrences.size());
    assertEquals(nine, occurrences.get(0).originalStart());
    assertEquals(70L, occurrences.get(0).mapping().odooEventId());
    assertEquals(saved.id(), series.occurrenceOf(occurrences.get(0).mapping().id()).orElseThrow().seriesId());

    series.save(saved.withSettle(null));
    assertEquals(List.of(), series.settling(alice));
    series.saveAll(List.of(), List.of(), List.of(), List.of(saved.id()));
    assertTrue(series.byOdooRecurrence(alice, 7L).isEmpty());
    assertTrue(store.mappings().byOdooEventId(alice, 70L).isEmpty(), "its occurrence mappings go with it");
  }

  /** One Odoo series per meeting series: another mailbox of the same Odoo database finds it by iCalUId. */
  @Test
  void aMeetingSeriesIsFoundByItsICalUIdThroughOtherMailboxesOfTheSameDatabase() throws Exception {
    long alice = store.accounts().ensure("db", 1, "alice").id();
    long bob = store.accounts().ensure("db", 2, "bob").id();
    long elsewhere = store.accounts().ensure("other", 3, "carol").id();
    store.series().save(new SeriesLinks.Series(0, alice, 7L, "AAMaster", "ICAL-S", "{}", "{}", false, null));
    assertEquals(java.util.Optional.of(7L), store.series().recurrenceOfMeeting("db", bob, "ICAL-S"));
    assertTrue(store.series().recurrenceOfMeeting("db", alice, "ICAL-S").isEmpty(), "not the mailbox's own");
    assertTrue(store.series().recurrenceOfMeeting("other", elsewhere, "ICAL-S").isEmpty(), "not another database's");
    assertTrue(store.series().recurrenceOfMeeting("db", bob, "ICAL-X").isEmpty());
  }

  @Test
  void aSeriesKeepsItsContinuationPartsInOrderAndIsFoundByAnyOfThem() throws Exception {
    long alice = store.accounts().ensure("db", 1, "alice").id();
    long bob = store.accounts().ensure("db", 2, "bob").id();
    SeriesLinks series = store.series();
    series.saveAll(List.of(new SeriesLinks.Series(0, alice, 7L, "AAForever", "ICAL-F", "{}", "{}", true, null),
        new SeriesLinks.Series(0, bob, 9L, "BBOther", "ICAL-O", "{}", "{}", true, null)), List.of(), List.of(), List.of());
    SeriesLinks.Series forever = series.byOdooRecurrence(alice, 7L).orElseThrow();
    assertEquals(List.of(), series.parts(forever.id()));

    series.saveAll(List.of(), List.of(), List.of(), List.of(), Map.of(forever.id(), List.of(12L, 31L)));
    assertEquals(List.of(12L, 31L), series.parts(forever.id()), "in the order they continue it");
    assertEquals(forever, series.byOdooRecurrence(alice, 31L).orElseThrow(), "a later part names the series");
    assertEquals(forever, series.byOdooRecurrence(alice, 7L).orElseThrow(), "so does its first");
    assertTrue(series.byOdooRecurrence(bob, 31L).isEmpty(), "another account's series is not found by it");

    // Odoo replaces a part's recurrence when its rule or time is written: the list is replaced as a whole.
    series.saveAll(List.of(), List.of(), List.of(), List.of(), Map.of(forever.id(), List.of(12L, 44L, 50L)));
    assertEquals(List.of(12L, 44L, 50L), series.parts(forever.id()));
    assertTrue(series.byOdooRecurrence(alice, 31L).isEmpty(), "a replaced part names nothing");

    series.saveAll(List.of(), List.of(), List.of(), List.of(forever.id()));
    assertTrue(series.byOdooRecurrence(alice, 44L).isEmpty(), "the parts go with the series");
    assertEquals(List.of(), series.parts(forever.id()));
  }
}
