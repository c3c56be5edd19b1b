package io.outlooksync.sidecar.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plain rows of the {@code setting} table (the global pause, values the addon pushed), and the one operation
 * that writes plain and secret settings together: the addon's {@code configure} call must land whole or not
 * at all. Secret values are read through {@link Secrets#setting}.
 */
public final class Settings {
  private final Database db;
  private final SecretBox box;
  private final Clock clock;

  Settings(Database db, SecretBox box, Clock clock) {
    this.db = db;
    this.box = box;
    this.clock = clock;
  }

  /** A plain setting; empty when absent or when the row holds a secret. */
  public Optional<String> value(String name) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT value FROM setting WHERE name = ?")) {
        p.setString(1, name);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** Names of the rows whose name starts with {@code prefix} (the sync cursors of every account, say). */
  public java.util.List<String> namesStartingWith(String prefix) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT name FROM setting WHERE name LIKE ? ORDER BY name")) {
        p.setString(1, prefix + "%"); // '_' matches any character too: the exact prefix is checked below
        java.util.List<String> out = new java.util.ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(1).startsWith(prefix)) {
              out.add(rs.getString(1));
            }
          }
        }
        return out;
      }
    });
  }

  public void put(String name, String value) throws SQLException {
    update(Map.of(name, value), Map.of(), Set.of());
  }

  /** Writes {@code plain} and {@code secret} values and deletes {@code remove}, in one transaction. */
  public void update(Map<String, String> plain, Map<String, String> secret, Set<String> remove) throws SQLException {
    db.transaction(c -> {
      for (String name : remove) {
        delete(c, name);
      }
      for (Map.Entry<String, String> e : plain.entrySet()) {
        write(c, e.getKey(), e.getValue(), null);
      }
      for (Map.Entry<String, String> e : secret.entrySet()) {
        byte[] sealed = box.seal(e.getValue().getBytes(StandardCharsets.UTF_8), "setting:" + e.getKey());
        write(c, e.getKey(), null, sealed);
      }
      return null;
    });
  }

  private void write(Connection c, String name, String value, byte[] sealed) throws SQLException {
    delete(c, name);
    try (PreparedStatement p = c.prepareStatement("INSERT INTO setting (name, value, secret, updated_at) VALUES (?, ?, ?, ?)")) {
      p.setString(1, name);
      p.setString(2, value);
      p.setBytes(3, sealed);
      p.setObject(4, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
      p.executeUpdate();
    }
  }

  private static void delete(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM setting WHERE name = ?")) {
      p.setString(1, name);
      p.executeUpdate();
    }
  }
}
