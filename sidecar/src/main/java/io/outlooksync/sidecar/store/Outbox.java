package io.outlooksync.sidecar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Actions decided but not yet confirmed done. Written before the executor calls Graph or Odoo; marked done
 * after. What a crash leaves PENDING is retried with the same action id, so nothing is lost or done twice.
 */
public final class Outbox {
  private static final int MAX_ERROR = 4000;
  private static final String COLUMNS = "id, action_id, account_id, run_id, kind, payload, status, attempts, next_attempt_at, last_error";

  private final Database db;
  private final Clock clock;

  Outbox(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Records actions as PENDING; returns how many rows are new. An action id already present is left as it is
   * (enqueueing twice is harmless), except that an ABANDONED one (its run was cut off) is taken up by this run.
   */
  public int enqueue(long accountId, Long runId, List<NewAction> actions) throws SQLException {
    if (actions.isEmpty()) {
      return 0;
    }
    // Two statements prepared once and the inserts sent as one batch: a run page's 500 rows cost one round, not 1,000.
    return db.transaction(c -> {
      int added = 0;
      OffsetDateTime now = now();
      java.util.Set<String> seen = new java.util.HashSet<>();
      try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM outbox WHERE action_id = ?");
           PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (action_id, account_id, run_id, kind, payload, status, "
               + "attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
        for (NewAction a : actions) {
          if (!seen.add(a.actionId())) {
            continue;
          }
          exists.setString(1, a.actionId());
          boolean present;
          try (ResultSet rs = exists.executeQuery()) {
            present = rs.next();
          }
          if (present) {
            takeUp(c, a.actionId(), runId, now);
            continue;
          }
          insert.setString(1, a.actionId());
          insert.setLong(2, accountId);
          if (runId == null) {
            insert.setNull(3, Types.BIGINT);
          } else {
            insert.setLong(3, runId);
          }
          insert.setString(4, a.kind());
          insert.setString(5, a.payload());
          insert.setString(6, PendingAction.Status.PENDING.name());
          insert.setObject(7, now);
          insert.setObject(8, now);
          insert.setObject(9, now);
          insert.addBatch();
          added++;
        }
        if (added > 0) {
          insert.executeBatch();
        }
      }
      return added;
    });
  }

  /** An action to record: its stable id, its kind (create, update, ...) and what it needs (JSON). */
  public record NewAction(String actionId, String kind, String payload) {}

  /** An account's PENDING actions whose next attempt is due, oldest first. */
  public List<PendingAction> due(long accountId, Instant now, int limit) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE account_id = ? AND status = ? "
          + "AND next_attempt_at <= ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")) {
        p.setLong(1, accountId);
        p.setString(2, PendingAction.Status.PENDING.name());
        p.setObject(3, now.atOffset(ZoneOffset.UTC));
        return read(p);
      }
    });
  }

  public List<PendingAction> pending(long accountId) throws SQLException {
    return withStatus(accountId, PendingAction.Status.PENDING);
  }

  private List<PendingAction> withStatus(long accountId, PendingAction.Status status) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE account_id = ? AND status = ? ORDER BY id")) {
        p.setLong(1, accountId);
        p.setString(2, status.name());
        return read(p);
      }
    });
  }

  public void done(String actionId) throws SQLException {
    update(actionId, "status = ?, last_error = NULL", PendingAction.Status.DONE.name());
  }

  /** Marks many actions done in one transaction: a run of thousands of actions commits (and syncs) once, not per action. */
  public void doneAll(java.util.Collection<String> actionIds) throws SQLException {
    if (actionIds.isEmpty()) {
      return;
    }
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE outbox SET status = ?, last_error = NULL, updated_at = ? WHERE action_id = ?")) {
        OffsetDateTime now = now();
        for (String id : actionIds) {
          p.setString(1, PendingAction.Status.DONE.name());
          p.setObject(2, now);
          p.setString(3, id);
          p.addBatch();
        }
        p.executeBatch();
        return null;
      }
    });
  }

  /** Counts a failed attempt and schedules the next, or gives up (the error stays visible). */
  public void failed(String actionId, String error, Instant nextAttempt, boolean giveUp) throws SQLException {
    String clipped = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    update(actionId, "attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ?", clipped,
        nextAttempt.atOffset(ZoneOffset.UTC), (giveUp ? PendingAction.Status.GAVE_UP : PendingAction.Status.PENDING).name());
  }

  /** Marks a run's unconfirmed actions ABANDONED: the run stopped; a later run that decides one again takes it up. */
  public int abandon(long runId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE outbox SET status = ?, updated_at = ? WHERE run_id = ? AND status = ?")) {
        p.setString(1, PendingAction.Status.ABANDONED.name());
        p.setObject(2, now());
        p.setLong(3, runId);
        p.setString(4, PendingAction.Status.PENDING.name());
        return p.executeUpdate();
      }
    });
  }

  /**
   * After a run of the account in which every action went through: earlier runs' actions still PENDING were not
   * decided again, so nothing is left to do for them (a write whose reply was lost had reached the other side, or
   * the item changed since). They are closed as SUPERSEDED rather than kept as work that will never be done.
   */
  public int supersedeBefore(long accountId, long runId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE outbox SET status = ?, updated_at = ? WHERE account_id = ? AND status = ? "
          + "AND run_id IS NOT NULL AND run_id <> ?")) {
        p.setString(1, PendingAction.Status.SUPERSEDED.name());
        p.setObject(2, now());
        p.setLong(3, accountId);
        p.setString(4, PendingAction.Status.PENDING.name());
        p.setLong(5, runId);
        return p.executeUpdate();
      }
    });
  }

  /** Drops an account's unfinished actions, as a reset does. */
  public int discardPending(long accountId) throws SQLException {
    return discard(accountId, PendingAction.Status.PENDING);
  }

  /** Drops an account's parked (GAVE_UP) actions, as a reset does: what it decides next is tried afresh. */
  public int discardParked(long accountId) throws SQLException {
    return discard(accountId, PendingAction.Status.GAVE_UP);
  }

  private int discard(long accountId, PendingAction.Status status) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox WHERE account_id = ? AND status = ?")) {
        p.setLong(1, accountId);
        p.setString(2, status.name());
        return p.executeUpdate();
      }
    });
  }

  /** One action's row, if it was ever recorded. */
  public java.util.Optional<PendingAction> byActionId(String actionId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE action_id = ?")) {
        p.setString(1, actionId);
        return read(p).stream().findFirst();
      }
    });
  }

  /**
   * Gives up on an action that kept failing (GAVE_UP, its last error kept); {@code payload} records what it was
   * given up on, so that a changed item can be told apart from the same one read again.
   */
  public void park(String actionId, String payload) throws SQLException {
    update(actionId, "status = ?, payload = ?", PendingAction.Status.GAVE_UP.name(), payload);
  }

  /**
   * Counts an action's attempts afresh (PENDING, 0 attempts): a parked action taken up again because its item
   * changed, or one whose last failure was passing (throttled, unreachable) and so counts toward nothing.
   */
  public void countAfresh(String actionId) throws SQLException {
    update(actionId, "status = ?, attempts = 0", PendingAction.Status.PENDING.name());
  }

  /** An account's parked (GAVE_UP) actions, oldest first. */
  public List<PendingAction> parked(long accountId) throws SQLException {
    return withStatus(accountId, PendingAction.Status.GAVE_UP);
  }

  private static void takeUp(Connection c, String actionId, Long runId, OffsetDateTime now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("UPDATE outbox SET status = ?, run_id = ?, updated_at = ? WHERE action_id = ? "
        + "AND status = ?")) {
      p.setString(1, PendingAction.Status.PENDING.name());
      if (runId == null) {
        p.setNull(2, Types.BIGINT);
      } else {
        p.setLong(2, runId);
      }
      p.setObject(3, now);
      p.setString(4, actionId);
      p.setString(5, PendingAction.Status.ABANDONED.name());
      p.executeUpdate();
    }
  }

  private void update(String actionId, String assignments, Object... values) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE outbox SET " + assignments + ", updated_at = ? WHERE action_id = ?")) {
        int i = 1;
        for (Object v : values) {
          p.setObject(i++, v);
        }
        p.setObject(i++, now());
        p.setString(i, actionId);
        if (p.executeUpdate() != 1) {
          throw new SQLException("no outbox action " + actionId);
        }
        return null;
      }
    });
  }

  private static List<PendingAction> read(PreparedStatement p) throws SQLException {
    List<PendingAction> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(new PendingAction(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, Long.class), rs.getString(5),
            rs.getString(6), PendingAction.Status.valueOf(rs.getString(7)), rs.getInt(8), Accounts.instant(rs, 9), rs.getString(10)));
      }
    }
    return out;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
