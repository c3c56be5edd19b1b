package io.outlooksync.sidecar.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, end to end: a real sidecar process syncing 500 events is killed with SIGKILL ten times at seeded
 * random points (some while Graph writes a batch, some right after Odoo's create), restarted on the same data each
 * time, and then allowed to finish. Nothing may be doubled or lost on either side, no invitation may go out twice,
 * and no run may stay RUNNING in the journal. The seed is printed; {@code -Dcrash.seed=N} repeats a run. The fault
 * matrix's {@code kill-9} is the same with 2,000 events and 20 kills ({@link FaultMatrix}).
 */
class CrashSafetyTest {
  static final int PER_SIDE = 250;
  static final int KILLS_WHILE_CREATING = 6;
  static final int KILLS_WHILE_EDITING = 4;

  @TempDir
  Path dir;

  @Test
  void killedTenTimesDuringA500EventSyncThenNothingIsDoubledOrLost() throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    System.out.println("CrashSafetyTest seed " + seed + " (repeat with -Dcrash.seed=" + seed + ")");
    long began = System.nanoTime();
    List<String> observed = new ArrayList<>();
    try (SyncBench bench = new SyncBench(dir, seed, Clock.systemUTC(), "crash-safety", "crash")) {
      FaultMatrix.killRepeatedly(bench, PER_SIDE, KILLS_WHILE_CREATING, KILLS_WHILE_EDITING, observed);
      System.out.println("CrashSafetyTest seed " + seed + " kills " + bench.killLog + " in " + (System.nanoTime() - began) / 1_000_000
          + " ms: " + observed);
    }
  }
}
