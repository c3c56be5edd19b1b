package io.outlooksync.sidecar.odoo;

/** Odoo could not be reached: connection refused or timed out, or its proxy answered 502, 503 or 504. */
public final class OdooUnavailableException extends OdooException {
  public OdooUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
