package io.outlooksync.sidecar.auth;

/**
 * No access token for an account right now. {@link #retryable()} tells a passing failure (network,
 * Microsoft busy, the store) from one that needs a person ({@link ReauthRequired}, a rejected app).
 * Messages carry ids and Microsoft's error codes, never token material.
 */
public class TokenUnavailable extends Exception {
  private static final long serialVersionUID = 1L;

  private final long accountId;
  private final boolean retryable;
  private final String reason;

  TokenUnavailable(long accountId, boolean retryable, String message, Throwable cause) {
    super("account " + accountId + ": " + message, cause);
    this.accountId = accountId;
    this.retryable = retryable;
    this.reason = message;
  }

  /** Why, in a sentence for the account's status (the message without the account id). */
  public String reason() {
    return reason;
  }

  public long accountId() {
    return accountId;
  }

  public boolean retryable() {
    return retryable;
  }
}
