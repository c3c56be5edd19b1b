package io.outlooksync.sidecar.core;

/** The two calendars being reconciled. */
public enum Side {
  ODOO, OUTLOOK;

  public Side other() {
    return this == ODOO ? OUTLOOK : ODOO;
  }
}
