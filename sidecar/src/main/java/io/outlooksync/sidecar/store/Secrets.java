package io.outlooksync.sidecar.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything stored encrypted: settings marked secret (the client secret, the addon's shared secret), each
 * account's msal4j token cache and its Graph subscription's clientState. Also re-encrypts them all under the active key, for key rotation.
 */
public final class Secrets {
  private final Database db;
  private final SecretBox box;
  private final Clock clock;

  Secrets(Database db, SecretBox box, Clock clock) {
    this.db = db;
    this.box = box;
    this.clock = clock;
  }

  public void putSetting(String name, String secret) throws SQLException {
    byte[] sealed = box.seal(secret.getBytes(StandardCharsets.UTF_8), "setting:" + name);
    db.transaction(c -> {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM setting WHERE name = ?")) {
        del.setString(1, name);
        del.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO setting (name, value, secret, updated_at) VALUES (?, NULL, ?, ?)")) {
        p.setString(1, name);
        p.setBytes(2, sealed);
        p.setObject(3, now());
        return p.executeUpdate();
      }
    });
  }

  public Optional<String> setting(String name) throws SQLException {
    byte[] sealed = db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT secret FROM setting WHERE name = ?")) {
        p.setString(1, name);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
    return sealed == null ? Optional.empty() : Optional.of(new String(box.open(sealed, "setting:" + name), StandardCharsets.UTF_8));
  }

  public void putTokenCache(long accountId, String cacheJson) throws SQLException {
    byte[] sealed = box.seal(cacheJson.getBytes(StandardCharsets.UTF_8), "token_cache:" + accountId);
    db.transaction(c -> {
      try (PreparedStatement u = c.prepareStatement("UPDATE token_cache SET cache = ?, updated_at = ? WHERE account_id = ?")) {
        u.setBytes(1, sealed);
        u.setObject(2, now());
        u.setLong(3, accountId);
        if (u.executeUpdate() == 1) {
          return null;
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO token_cache (account_id, cache, updated_at) VALUES (?, ?, ?)")) {
        p.setLong(1, accountId);
        p.setBytes(2, sealed);
        p.setObject(3, now());
        return p.executeUpdate();
      }
    });
  }

  public Optional<String> tokenCache(long accountId) throws SQLException {
    byte[] sealed = db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT cache FROM token_cache WHERE account_id = ?")) {
        p.setLong(1, accountId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
    return sealed == null ? Optional.empty()
        : Optional.of(new String(box.open(sealed, "token_cache:" + accountId), StandardCharsets.UTF_8));
  }

  public void deleteTokenCache(long accountId) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM token_cache WHERE account_id = ?")) {
        p.setLong(1, accountId);
        return p.executeUpdate();
      }
    });
  }

  /**
   * Re-encrypts every secret not sealed with the active key; returns how many. Run after putting a new key
   * first in the key list; the old key can be removed once this returns.
   */
  public int rotate() throws SQLException {
    return db.transaction(c -> reseal(c, "SELECT name, secret FROM setting WHERE secret IS NOT NULL",
        "UPDATE setting SET secret = ? WHERE name = ?", key -> "setting:" + key)
        + reseal(c, "SELECT account_id, cache FROM token_cache", "UPDATE token_cache SET cache = ? WHERE account_id = ?",
            key -> "token_cache:" + key)
        + reseal(c, "SELECT subscription_id, client_state FROM graph_subscription",
            "UPDATE graph_subscription SET client_state = ? WHERE subscription_id = ?", key -> GraphSubscriptions.context((String) key)));
  }

  /** Re-seals, under the active key, every value {@code select} (key, sealed) reads that another key sealed. */
  private int reseal(Connection c, String select, String update, java.util.function.Function<Object, String> context)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(select); ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        rows.add(new Object[] {rs.getObject(1), rs.getBytes(2)});
      }
    }
    int n = 0;
    for (Object[] row : rows) {
      String ctx = context.apply(row[0]);
      byte[] old = (byte[]) row[1];
      if (SecretBox.keyIdOf(old).equals(box.activeKeyId())) {
        continue;
      }
      try (PreparedStatement u = c.prepareStatement(update)) {
        u.setBytes(1, box.seal(box.open(old, ctx), ctx));
        u.setObject(2, row[0]);
        n += u.executeUpdate();
      }
    }
    return n;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
