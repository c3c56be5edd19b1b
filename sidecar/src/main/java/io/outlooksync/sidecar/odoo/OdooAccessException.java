package io.outlooksync.sidecar.odoo;

/** The service user lacks a right in Odoo (XML-RPC fault 4, Odoo's AccessError). */
public final class OdooAccessException extends OdooException {
  public OdooAccessException(String message) {
    super(message);
  }
}
