package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.XmlRpcOdooGateway;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that dies of something other than a failed action still ends in the journal. */
class SyncRunnerJournalTest {
  @TempDir
  Path dataDir;

  @Test
  void aRunThatDiesOfAnErrorIsJournaledFailedNotLeftRunning() throws Exception {
    try (OdooEmulator emulator = OdooEmulator.builder().database("prod")
             .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin())
             .user(OdooUser.of("alice", "alice-pw").name("Alice").email("alice@example.com"))
             .build().start();
         Store store = Store.open(Database.embedded(dataDir), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC())) {
      XmlRpcOdooGateway odoo = new XmlRpcOdooGateway(OdooConfig.of(emulator.url(), "prod", "sync", "sync-key"));
      odoo.authenticate();
      long account = store.accounts().ensure("prod", emulator.uid("alice"), "alice").id();
      store.accounts().connected(account, "home-alice", "alice@example.com", "tenant");
      // An Error is not a failed action nor a failed gathering: the run stops, and must say so.
      SyncRunner runner = new SyncRunner(store, odoo, a -> {
        throw new StackOverflowError("deep");
      }, Clock.systemUTC());

      assertThrows(StackOverflowError.class, () -> runner.run(account, "test", false));

      SyncRun run = store.syncRuns().recent(account, 1).get(0);
      assertEquals(SyncRun.Status.FAILED, run.status());
      assertTrue(run.error().contains("StackOverflowError"), run.error());
      assertTrue(store.accounts().get(account).orElseThrow().lastError().contains("sync run " + run.id()));
    }
  }
}
