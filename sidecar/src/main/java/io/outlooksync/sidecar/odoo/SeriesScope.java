package io.outlooksync.sidecar.odoo;

/** Odoo's {@code recurrence_update}: which events of a series a write to one of them changes. */
public enum SeriesScope {
  /** This event only; a time change makes it an exception ({@code follow_recurrence} False). */
  SELF_ONLY("self_only"),
  /** This event and the following ones: the series is split (docs/recurrence.md). */
  FUTURE_EVENTS("future_events"),
  /** Every event; with a time or rule change Odoo re-creates the occurrences (new ids, exceptions dropped). */
  ALL_EVENTS("all_events");

  private final String odooValue;

  SeriesScope(String odooValue) {
    this.odooValue = odooValue;
  }

  public String odooValue() {
    return odooValue;
  }
}
