package io.outlooksync.sidecar.sync;

/** Where routed changes go: the scheduler of the sidecar that syncs the account (which may be another one). */
@FunctionalInterface
public interface ChangeSink {
  void changed(long accountId, Trigger trigger);
}
