package io.outlooksync.sidecar.store;

import java.nio.charset.StandardCharsets;
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
 * Everything stored encrypted: settings marked secret (the client secret, the addon's shared secret) and each
 * account's msal4j token cache. Also re-encrypts them all under the active key, for key rotation.
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
    return db.transaction(c -> {
      int n = 0;
      List<Object[]> settings = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT name, secret FROM setting WHERE secret IS NOT NULL");
           ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          settings.add(new Object[] {rs.getString(1), rs.getBytes(2)});
        }
      }
      for (Object[] s : settings) {
        String context = "setting:" + s[0];
        byte[] old = (byte[]) s[1];
        if (SecretBox.keyIdOf(old).equals(box.activeKeyId())) {
          continue;
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE setting SET secret = ? WHERE name = ?")) {
          u.setBytes(1, box.seal(box.open(old, context), context));
          u.setString(2, (String) s[0]);
          n += u.executeUpdate();
        }
      }
      List<Object[]> caches = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT account_id, cache FROM token_cache"); ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          caches.add(new Object[] {rs.getLong(1), rs.getBytes(2)});
        }
      }
      for (Object[] t : caches) {
        String context = "token_cache:" + t[0];
        byte[] old = (byte[]) t[1];
        if (SecretBox.keyIdOf(old).equals(box.activeKeyId())) {
          continue;
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE token_cache SET cache = ? WHERE account_id = ?")) {
          u.setBytes(1, box.seal(box.open(old, context), context));
          u.setLong(2, (Long) t[0]);
          n += u.executeUpdate();
        }
      }
      return n;
    });
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
