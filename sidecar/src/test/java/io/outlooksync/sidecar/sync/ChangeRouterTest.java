package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.fixtures.odoo.Outage;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.odoo.OdooAttendee;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Announced Odoo records and Graph resources to the connected accounts they concern, over XML-RPC to the emulator. */
class ChangeRouterTest {
  @TempDir
  Path dataDir;

  OdooEmulator odooEmulator;
  XmlRpcOdooGateway odoo;
  Store store;
  ChangeRouter router;
  long alice;
  long bob;
  long carol;
  long aliceUid;
  long bobUid;
  long carolPartner;

  @BeforeEach
  void start() throws Exception {
    odooEmulator = OdooEmulator.builder().database("prod")
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
        .user(OdooUser.of("alice", "a").name("Alice").email("alice@example.com"))
        .user(OdooUser.of("bob", "b").name("Bob").email("bob@example.com"))
        .user(OdooUser.of("carol", "c").name("Carol").email("carol@example.com"))
        .build().start();
    odoo = new XmlRpcOdooGateway(OdooConfig.of(odooEmulator.url(), "prod", "sync", "sync-key"));
    odoo.authenticate();
    store = Store.open(Database.embedded(dataDir), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC());
    aliceUid = odooEmulator.uid("alice");
    bobUid = odooEmulator.uid("bob");
    alice = connect("alice", aliceUid, "0000aaaa-0000-0000-0000-000000000001");
    bob = connect("bob", bobUid, "0000bbbb-0000-0000-0000-000000000002");
    // Carol signed in once but is paused: her changes route nowhere.
    carol = connect("carol", odooEmulator.uid("carol"), "0000cccc-0000-0000-0000-000000000003");
    store.accounts().setState(carol, io.outlooksync.sidecar.store.AccountState.PAUSED, "test");
    carolPartner = odoo.user(odooEmulator.uid("carol")).partnerId();
    router = new ChangeRouter(store, db -> db.equals("prod") ? Optional.of(odoo) : Optional.empty());
  }

  private long connect(String login, long uid, String oid) throws Exception {
    long id = store.accounts().ensure("prod", uid, login).id();
    store.accounts().connected(id, oid + ".tenant-id", login + "@example.com", "tenant-id");
    return id;
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    odooEmulator.close();
  }

  private long event(String title, long organizer, Long... partners) {
    Instant start = Instant.parse("2026-12-01T09:00:00Z");
    return odoo.createEvents(List.of(OdooEventDraft.timed(title, start, start.plusSeconds(3600)).withOrganizer(organizer)
        .withPartners(List.of(partners)))).get(0);
  }

  @Test
  void eventsGoToTheirOrganizerAndConnectedAttendeesAndToWhoeverSyncedThem() throws Exception {
    long bobPartner = odoo.user(bobUid).partnerId();
    long review = event("Review", aliceUid, bobPartner, carolPartner);
    long carolsOwn = event("Carol's", odooEmulator.uid("carol"), carolPartner);
    long archived = event("Archived", odooEmulator.uid("carol"), carolPartner);
    // Alice synced Carol's event before she was removed from it; Bob synced one archived since, and one deleted.
    store.mappings().save(new Mapping(0, alice, carolsOwn, "graph-1", null, null, null, null, null, null, null, null));
    store.mappings().save(new Mapping(0, bob, archived, "graph-2", null, null, null, null, null, null, null, null));
    store.mappings().save(new Mapping(0, bob, 888_888L, "graph-3", null, null, null, null, null, null, null, null));

    assertEquals(Set.of(alice, bob), router.odooChanged("prod", "calendar.event", List.of(review)));
    assertEquals(Set.of(alice), router.odooChanged("prod", "calendar.event", List.of(carolsOwn)), "mapped, and the paused organizer is left out");
    assertEquals(Set.of(alice, bob), router.odooChanged("prod", "calendar.event", List.of(review, carolsOwn, 999_999L)));
    odoo.archiveEvents(List.of(archived));
    assertEquals(Set.of(bob), router.odooChanged("prod", "calendar.event", List.of(archived)));
    assertEquals(Set.of(bob), router.odooChanged("prod", "calendar.event", List.of(888_888L)), "deleted in Odoo, known by its mapping");
    assertEquals(Set.of(), router.odooChanged("other", "calendar.event", List.of(review)), "another database's accounts only");
  }

  @Test
  void attendeesAndSeriesGoToTheirEvents() throws Exception {
    long bobPartner = odoo.user(bobUid).partnerId();
    long review = event("Review", odooEmulator.uid("carol"), bobPartner, carolPartner);
    long bobsAttendee = odoo.attendees(List.of(review)).stream().filter(a -> a.partnerId() == bobPartner).findFirst()
        .map(OdooAttendee::id).orElseThrow();
    assertEquals(Set.of(bob), router.odooChanged("prod", "calendar.attendee", List.of(bobsAttendee)));
    assertEquals(Set.of(), router.odooChanged("prod", "calendar.attendee", List.of(999_999L)), "unknown ids are dropped");
  }

  @Test
  void odooNotServedOrDownLeavesTheMappedAccounts() throws Exception {
    long review = event("Review", aliceUid);
    store.mappings().save(new Mapping(0, bob, review, "graph-4", null, null, null, null, null, null, null, null));
    ChangeRouter blind = new ChangeRouter(store, db -> Optional.empty());
    assertEquals(Set.of(bob), blind.odooChanged("prod", "calendar.event", List.of(review)));
    odooEmulator.outage(Outage.BAD_GATEWAY);
    assertEquals(Set.of(bob), router.odooChanged("prod", "calendar.event", List.of(review)), "Odoo down: the mapped accounts");
    odooEmulator.outage(Outage.NONE);
    assertEquals(Set.of(alice, bob), router.odooChanged("prod", "calendar.event", List.of(review)));
  }

  @Test
  void graphResourcesGoToTheMailboxTheyName() throws Exception {
    Map<String, Long> routed = router.graphChanged(List.of(
        "Users/0000AAAA-0000-0000-0000-000000000001/Events/AAkALg==",
        "users('bob@example.com')/events('x')",
        "Users/0000cccc-0000-0000-0000-000000000003/Events/1",
        "Users/ffffffff-0000-0000-0000-000000000009/Events/1",
        "subscriptions/abc"));
    assertEquals(Map.of("Users/0000AAAA-0000-0000-0000-000000000001/Events/AAkALg==", alice,
        "users('bob@example.com')/events('x')", bob), routed, "a paused mailbox and unknown ones route nowhere");
  }
}
