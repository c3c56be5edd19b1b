package io.outlooksync.sidecar.api;

import io.outlooksync.sidecar.sync.RunSettings;
import io.outlooksync.sidecar.sync.AccountReset;
import io.outlooksync.sidecar.sync.SyncRunner;
import io.outlooksync.sidecar.sync.SyncScheduler;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where the API finds the sync engine: the runner (absent until the settings a run needs, Odoo and Microsoft,
 * are known) and the scheduler's per-account exclusion, so a run asked for through the API never overlaps a
 * scheduled one.
 */
public interface SyncNow {
  Optional<SyncRunner> runner();

  /** The settings still missing for a run (names of config keys), empty when {@link #runner()} is present. */
  List<String> missingForSync();

  /** The administrator's window and option defaults in force (known even before a runner can be built). */
  default RunSettings runSettings() {
    return RunSettings.DEFAULTS;
  }

  /** One run of the account on the caller's thread; {@link SyncRunner.Busy} when one is under way. */
  default SyncRunner.RunResult run(SyncRunner runner, long accountId, boolean dryRun) throws SQLException {
    return runner.run(accountId, dryRun ? "api-dry-run" : "api", dryRun);
  }

  /** Reset Account, never beside a run of the account ({@link SyncRunner.Busy}). */
  default AccountReset.Result reset(SyncRunner runner, long accountId, AccountReset.DeletePolicy delete, AccountReset.NextSync next,
                                    boolean dryRun) throws SQLException {
    return runner.reset(accountId, delete, next, dryRun);
  }

  /** When the account's next scheduled run is due and whether one is under way. */
  default SyncScheduler.Status schedule(long accountId) {
    return SyncScheduler.Status.NONE;
  }

  /** A build without the engine (tests of the rest of the API): every run answers not configured. */
  SyncNow NONE = new SyncNow() {
    @Override
    public Optional<SyncRunner> runner() {
      return Optional.empty();
    }

    @Override
    public List<String> missingForSync() {
      return List.of("the sync engine");
    }
  };
}
