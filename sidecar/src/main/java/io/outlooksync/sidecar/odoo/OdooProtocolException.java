package io.outlooksync.sidecar.odoo;

/** Odoo's reply did not have the shape the call promises: not XML-RPC, or a wrong type or a missing field. */
public final class OdooProtocolException extends OdooException {
  public OdooProtocolException(String message) {
    super(message);
  }

  public OdooProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
