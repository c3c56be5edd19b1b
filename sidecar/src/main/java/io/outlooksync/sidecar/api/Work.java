package io.outlooksync.sidecar.api;

import java.util.List;

/** Something the sync engine should look at, as announced by the addon or by Graph. Ids only, never content. */
public sealed interface Work {
  /** The addon says these Odoo records changed. */
  record OdooChange(String db, String model, List<Long> ids) implements Work {
    public OdooChange {
      ids = List.copyOf(ids);
    }
  }

  /** Graph says something changed in a mailbox (or, with {@code lifecycleEvent}, about a subscription). */
  record GraphChange(String subscriptionId, String changeType, String resource, String tenantId, String lifecycleEvent)
      implements Work {}
}
