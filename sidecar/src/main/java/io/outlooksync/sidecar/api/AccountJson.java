package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.PendingAction;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import io.outlooksync.sidecar.sync.UserOptions;
import java.sql.SQLException;
import java.util.List;

/** An account as the API shows it (user status, the account list, the shell's post-mortem): never tokens. */
final class AccountJson {
  private AccountJson() {}

  /** One account as the API shows it: ids and states, never tokens. */
  static ObjectNode of(Store store, Account a) throws SQLException {
    ObjectNode n = Json.object();
    n.put("id", a.id());
    n.put("db", a.odooDb());
    n.put("user_id", a.odooUserId());
    n.put("login", a.odooLogin());
    n.put("state", a.state().name());
    n.put("state_reason", a.stateReason());
    n.put("ms_username", a.msUsername());
    n.put("last_sync_at", a.lastSyncAt() == null ? null : a.lastSyncAt().toString());
    n.put("last_error", a.lastError());
    n.put("last_error_at", a.lastErrorAt() == null ? null : a.lastErrorAt().toString());
    n.put("awaiting_first_sync", a.state() == AccountState.CONNECTED && !UserOptions.firstSyncConfirmed(store, a));
    ArrayNode parked = n.putArray("parked");
    for (PendingAction p : store.outbox().parked(a.id())) {
      // Ids and the error only (errors carry ids, never content); see ParkedActions.
      parked.addObject().put("action_id", p.actionId()).put("kind", p.kind()).put("subject", subject(p.payload()))
          .put("attempts", p.attempts()).put("error", p.lastError());
    }
    List<SyncRun> runs = store.syncRuns().recent(a.id(), 1);
    if (runs.isEmpty()) {
      n.putNull("last_run");
    } else {
      SyncRun run = runs.get(0);
      ObjectNode last = n.putObject("last_run");
      last.put("id", run.id());
      last.put("cause", run.cause());
      last.put("dry_run", run.dryRun());
      last.put("status", run.status().name());
      last.put("started_at", run.startedAt() == null ? null : run.startedAt().toString());
      last.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
      last.put("conflicts", run.actionsOf("Conflict"));
    }
    return n;
  }

  private static String subject(String payload) {
    try {
      return Json.MAPPER.readTree(payload).path("subject").asText(null);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
