package io.outlooksync.sidecar.odoo;

/**
 * Odoo could not do what was asked. The message names the model, the method and record ids, never field
 * values: it is safe to log and to show to the user whose sync failed.
 */
public class OdooException extends RuntimeException {
  public OdooException(String message) {
    super(message);
  }

  public OdooException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same call may succeed later without anyone changing anything. */
  public boolean retryable() {
    return false;
  }
}
