package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.graph.DeltaPage;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.DeltaState;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reset Account: what happens to the events already synced ({@link DeletePolicy}) and what the next sync takes
 * ({@link NextSync}). Deleting in Odoo archives (never destroys); deleting in Outlook deletes the user's copies,
 * which mails cancellations for the meetings they organize, so a dry run first says how many.
 */
public final class AccountReset {
  /** The events the account synced so far. */
  public enum DeletePolicy { LEAVE, DELETE_FROM_OUTLOOK, DELETE_FROM_ODOO, DELETE_FROM_BOTH }

  /** What the next sync considers. */
  public enum NextSync {
    /** Only events created or changed from now on; what exists now stays as it is on each side. */
    NEW_ONLY,
    /** Everything in the window again, as a first sync: events on both sides are adopted, not duplicated. */
    ALL_EXISTING
  }

  /** What a reset did or, in a dry run, would do. {@code cancellations}: mails Outlook would send. */
  public record Result(long runId, boolean dryRun, int outlookDeleted, int odooArchived, int cancellations, Set<String> recipients,
                List<String> errors, SyncRunner.Preview nextSync) {

    /** The same result with what the first sync after it would do (a dry run's answer for "all existing events"). */
    Result withNextSync(SyncRunner.Preview preview) {
      return new Result(runId, dryRun, outlookDeleted, odooArchived, cancellations, recipients, errors, preview);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final OdooGateway odoo;
  private final Clock clock;
  private final RunSettings settings;

  AccountReset(Store store, OdooGateway odoo, Clock clock, RunSettings settings) {
    this.store = store;
    this.odoo = odoo;
    this.clock = clock;
    this.settings = settings;
  }

  Result apply(Account account, GraphGateway graph, DeletePolicy delete, NextSync next, boolean dryRun) throws SQLException {
    ObjectNode inputs = JSON.createObjectNode().put("delete", delete.name()).put("next", next.name());
    long runId = store.syncRuns().start(account.id(), "reset", dryRun, inputs.toString());
    List<Mapping> mappings = new ArrayList<>();
    store.mappings().forEach(account.id(), 500, mappings::add);

    boolean outlook = delete == DeletePolicy.DELETE_FROM_OUTLOOK || delete == DeletePolicy.DELETE_FROM_BOTH;
    boolean odooSide = delete == DeletePolicy.DELETE_FROM_ODOO || delete == DeletePolicy.DELETE_FROM_BOTH;
    List<GraphWrite> deletes = new ArrayList<>();
    List<Long> archives = new ArrayList<>();
    int cancellations = 0;
    Set<String> recipients = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (Mapping m : mappings) {
      if (outlook && m.graphId() != null) {
        deletes.add(new GraphWrite.Delete(m.graphId()));
        CalEvent last = m.graphSynced() == null ? null : Snapshots.read(m.graphSynced());
        if (last != null && Reconciler.organizedBy(last, account.msUsername())) {
          for (Attendee a : last.attendees()) {
            if (a.person().hasEmail() && !a.person().email().equalsIgnoreCase(account.msUsername())) {
              cancellations++;
              recipients.add(a.person().email());
            }
          }
        }
      }
      if (odooSide && m.odooEventId() != null && !Snapshots.archived(m.odooSynced())) {
        archives.add(m.odooEventId());
      }
    }
    List<String> errors = new ArrayList<>();
    int outlookDeleted = 0;
    if (!dryRun) {
      if (!deletes.isEmpty()) {
        for (WriteResult r : graph.write(deletes)) {
          if (r.done()) {
            outlookDeleted++;
          } else {
            errors.add("delete in Outlook " + ((GraphWrite.Delete) r.write()).id() + ": " + r.status() + " " + r.errorCode());
          }
        }
      }
      if (!archives.isEmpty()) {
        try {
          odoo.archiveEvents(archives);
        } catch (RuntimeException e) {
          errors.add("archive in Odoo " + archives.size() + " event(s): " + e.getClass().getSimpleName());
        }
      }
      if (errors.isEmpty()) {
        forget(account, graph, next);
      }
    } else {
      outlookDeleted = deletes.size();
    }
    ObjectNode outcome = JSON.createObjectNode().put("outlook_deleted", outlookDeleted)
        .put("odoo_archived", dryRun || errors.isEmpty() ? archives.size() : 0).put("cancellations", cancellations);
    store.syncRuns().finish(runId, errors.isEmpty() ? SyncRun.Status.SUCCEEDED : SyncRun.Status.FAILED, outcome.toString(),
        errors.isEmpty() ? null : String.join("\n", errors));
    return new Result(runId, dryRun, outlookDeleted, dryRun || errors.isEmpty() ? archives.size() : 0, cancellations,
        recipients, List.copyOf(errors), null);
  }

  /** Forgets what was synced; for NEW_ONLY, both cursors start at now, so only later changes are seen. */
  private void forget(Account account, GraphGateway graph, NextSync next) throws SQLException {
    store.mappings().deleteAll(account.id());
    store.series().deleteAll(account.id());
    store.outbox().discardPending(account.id());
    store.outbox().discardParked(account.id());
    store.deltaStates().clear(account.id());
    String watermark = SyncRunner.watermarkKey(account.id());
    if (next == NextSync.ALL_EXISTING) {
      store.settings().update(java.util.Map.of(), java.util.Map.of(), Set.of(watermark));
      return;
    }
    Instant now = clock.instant();
    Instant from = now.minus(settings.back());
    Instant to = now.plus(settings.ahead());
    // A full delta round only to obtain its delta link: the items themselves are what "only new events" skips.
    DeltaPage page = graph.firstPage(from, to, 1000);
    while (page.deltaLink() == null) {
      page = graph.nextPage(page.nextLink(), 1000);
    }
    store.deltaStates().save(new DeltaState(account.id(), from, to, page.deltaLink(), null));
    // Odoo's write_date has whole seconds and runs re-read the watermark's own second; with the mappings gone,
    // events written in the reset's second would come back as new. So the Odoo side starts at the next second
    // (an Odoo edit within the rest of that second is seen at its next change).
    store.settings().put(watermark, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1).toString());
  }

}
