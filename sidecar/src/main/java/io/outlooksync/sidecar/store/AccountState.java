package io.outlooksync.sidecar.store;

/** Where an account stands, as users and admins see it. */
public enum AccountState {
  /** Known to the sidecar, sign-in not completed. */
  NOT_CONNECTED,
  /** Signed in; syncing. */
  CONNECTED,
  /** Microsoft refused the refresh token (revoked, expired): the user must sign in again. */
  NEEDS_REAUTH,
  /** Paused by the user or an admin: nothing syncs, state is kept. */
  PAUSED,
  /** Stopped: the account no longer syncs until it is connected again. */
  STOPPED
}
