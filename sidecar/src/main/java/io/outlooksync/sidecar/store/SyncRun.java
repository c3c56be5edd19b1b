package io.outlooksync.sidecar.store;

import java.time.Instant;

/**
 * One sync run as the journal keeps it: why it ran, whether it was a dry run, its inputs, its plan and its
 * outcome (JSON documents the engine writes), and how it ended.
 */
public record SyncRun(long id, long accountId, String cause, boolean dryRun, Status status, Instant startedAt,
                      Instant finishedAt, String inputs, String plan, String outcome, String error) {

  /** A run is RUNNING from its start until it ends in one of the other states. */
  public enum Status { RUNNING, SUCCEEDED, FAILED, ABANDONED }
}
