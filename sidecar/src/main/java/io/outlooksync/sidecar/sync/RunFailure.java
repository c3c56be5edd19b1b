package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.graph.AccessTokenUnavailable;
import io.outlooksync.sidecar.odoo.OdooUnavailableException;

/**
 * The account's {@code last_error} for a run that failed as a whole. Users and Odoo's settings page read it, so
 * a missing sign-in or an unreachable Odoo is said in words, not as the name of the exception that carried it.
 */
final class RunFailure {
  private RunFailure() {}

  /** {@code how} is "failed" or "stopped"; the text holds ids, codes and class names only. */
  static String lastError(long runId, String how, Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof AccessTokenUnavailable t) {
        return t.reason();
      }
      if (c instanceof OdooUnavailableException) {
        return "Odoo cannot be reached: " + c.getClass().getSimpleName() + " (sync run " + runId + " " + how + ")";
      }
    }
    return "sync run " + runId + " " + how + ": " + e.getClass().getSimpleName();
  }
}
