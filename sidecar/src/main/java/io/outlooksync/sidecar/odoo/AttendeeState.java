package io.outlooksync.sidecar.odoo;

/** calendar.attendee's state selection. */
public enum AttendeeState {
  NEEDS_ACTION("needsAction"),
  TENTATIVE("tentative"),
  DECLINED("declined"),
  ACCEPTED("accepted");

  private final String odoo;

  AttendeeState(String odoo) {
    this.odoo = odoo;
  }

  /** The value Odoo stores. */
  public String odooValue() {
    return odoo;
  }

  /** The state for Odoo's value, or null when Odoo sent something unknown. */
  public static AttendeeState fromOdoo(String value) {
    for (AttendeeState state : values()) {
      if (state.odoo.equals(value)) {
        return state;
      }
    }
    return null;
  }
}
