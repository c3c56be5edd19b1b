package io.outlooksync.sidecar.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * One sync run as the journal keeps it: why it ran, whether it was a dry run, its inputs, its plan and its
 * outcome (JSON documents the engine writes), and how it ended.
 */
public record SyncRun(long id, long accountId, String cause, boolean dryRun, Status status, Instant startedAt,
                      Instant finishedAt, String inputs, String plan, String outcome, String error) {

  /** A run is RUNNING from its start until it ends in one of the other states. */
  public enum Status { RUNNING, SUCCEEDED, FAILED, ABANDONED }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How many actions of one kind ({@code Conflict}, {@code CreateInOutlook}...) the outcome counts; 0 if none. */
  public int actionsOf(String kind) {
    if (outcome == null) {
      return 0;
    }
    try {
      return JSON.readTree(outcome).path("counts").path(kind).asInt(0);
    } catch (JsonProcessingException e) {
      return 0;
    }
  }
}
