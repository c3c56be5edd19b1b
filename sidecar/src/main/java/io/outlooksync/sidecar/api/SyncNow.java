package io.outlooksync.sidecar.api;

import io.outlooksync.sidecar.sync.RunSettings;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.util.List;
import java.util.Optional;

/** Where the API finds the sync runner: absent until the settings a run needs (Odoo, Microsoft) are known. */
public interface SyncNow {
  Optional<SyncRunner> runner();

  /** The settings still missing for a run (names of config keys), empty when {@link #runner()} is present. */
  List<String> missingForSync();

  /** The administrator's window and option defaults in force (known even before a runner can be built). */
  default RunSettings runSettings() {
    return RunSettings.DEFAULTS;
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
