package io.outlooksync.sidecar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code account} table: who is connected, in what state, with the last sync and the last error. */
public final class Accounts {
  private static final int MAX_TEXT = 4000;
  private static final String COLUMNS = "id, odoo_db, odoo_user_id, odoo_login, ms_home_account_id, ms_username, ms_tenant_id, "
      + "state, state_reason, last_sync_at, last_error, last_error_at, created_at, updated_at";

  private final Database db;
  private final Clock clock;

  Accounts(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The account of an Odoo user, created NOT_CONNECTED on first sight. */
  public Account ensure(String odooDb, long odooUserId, String odooLogin) throws SQLException {
    return db.transaction(c -> {
      Optional<Account> existing = find(c, odooDb, odooUserId);
      if (existing.isPresent()) {
        return existing.get();
      }
      OffsetDateTime now = now();
      try (PreparedStatement p = c.prepareStatement("INSERT INTO account (odoo_db, odoo_user_id, odoo_login, state, created_at, updated_at) "
          + "VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        p.setString(1, odooDb);
        p.setLong(2, odooUserId);
        p.setString(3, odooLogin);
        p.setString(4, AccountState.NOT_CONNECTED.name());
        p.setObject(5, now);
        p.setObject(6, now);
        p.executeUpdate();
      }
      return find(c, odooDb, odooUserId).orElseThrow();
    });
  }

  public Optional<Account> find(String odooDb, long odooUserId) throws SQLException {
    return db.transaction(c -> find(c, odooDb, odooUserId));
  }

  public Optional<Account> get(long id) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM account WHERE id = ?")) {
        p.setLong(1, id);
        return one(p);
      }
    });
  }

  public List<Account> all() throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM account ORDER BY id");
           ResultSet rs = p.executeQuery()) {
        List<Account> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    });
  }

  /** Sign-in completed: the Microsoft identity is recorded and the account is CONNECTED. */
  public void connected(long id, String homeAccountId, String username, String tenantId) throws SQLException {
    update(id, "ms_home_account_id = ?, ms_username = ?, ms_tenant_id = ?, state = ?, state_reason = NULL",
        homeAccountId, username, tenantId, AccountState.CONNECTED.name());
  }

  public void setState(long id, AccountState state, String reason) throws SQLException {
    update(id, "state = ?, state_reason = ?", state.name(), clip(reason));
  }

  public void recordSync(long id, Instant at) throws SQLException {
    update(id, "last_sync_at = ?, last_error = NULL, last_error_at = NULL", at.atOffset(ZoneOffset.UTC));
  }

  /** The last error users and admins see; never a secret or an event's content (callers pass ids only). */
  public void recordError(long id, String message) throws SQLException {
    update(id, "last_error = ?, last_error_at = ?", clip(message), now());
  }

  public void delete(long id) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM account WHERE id = ?")) {
        p.setLong(1, id);
        return p.executeUpdate();
      }
    });
  }

  private void update(long id, String assignments, Object... values) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE account SET " + assignments + ", updated_at = ? WHERE id = ?")) {
        int i = 1;
        for (Object v : values) {
          p.setObject(i++, v);
        }
        p.setObject(i++, now());
        p.setLong(i, id);
        if (p.executeUpdate() != 1) {
          throw new SQLException("no account " + id);
        }
        return null;
      }
    });
  }

  private Optional<Account> find(Connection c, String odooDb, long odooUserId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM account WHERE odoo_db = ? AND odoo_user_id = ?")) {
      p.setString(1, odooDb);
      p.setLong(2, odooUserId);
      return one(p);
    }
  }

  private static Optional<Account> one(PreparedStatement p) throws SQLException {
    try (ResultSet rs = p.executeQuery()) {
      return rs.next() ? Optional.of(read(rs)) : Optional.empty();
    }
  }

  private static Account read(ResultSet rs) throws SQLException {
    return new Account(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), AccountState.valueOf(rs.getString(8)), rs.getString(9), instant(rs, 10), rs.getString(11),
        instant(rs, 12), instant(rs, 13), instant(rs, 14));
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static String clip(String s) {
    return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
  }
}
