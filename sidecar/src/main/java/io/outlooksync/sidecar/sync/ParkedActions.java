package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.store.Outbox;
import io.outlooksync.sidecar.store.PendingAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Poison-item isolation. A run moves its account's cursors only when every action succeeded, so one item that
 * can never be written (Outlook or Odoo refuses it every time) would hold them forever, re-read every run and
 * keeping the account in back-off. After {@link #ATTEMPTS} runs in a row in which it was refused (throttling and
 * outages do not count: they say nothing about the item) an action is parked: its outbox
 * row is GAVE_UP, its error stays visible, and its failure no longer holds the cursors. While parked, a run that
 * plans it again for the same content skips it with a note; a changed item (other content, another change key)
 * or a reset (which drops parked rows) tries it again from the first attempt.
 */
final class ParkedActions {
  /** Failed runs in a row after which an action is parked; with the scheduler's back-off about a quarter hour. */
  static final int ATTEMPTS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;

  ParkedActions(Outbox outbox) {
    this.outbox = outbox;
  }

  /**
   * The plan with each parked action that would do the same as when it was parked replaced by a {@code Skip}
   * saying so. A parked action whose item changed is taken up again (not in a dry run, which writes nothing).
   */
  Plan screen(long accountId, Plan plan, boolean dryRun) throws SQLException {
    List<PendingAction> parked = outbox.parked(accountId);
    if (parked.isEmpty()) {
      return plan;
    }
    Map<String, PendingAction> byId = new LinkedHashMap<>();
    parked.forEach(p -> byId.put(p.actionId(), p));
    List<Action> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      PendingAction p = byId.get(a.id());
      if (p == null) {
        out.add(a);
      } else if (fingerprint(a).equals(field(p.payload(), "fingerprint"))) {
        out.add(new Action.Skip("parked-" + a.id(), subject(a), "parked after " + p.attempts() + " failed attempts (" + p.lastError()
            + "); tried again when the event changes or the account is reset"));
      } else {
        if (!dryRun) {
          outbox.countAfresh(a.id());
        }
        out.add(a);
      }
    }
    return new Plan(out);
  }

  /**
   * After a run: parks the failed actions that have now failed {@link #ATTEMPTS} times. Returns the failures that
   * still hold the cursors (those not parked).
   */
  Map<String, String> park(Plan plan, Map<String, String> failed) throws SQLException {
    Map<String, String> holding = new LinkedHashMap<>(failed);
    for (Action a : plan.actions()) {
      if (!failed.containsKey(a.id())) {
        continue;
      }
      if (passing(failed.get(a.id()))) {
        // Throttled or unreachable says nothing about the item: an outage must not park everything it touched.
        outbox.countAfresh(a.id());
        continue;
      }
      PendingAction row = outbox.byActionId(a.id()).orElse(null);
      if (row != null && row.attempts() >= ATTEMPTS) {
        outbox.park(a.id(), JSON.createObjectNode().put("fingerprint", fingerprint(a)).put("subject", subject(a)).toString());
        holding.remove(a.id());
      }
    }
    return holding;
  }

  /**
   * Whether a failure (as the executor words it) is passing: Outlook throttling or unavailable, Odoo or Graph
   * unreachable. Refusals (Outlook's FAILED, Odoo's UserError, a field that cannot be written) are not.
   */
  static boolean passing(String why) {
    return why != null && (why.contains("THROTTLED") || why.contains("UNAVAILABLE") || why.contains("UnavailableException")
        || why.contains("ThrottledException"));
  }

  /** What the item is, for the status and the journal: {@code odoo:<id>}, {@code outlook:<id>} or a mapping. */
  static String subject(Action a) {
    if (a instanceof Action.CreateInOutlook c) {
      return "odoo:" + c.odooEventId();
    } else if (a instanceof Action.CreateInOdoo c) {
      return "outlook:" + c.graphId();
    } else if (a instanceof Action.UpdateOdoo u) {
      return "odoo:" + u.odooEventId();
    } else if (a instanceof Action.ArchiveInOdoo ar) {
      return "odoo:" + ar.odooEventId();
    } else if (a instanceof Action.UpdateOutlook u) {
      return "outlook:" + u.graphId();
    } else if (a instanceof Action.DeleteInOutlook d) {
      return "outlook:" + d.graphId();
    } else if (a instanceof Action.DeclineInOutlook d) {
      return "outlook:" + d.graphId();
    } else if (a instanceof Action.Answer an) {
      return an.to() == io.outlooksync.sidecar.core.Side.ODOO ? "odoo:" + an.odooEventId() : "outlook:" + an.graphId();
    } else if (a instanceof Action.Adopt ad) {
      return "odoo:" + ad.odooEventId();
    }
    return a.id();
  }

  /**
   * What the action would write, as a stable hash: the same across restarts (no hash codes, no set orders), and
   * different when the item's content or Outlook's change key moved. Ids of the other kinds already say it all.
   */
  static String fingerprint(Action a) {
    String what;
    if (a instanceof Action.CreateInOutlook c) {
      what = Snapshots.write(c.content()) + c.quiet();
    } else if (a instanceof Action.CreateInOdoo c) {
      what = Snapshots.write(c.content());
    } else if (a instanceof Action.UpdateOutlook u) {
      what = u.changeKey() + Snapshots.write(u.target());
    } else if (a instanceof Action.UpdateOdoo u) {
      what = Snapshots.write(u.target());
    } else {
      what = "";
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((a.id() + '\u001f' + what).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String field(String payload, String name) {
    try {
      JsonNode n = payload == null ? null : JSON.readTree(payload);
      return n == null ? null : n.path(name).asText(null);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
