package io.outlooksync.sidecar.graph;

import java.time.Duration;

/**
 * How one {@link GraphWrite} ended. For a create or update, {@code id} and {@code changeKey} are the event's as
 * Graph returned them and {@code event} the whole of it (null if it could not be read). Error fields hold
 * Graph's code and message (the message may quote values: log the code only).
 */
public record WriteResult(GraphWrite write, Status status, int httpStatus, String id, String changeKey, GraphEvent event,
    String errorCode, String errorMessage, Duration retryAfter) {

  public enum Status {
    /** Done as asked. */
    OK,
    /** A delete or cancel of an event that is already gone: nothing left to do. */
    ALREADY_GONE,
    /** 412: Outlook changed the event since {@code ifMatch}; re-read it and merge. */
    CONFLICT,
    /** Still 429 after the retries: try later, after {@code retryAfter}. */
    THROTTLED,
    /** 5xx or no reply after the retries: try later (creates are safe to repeat with the same transactionId). */
    UNAVAILABLE,
    /** Refused (400, 403, 404 on update...): retrying the same write will not help. */
    FAILED
  }

  public boolean done() {
    return status == Status.OK || status == Status.ALREADY_GONE;
  }
}
