package io.outlooksync.sidecar.sync;

/**
 * No sync runner can be built now: Odoo, which is asked its version and signed in to first, cannot be reached.
 * {@code retryable} is false when Odoo answered but refused (a bad key, an unknown database).
 */
public final class RunnerUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public RunnerUnavailable(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
