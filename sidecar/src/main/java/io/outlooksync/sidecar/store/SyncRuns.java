package io.outlooksync.sidecar.store;

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

/**
 * The journal ({@code sync_run}): a run is recorded before it acts, its plan before execution, its outcome
 * after. A run still RUNNING at start-up was cut short by a crash and is marked ABANDONED
 * ({@link #abandonUnfinished}).
 */
public final class SyncRuns {
  private static final int MAX_ERROR = 4000;
  private static final String COLUMNS = "id, account_id, cause, dry_run, status, started_at, finished_at, inputs, plan, outcome, error";

  private final Database db;
  private final Clock clock;

  SyncRuns(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public long start(long accountId, String cause, boolean dryRun, String inputsJson) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO sync_run (account_id, cause, dry_run, status, started_at, inputs) "
          + "VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        p.setLong(1, accountId);
        p.setString(2, cause);
        p.setBoolean(3, dryRun);
        p.setString(4, SyncRun.Status.RUNNING.name());
        p.setObject(5, now());
        p.setString(6, inputsJson);
        p.executeUpdate();
        try (ResultSet keys = p.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  /** Replaces the inputs the run started with (its window) by everything it planned from. */
  public void recordInputs(long runId, String inputsJson) throws SQLException {
    update(runId, "inputs = ?", inputsJson);
  }

  public void recordPlan(long runId, String planJson) throws SQLException {
    update(runId, "plan = ?", planJson);
  }

  public void finish(long runId, SyncRun.Status status, String outcomeJson, String error) throws SQLException {
    if (status == SyncRun.Status.RUNNING) {
      throw new IllegalArgumentException("a finished run is not RUNNING");
    }
    String clipped = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    update(runId, "status = ?, finished_at = ?, outcome = ?, error = ?", status.name(), now(), outcomeJson, clipped);
  }

  public Optional<SyncRun> get(long runId) throws SQLException {
    List<SyncRun> found = select("WHERE id = ?", runId, 1);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The account's latest runs, newest first. */
  public List<SyncRun> recent(long accountId, int limit) throws SQLException {
    return select("WHERE account_id = ? ORDER BY id DESC", accountId, limit);
  }

  /**
   * Marks runs left RUNNING by a process that stopped mid-run (killed, crashed, power cut) and started before
   * {@code startedBefore}, ABANDONED, and their PENDING outbox rows ABANDONED too; returns how many runs. Called
   * once at start-up. Nothing of such a run is lost: the cursors moved only when a run succeeded, so the next run
   * reads the same changes again and decides them afresh.
   */
  public int abandonUnfinished(Instant startedBefore) throws SQLException {
    OffsetDateTime before = startedBefore.atOffset(ZoneOffset.UTC);
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE outbox SET status = ?, last_error = ?, updated_at = ? WHERE status = ? "
          + "AND run_id IN (SELECT id FROM sync_run WHERE status = ? AND started_at < ?)")) {
        p.setString(1, PendingAction.Status.ABANDONED.name());
        p.setString(2, "its run was cut off before this action was confirmed; the next run decides again");
        p.setObject(3, now());
        p.setString(4, PendingAction.Status.PENDING.name());
        p.setString(5, SyncRun.Status.RUNNING.name());
        p.setObject(6, before);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE sync_run SET status = ?, finished_at = ?, error = ? "
          + "WHERE status = ? AND started_at < ?")) {
        p.setString(1, SyncRun.Status.ABANDONED.name());
        p.setObject(2, now());
        p.setString(3, "the sidecar stopped during this run; the next run reads the same changes again");
        p.setString(4, SyncRun.Status.RUNNING.name());
        p.setObject(5, before);
        return p.executeUpdate();
      }
    });
  }

  private List<SyncRun> select(String where, long key, int limit) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM sync_run " + where + " FETCH FIRST " + limit + " ROWS ONLY")) {
        p.setLong(1, key);
        List<SyncRun> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(new SyncRun(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4), SyncRun.Status.valueOf(rs.getString(5)),
                Accounts.instant(rs, 6), Accounts.instant(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)));
          }
        }
        return out;
      }
    });
  }

  private void update(long runId, String assignments, Object... values) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE sync_run SET " + assignments + " WHERE id = ?")) {
        int i = 1;
        for (Object v : values) {
          p.setObject(i++, v);
        }
        p.setLong(i, runId);
        if (p.executeUpdate() != 1) {
          throw new SQLException("no sync run " + runId);
        }
        return null;
      }
    });
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
