package io.outlooksync.sidecar.sync;

/**
 * Which accounts this sidecar may sync. One sidecar alone syncs every account; several on one PostgreSQL store
 * each sync the accounts whose lease they hold (docs/scale-out.md).
 */
public interface Ownership {
  /** Whether this sidecar holds the account, as it last knew (cheap: no store call). */
  boolean holds(long accountId);

  /** Checked just before a run starts: still held, and held long enough for the run (may ask the store). */
  default boolean confirm(long accountId) {
    return holds(accountId);
  }

  /** A sidecar alone: everything is its own. */
  Ownership EVERYTHING = accountId -> true;
}
