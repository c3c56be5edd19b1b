package io.outlooksync.sidecar.graph;

/**
 * What a token source throws when it has no token for the mailbox (the user must sign in again, Microsoft
 * cannot be reached, the app is refused). {@link #reason()} is a sentence for the account's status: ids and
 * Microsoft's codes, never token material.
 */
public final class AccessTokenUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public AccessTokenUnavailable(String message, String reason, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
