package io.outlooksync.sidecar.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Test
  void theFilesOpenInOneStoreAtATimeAndAgainOnceItIsClosed() throws Exception {
    java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> Database.embedded(dataDir).close());
    assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
    long alice = store.accounts().ensure("prod", 1, "alice").id();
    store.close();
    store = Store.open(reopen(), SecretBox.fromSpec(KEY_A), Clock.systemUTC());
    assertEquals(alice, store.accounts().find("prod", 1).orElseThrow().id());
  }
}
