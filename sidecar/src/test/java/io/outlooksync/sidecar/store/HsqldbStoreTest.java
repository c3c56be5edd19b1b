package io.outlooksync.sidecar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: HSQLDB files under the data directory. */
class HsqldbStoreTest extends StoreContractTest {
  @TempDir
  Path dataDir;

  @Override
  Database freshDatabase() throws Exception {
    return Database.embedded(dataDir);
  }

  @Override
  Database reopen() throws Exception {
    return Database.embedded(dataDir);
  }

  @Test
  void nothingSecretIsReadableInTheDataDirectory() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    store.secrets().putSetting("client_secret", "needle-client-secret");
    store.secrets().putTokenCache(alice, "{\"secret\":\"needle-refresh-token\"}");
    store.close();
    store = null;
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("needle"), "clear text secret in " + f);
      }
    }
    store = Store.open(reopen(), SecretBox.fromSpec(KEY_A), Clock.systemUTC());
    assertEquals("needle-client-secret", store.secrets().setting("client_secret").orElseThrow());
  }

  /**
   * HSQLDB loads a CACHED row whole into its data cache (10,000 KB): a journal row whose documents are at the caps
   * RunRecord sets, in characters UTF-8 writes in three bytes, is written, finished and read back (a 20,000-event
   * first sync's plan of 5 million characters once failed here: "Data cache size limit is reached").
   */
  @Test
  void aJournalRowAtTheDocumentCapsFitsTheDataCache() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    long run = store.syncRuns().start(alice, "test", false, "{}");
    String inputs = "{\"x\":\"" + "日".repeat(io.outlooksync.sidecar.sync.RunRecord.MAX_INPUT_CHARS - 20) + "\"}";
    String plan = "{\"x\":\"" + "語".repeat(io.outlooksync.sidecar.sync.RunRecord.MAX_PLAN_CHARS - 20) + "\"}";
    // The outcome at its own cap: 200 failures of 500 characters, every one three bytes.
    String outcome = "{\"errors\":\"" + "誤".repeat(100_000) + "\"}";
    store.syncRuns().recordInputs(run, inputs);
    store.syncRuns().recordPlan(run, plan);
    store.syncRuns().finish(run, SyncRun.Status.FAILED, outcome, "e".repeat(10_000));
    SyncRun back = store.syncRuns().get(run).orElseThrow();
    assertEquals(inputs, back.inputs());
    assertEquals(plan, back.plan());
    assertEquals(outcome, back.outcome());
  }

  @Test
  void theFilesOpenInOneStoreAtATimeAndAgainOnceItIsClosed() throws Exception {
    java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> Database.embedded(dataDir).close());
    assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    store.close();
    store = Store.open(reopen(), SecretBox.fromSpec(KEY_A), Clock.systemUTC());
    assertEquals(alice, store.accounts().find("prod", 1).orElseThrow().id());
  }

  @Test
  void theTablesStayOnDiskAndAStoreOfMemoryTablesIsConvertedOnItsNextStart() throws Exception {
    long alice = store.accounts().ensure("prod", 1, "alice-of-the-memory-store").id();
    assertEquals(Set.of("CACHED"), tableTypes(store.database()), "a new store's tables");
    store.close();
    store = null;
    // As earlier builds left a store: every table MEMORY, its rows in the script HSQLDB reads whole at open.
    String url = "jdbc:hsqldb:file:" + dataDir.resolve("store/outlook-sync").toAbsolutePath() + ";hsqldb.lock_file=false";
    try (Connection c = DriverManager.getConnection(url, "SA", ""); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.system_tables WHERE table_schem = 'PUBLIC'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        s.execute("SET TABLE PUBLIC.\"" + table + "\" TYPE MEMORY");
      }
      s.execute("SET DATABASE DEFAULT TABLE TYPE MEMORY");
      s.execute("SHUTDOWN");
    }
    Path script = dataDir.resolve("store/outlook-sync.script");
    assertTrue(text(script).contains("alice-of-the-memory-store"), "the rows are in the script");

    store = Store.open(reopen(), SecretBox.fromSpec(KEY_A), Clock.systemUTC());
    assertEquals(Set.of("CACHED"), tableTypes(store.database()), "the converted store's tables");
    assertEquals(alice, store.accounts().find("prod", 1).orElseThrow().id(), "the rows are kept");
    store.close();
    store = null;
    assertFalse(text(script).contains("alice-of-the-memory-store"), "the rows left the script for the data file");
    store = Store.open(reopen(), SecretBox.fromSpec(KEY_A), Clock.systemUTC());
    assertEquals("alice-of-the-memory-store", store.accounts().get(alice).orElseThrow().odooLogin());
  }

  private static Set<String> tableTypes(Database db) throws Exception {
    return db.transaction(c -> {
      Set<String> types = new HashSet<>();
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT hsqldb_type FROM information_schema.system_tables WHERE table_schem = 'PUBLIC'")) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      return types;
    });
  }

  private static String text(Path f) throws Exception {
    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
  }
}
