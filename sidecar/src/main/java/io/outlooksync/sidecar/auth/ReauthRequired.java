package io.outlooksync.sidecar.auth;

/** Microsoft no longer accepts the account's refresh token: the account is NEEDS_REAUTH until its user signs in again. */
public final class ReauthRequired extends TokenUnavailable {
  private static final long serialVersionUID = 1L;

  ReauthRequired(long accountId, String reason, Throwable cause) {
    super(accountId, false, reason, cause);
  }
}
