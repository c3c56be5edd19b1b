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
import java.util.List;
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
}
