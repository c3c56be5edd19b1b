package io.outlooksync.sidecar.store;

import java.time.Instant;

/**
 * An action waiting in the outbox. {@code actionId} is stable across retries and restarts: it becomes Graph's
 * {@code transactionId} for creates, so repeating a create that may already have happened is harmless.
 */
public record PendingAction(long id, String actionId, long accountId, Long runId, String kind, String payload,
                            Status status, int attempts, Instant nextAttemptAt, String lastError) {

  /**
   * PENDING until done, or given up on after the retry policy is exhausted. ABANDONED: its run was cut off
   * (the process stopped) before the action was confirmed; a later run that decides the same action takes the
   * row up again.
   */
  public enum Status { PENDING, DONE, GAVE_UP, ABANDONED, SUPERSEDED }
}
