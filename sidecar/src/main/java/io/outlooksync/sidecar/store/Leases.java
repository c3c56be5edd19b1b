package io.outlooksync.sidecar.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scale-out on PostgreSQL: the {@code sidecar_instance} heartbeats and the {@code sync_lease} rows that say
 * which sidecar syncs each account. Every time is the database's ({@code now()}), so the sidecars' own clocks
 * may disagree without two of them believing they hold one account. Claims take free or expired rows with
 * {@code FOR UPDATE SKIP LOCKED}: sidecars claiming at once never wait on, nor take, each other's rows.
 */
public final class Leases {
  private final Database db;

  Leases(Database db) {
    this.db = db;
  }

  private void requirePostgres() {
    if (db.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalStateException("leases are for sidecars sharing a PostgreSQL store; the embedded store has one sidecar");
    }
  }

  /** Says this sidecar is alive; also gives every account without a lease row a free one. */
  public void beat(String instance) throws SQLException {
    requirePostgres();
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO sidecar_instance (instance_id, started_at, heartbeat_at) "
          + "VALUES (?, now(), now()) ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()")) {
        p.setString(1, instance);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO sync_lease (account_id, holder, expires_at) "
          + "SELECT a.id, NULL, now() FROM account a WHERE NOT EXISTS (SELECT 1 FROM sync_lease l WHERE l.account_id = a.id) "
          + "ON CONFLICT (account_id) DO NOTHING")) {
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Sidecars whose last beat is younger than {@code ttl} (this one included once it has beaten). */
  public int liveInstances(Duration ttl) throws SQLException {
    return count("SELECT COUNT(*) FROM sidecar_instance WHERE heartbeat_at > now() - (? * interval '1 millisecond')", ttl.toMillis());
  }

  /** Accounts there are leases for. */
  public int accounts() throws SQLException {
    return count("SELECT COUNT(*) FROM sync_lease", null);
  }

  /** Extends every lease {@code instance} holds by {@code ttl} from now; returns the accounts it still holds. */
  public Set<Long> renew(String instance, Duration ttl) throws SQLException {
    return ids("UPDATE sync_lease SET expires_at = now() + (? * interval '1 millisecond') WHERE holder = ? RETURNING account_id",
        ttl.toMillis(), instance);
  }

  /** Takes up to {@code max} free or expired leases for {@code instance}; returns the accounts taken. */
  public Set<Long> claim(String instance, Duration ttl, int max) throws SQLException {
    if (max <= 0) {
      return new TreeSet<>();
    }
    return ids("WITH free AS (SELECT account_id FROM sync_lease WHERE holder IS NULL OR expires_at < now() "
        + "ORDER BY account_id LIMIT ? FOR UPDATE SKIP LOCKED) "
        + "UPDATE sync_lease l SET holder = ?, expires_at = now() + (? * interval '1 millisecond'), acquired_at = now() "
        + "FROM free WHERE l.account_id = free.account_id RETURNING l.account_id", max, instance, ttl.toMillis());
  }

  /** Takes (or keeps) one account's lease if it is free, expired or already ours. */
  public boolean claimOne(String instance, Duration ttl, long accountId) throws SQLException {
    // An upsert: an account signed in moments ago has no lease row until some keeper's next beat, and a caller
    // here (Sync now) must not wait for that beat while another sidecar's beat takes the account meanwhile.
    return !ids("INSERT INTO sync_lease (account_id, holder, expires_at, acquired_at) "
        + "VALUES (?, ?, now() + (? * interval '1 millisecond'), now()) "
        + "ON CONFLICT (account_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at, "
        + "acquired_at = CASE WHEN sync_lease.holder = EXCLUDED.holder THEN sync_lease.acquired_at ELSE now() END "
        + "WHERE sync_lease.holder IS NULL OR sync_lease.holder = EXCLUDED.holder OR sync_lease.expires_at < now() "
        + "RETURNING account_id",
        accountId, instance, ttl.toMillis()).isEmpty();
  }

  /** Whether {@code instance} holds the account's lease, extending it by {@code ttl} if so: checked before each run. */
  public boolean confirm(String instance, Duration ttl, long accountId) throws SQLException {
    return !ids("UPDATE sync_lease SET expires_at = now() + (? * interval '1 millisecond') "
        + "WHERE account_id = ? AND holder = ? AND expires_at > now() RETURNING account_id", ttl.toMillis(), accountId, instance).isEmpty();
  }

  /** Gives up these accounts' leases, so another sidecar can take them at once. */
  public void release(String instance, Collection<Long> accountIds) throws SQLException {
    if (accountIds.isEmpty()) {
      return;
    }
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE sync_lease SET holder = NULL, expires_at = now() WHERE holder = ? AND account_id = ANY (?)")) {
        p.setString(1, instance);
        Array ids = c.createArrayOf("bigint", accountIds.toArray());
        p.setArray(2, ids);
        return p.executeUpdate();
      }
    });
  }

  /** Hands one account's lease from {@code instance} straight to {@code to} (a Sync now reached {@code to}). */
  public boolean handOver(String instance, long accountId, String to, Duration ttl) throws SQLException {
    return !ids("UPDATE sync_lease SET holder = ?, expires_at = now() + (? * interval '1 millisecond'), acquired_at = now() "
        + "WHERE account_id = ? AND holder = ? RETURNING account_id", to, ttl.toMillis(), accountId, instance).isEmpty();
  }

  /** Clean shutdown: every lease of {@code instance} freed and its heartbeat row gone. */
  public void leave(String instance) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE sync_lease SET holder = NULL, expires_at = now() WHERE holder = ?")) {
        p.setString(1, instance);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM sidecar_instance WHERE instance_id = ?")) {
        p.setString(1, instance);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** The sidecar holding the account's unexpired lease, if any. */
  public Optional<String> holder(long accountId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT holder FROM sync_lease WHERE account_id = ? AND expires_at > now()")) {
        p.setLong(1, accountId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  private int count(String sql, Long arg) throws SQLException {
    requirePostgres();
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        if (arg != null) {
          p.setLong(1, arg);
        }
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  private Set<Long> ids(String sql, Object... args) throws SQLException {
    requirePostgres();
    return db.transaction(c -> select(c, sql, args));
  }

  private static Set<Long> select(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      Set<Long> out = new TreeSet<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }
}
