package io.outlooksync.sidecar.odoo;

/** A record the caller named does not exist (or is not visible to the service user). */
public final class OdooMissingException extends OdooException {
  public OdooMissingException(String message) {
    super(message);
  }
}
