package io.outlooksync.sidecar.api;

import io.outlooksync.sidecar.sync.SyncScheduler;
import io.outlooksync.sidecar.sync.Trigger;
import java.util.Map;

/** The sync scheduler's counters (runs by trigger and outcome, routed announcements) and gauges, on /metrics. */
public final class SchedulerMetrics implements SyncScheduler.Listener {
  static final String STARTED = "outlook_sync_runs_started_total";
  static final String FINISHED = "outlook_sync_runs_finished_total";
  static final String ROUTED = "outlook_sync_changes_routed_total";

  private final Metrics metrics;

  public SchedulerMetrics(Metrics metrics) {
    this.metrics = metrics;
    metrics.counter(STARTED, "Sync runs started, by trigger (api, api_dry_run, odoo, graph, interval, retry).");
    metrics.counter(FINISHED, "Sync runs finished, by trigger and result (succeeded, failed).");
    metrics.counter(ROUTED, "Announced changes (Odoo's addon, Graph's notifications), by source and whether they named a connected account.");
  }

  /** The scheduler's gauges, read at scrape time. */
  public void watch(SyncScheduler scheduler) {
    metrics.gauge("outlook_sync_accounts_due", "Accounts due for a run and waiting for a worker.",
        () -> Map.of("", (double) scheduler.accountsDue()));
    metrics.gauge("outlook_sync_runs_in_progress", "Sync runs under way.", () -> Map.of("", (double) scheduler.runsInProgress()));
    metrics.gauge("outlook_sync_accounts_backing_off", "Accounts whose last scheduled run failed, waiting to retry.",
        () -> Map.of("", (double) scheduler.accountsBackingOff()));
  }

  @Override
  public void started(long accountId, Trigger trigger) {
    metrics.increment(STARTED, "trigger", trigger.label());
  }

  @Override
  public void finished(long accountId, Trigger trigger, boolean succeeded) {
    metrics.increment(FINISHED, "trigger", trigger.label(), "result", succeeded ? "succeeded" : "failed");
  }

  /** One announced change routed: {@code source} odoo or graph; {@code result} matched, unmatched or error. */
  public void routed(String source, String result) {
    metrics.increment(ROUTED, "source", source, "result", result);
  }
}
