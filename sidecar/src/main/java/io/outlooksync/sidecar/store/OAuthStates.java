package io.outlooksync.sidecar.store;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code oauth_state} table: sign-in attempts in flight, each with its PKCE verifier (encrypted), its
 * expiry and the moment it was used. Also keeps the key that signs the {@code state} strings, created on
 * first use and stored encrypted like any secret setting.
 */
public final class OAuthStates {
  static final String STATE_KEY = "oauth_state_key";

  /** One row; the verifier is already decrypted. */
  public record Pending(String nonce, String odooDb, long odooUserId, byte[] verifier, Instant expiresAt, Instant usedAt) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final SecretBox box;
  private final Clock clock;

  OAuthStates(Database db, SecretBox box, Clock clock) {
    this.db = db;
    this.box = box;
    this.clock = clock;
  }

  public void create(String nonce, String odooDb, long odooUserId, byte[] verifier, Instant expiresAt) throws SQLException {
    byte[] sealed = box.seal(verifier, "oauth_state:" + nonce);
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO oauth_state (nonce, odoo_db, odoo_user_id, verifier, expires_at) VALUES (?, ?, ?, ?, ?)")) {
        p.setString(1, nonce);
        p.setString(2, odooDb);
        p.setLong(3, odooUserId);
        p.setBytes(4, sealed);
        p.setObject(5, utc(expiresAt));
        return p.executeUpdate();
      }
    });
  }

  public Optional<Pending> find(String nonce) throws SQLException {
    Object[] row = db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT odoo_db, odoo_user_id, verifier, expires_at, used_at FROM oauth_state WHERE nonce = ?")) {
        p.setString(1, nonce);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next()
              ? new Object[] {rs.getString(1), rs.getLong(2), rs.getBytes(3), Accounts.instant(rs, 4), Accounts.instant(rs, 5)}
              : null;
        }
      }
    });
    if (row == null) {
      return Optional.empty();
    }
    byte[] verifier = box.open((byte[]) row[2], "oauth_state:" + nonce);
    return Optional.of(new Pending(nonce, (String) row[0], (Long) row[1], verifier, (Instant) row[3], (Instant) row[4]));
  }

  /**
   * Marks the state used if it is still unused and unexpired at {@code now}; false when another request got
   * there first or it expired meanwhile. One conditional UPDATE, so two sidecars cannot both win.
   */
  public boolean claim(String nonce, Instant now) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE oauth_state SET used_at = ? WHERE nonce = ? AND used_at IS NULL AND expires_at > ?")) {
        p.setObject(1, utc(now));
        p.setString(2, nonce);
        p.setObject(3, utc(now));
        return p.executeUpdate() == 1;
      }
    });
  }

  /** Forgets states that expired or were used before {@code before}; returns how many. */
  public int purge(Instant before) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM oauth_state WHERE expires_at < ? OR used_at < ?")) {
        p.setObject(1, utc(before));
        p.setObject(2, utc(before));
        return p.executeUpdate();
      }
    });
  }

  /**
   * The 32-byte key that signs state strings. Created once; a sidecar that loses the race to create it
   * reads the winner's, so every sidecar on a shared database signs with the same key.
   */
  public byte[] stateKey() throws SQLException {
    Optional<byte[]> existing = readKey();
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    byte[] sealed = box.seal(key, "setting:" + STATE_KEY);
    try {
      db.transaction(c -> {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO setting (name, value, secret, updated_at) VALUES (?, NULL, ?, ?)")) {
          p.setString(1, STATE_KEY);
          p.setBytes(2, sealed);
          p.setObject(3, utc(clock.instant()));
          return p.executeUpdate();
        }
      });
    } catch (SQLException raced) {
      // Another sidecar inserted it first (primary key); theirs is the key.
    }
    return readKey().orElseThrow(() -> new SQLException("the OAuth state key could not be stored"));
  }

  private Optional<byte[]> readKey() throws SQLException {
    byte[] sealed = db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT secret FROM setting WHERE name = ?")) {
        p.setString(1, STATE_KEY);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
    return sealed == null ? Optional.empty() : Optional.of(box.open(sealed, "setting:" + STATE_KEY));
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
