package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.sync.ChangeSink;
import io.outlooksync.sidecar.sync.Ownership;
import io.outlooksync.sidecar.sync.SubscriptionKeeper;
import io.outlooksync.sidecar.sync.SyncScheduler;
import io.outlooksync.sidecar.sync.Trigger;

/**
 * Where a routed change goes: this sidecar's scheduler when it holds the account (a Graph notification also tells
 * the subscription keeper the account's notifications are alive), else the sidecar that holds it.
 */
final class ChangeDelivery implements ChangeSink {
  private final SyncScheduler scheduler;
  private final SubscriptionKeeper subscriptions;
  private final Ownership ownership;
  private final ChangeSink peers;

  ChangeDelivery(SyncScheduler scheduler, SubscriptionKeeper subscriptions, Ownership ownership, ChangeSink peers) {
    this.scheduler = scheduler;
    this.subscriptions = subscriptions;
    this.ownership = ownership;
    this.peers = peers;
  }

  @Override
  public void changed(long accountId, Trigger trigger) {
    if (!ownership.holds(accountId)) {
      peers.changed(accountId, trigger);
      return;
    }
    scheduler.changed(accountId, trigger);
    if (trigger == Trigger.GRAPH) {
      subscriptions.heard(accountId);
    }
  }
}
