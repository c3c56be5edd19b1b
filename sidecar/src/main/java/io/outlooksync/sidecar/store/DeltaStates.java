package io.outlooksync.sidecar.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The {@code delta_state} table, one row per account. */
public final class DeltaStates {
  private final Database db;
  private final Clock clock;

  DeltaStates(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Optional<DeltaState> get(long accountId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT window_start, window_end, delta_link, next_link FROM delta_state WHERE account_id = ?")) {
        p.setLong(1, accountId);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new DeltaState(accountId, Accounts.instant(rs, 1), Accounts.instant(rs, 2), rs.getString(3), rs.getString(4)));
        }
      }
    });
  }

  public void save(DeltaState s) throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    db.transaction(c -> {
      try (PreparedStatement u = c.prepareStatement("UPDATE delta_state SET window_start = ?, window_end = ?, delta_link = ?, "
          + "next_link = ?, updated_at = ? WHERE account_id = ?")) {
        u.setObject(1, s.windowStart().atOffset(ZoneOffset.UTC));
        u.setObject(2, s.windowEnd().atOffset(ZoneOffset.UTC));
        u.setString(3, s.deltaLink());
        u.setString(4, s.nextLink());
        u.setObject(5, now);
        u.setLong(6, s.accountId());
        if (u.executeUpdate() == 1) {
          return null;
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO delta_state (account_id, window_start, window_end, delta_link, "
          + "next_link, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        p.setLong(1, s.accountId());
        p.setObject(2, s.windowStart().atOffset(ZoneOffset.UTC));
        p.setObject(3, s.windowEnd().atOffset(ZoneOffset.UTC));
        p.setString(4, s.deltaLink());
        p.setString(5, s.nextLink());
        p.setObject(6, now);
        return p.executeUpdate();
      }
    });
  }

  /** Forgets the account's change tracking: the next round is a full one. */
  public void clear(long accountId) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM delta_state WHERE account_id = ?")) {
        p.setLong(1, accountId);
        return p.executeUpdate();
      }
    });
  }
}
