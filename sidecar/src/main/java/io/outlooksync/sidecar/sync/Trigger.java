package io.outlooksync.sidecar.sync;

import java.util.Locale;

/** Why a run starts: a label in metrics and logs, and the cause in the run's journal row. */
public enum Trigger {
  /** Sync now through the API. */
  API("api"),
  /** A dry run through the API. */
  API_DRY_RUN("api-dry-run"),
  /** The addon announced Odoo changes of the account. */
  ODOO("odoo-change"),
  /** Graph notified a change in the account's mailbox. */
  GRAPH("graph-notification"),
  /** The fallback interval passed. */
  INTERVAL("interval"),
  /** The earlier run failed and its back-off ended. */
  RETRY("retry");

  private final String cause;

  Trigger(String cause) {
    this.cause = cause;
  }

  /** The journal's {@code cause}. */
  public String cause() {
    return cause;
  }

  /** The metrics label: {@code api}, {@code api_dry_run}, {@code odoo}, ... */
  public String label() {
    return this == ODOO ? "odoo" : this == GRAPH ? "graph" : name().toLowerCase(Locale.ROOT);
  }
}
