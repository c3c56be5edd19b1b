package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.SyncNow;
import io.outlooksync.sidecar.sync.AccountReset;
import io.outlooksync.sidecar.sync.RunSettings;
import io.outlooksync.sidecar.sync.SyncRunner;
import io.outlooksync.sidecar.sync.SyncScheduler;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The API's way to the engine in a running sidecar: the live runner, with runs and resets in the scheduler's slots. */
final class ScheduledSync implements SyncNow {
  /** Takes the account for this sidecar before a real run or a reset (several sidecars: its lease). */
  @FunctionalInterface
  interface Lease {
    boolean acquire(long accountId) throws SQLException;
  }

  private final LiveSync live;
  private final SyncScheduler scheduler;
  private final Lease lease;

  ScheduledSync(LiveSync live, SyncScheduler scheduler, Lease lease) {
    this.live = live;
    this.scheduler = scheduler;
    this.lease = lease;
  }

  /** A dry run changes nothing, so any sidecar may do it; a real run or a reset needs the account's lease. */
  private void take(long accountId) throws SQLException {
    if (!lease.acquire(accountId)) {
      throw new SyncRunner.Busy(accountId);
    }
  }

  @Override
  public Optional<SyncRunner> runner() {
    return live.runner();
  }

  @Override
  public List<String> missingForSync() {
    return live.missingForSync();
  }

  @Override
  public RunSettings runSettings() {
    return live.runSettings();
  }

  @Override
  public SyncRunner.RunResult run(SyncRunner runner, long accountId, boolean dryRun) throws SQLException {
    if (!dryRun) {
      take(accountId);
    }
    return scheduler.runNow(runner, accountId, dryRun);
  }

  @Override
  public AccountReset.Result reset(SyncRunner runner, long accountId, AccountReset.DeletePolicy delete, AccountReset.NextSync next,
                                   boolean dryRun) throws SQLException {
    if (!dryRun) {
      take(accountId);
    }
    return scheduler.exclusively(accountId, () -> runner.reset(accountId, delete, next, dryRun));
  }

  @Override
  public SyncScheduler.Status schedule(long accountId) {
    return scheduler.status(accountId);
  }
}
