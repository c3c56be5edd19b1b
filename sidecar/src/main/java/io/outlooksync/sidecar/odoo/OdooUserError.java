package io.outlooksync.sidecar.odoo;

/** Odoo refused the values (XML-RPC fault 2: UserError, ValidationError, MissingError). */
public final class OdooUserError extends OdooException {
  public OdooUserError(String message) {
    super(message);
  }
}
