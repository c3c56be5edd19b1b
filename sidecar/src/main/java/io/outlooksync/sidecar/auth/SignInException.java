package io.outlooksync.sidecar.auth;

/**
 * A sign-in that did not connect an account. The message names the failure kind, the ids involved and
 * Microsoft's error code (AADSTS...), never a code, token or state string.
 */
public final class SignInException extends Exception {
  private static final long serialVersionUID = 1L;

  private final SignInFailure failure;
  private final Long accountId;
  private final String microsoftCode;

  SignInException(SignInFailure failure, Long accountId, String microsoftCode, String detail, Throwable cause) {
    super(failure + (accountId == null ? "" : " for account " + accountId)
        + (microsoftCode == null ? "" : " (" + microsoftCode + ")") + (detail == null ? "" : ": " + detail), cause);
    this.failure = failure;
    this.accountId = accountId;
    this.microsoftCode = microsoftCode;
  }

  public SignInFailure failure() {
    return failure;
  }

  /** The account the state was issued for; null when the state could not be trusted. */
  public Long accountId() {
    return accountId;
  }

  /** Microsoft's error and AADSTS code when Microsoft reported one, such as {@code invalid_client AADSTS7000215}. */
  public String microsoftCode() {
    return microsoftCode;
  }
}
