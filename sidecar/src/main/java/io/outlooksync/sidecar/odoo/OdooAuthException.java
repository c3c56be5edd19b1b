package io.outlooksync.sidecar.odoo;

/** The login or API key was refused (XML-RPC fault 3, or {@code authenticate} answering False). */
public final class OdooAuthException extends OdooException {
  public OdooAuthException(String message) {
    super(message);
  }
}
