package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.odoo.OdooAuthException;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooException;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooProtocolException;
import io.outlooksync.sidecar.odoo.OdooUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Creates a run's new Odoo events in one {@code create} call, and keeps one bad event from failing the others.
 *
 * <p>Odoo creates a list in one transaction: one event it refuses (a validation error, a record rule) rolls back
 * all. The list is then split in halves, each created again, down to the events Odoo refuses alone: a few calls
 * more, never one per event. A call whose outcome is unknown (no reply, a reply that is not the ids) may have
 * committed: the events are first looked up by their create keys ({@code outlook_sync_source}) and only those
 * not found are created again. Without create keys such a failure fails every event of the call, as before, and
 * the next run adopts what was made by its looks.
 */
final class OdooCreates {
  private OdooCreates() {}

  /** Per draft, in order: the event's id, or null and why it failed. */
  record Result(List<Long> ids, List<String> errors) {
    Long id(int i) {
      return ids.get(i);
    }

    String error(int i) {
      return errors.get(i);
    }
  }

  static Result create(OdooGateway odoo, List<OdooEventDraft> drafts) {
    Long[] ids = new Long[drafts.size()];
    String[] errors = new String[drafts.size()];
    create(odoo, drafts, 0, drafts.size(), ids, errors);
    return new Result(Arrays.asList(ids), Arrays.asList(errors));
  }

  private static void create(OdooGateway odoo, List<OdooEventDraft> drafts, int from, int to, Long[] ids, String[] errors) {
    List<OdooEventDraft> part = drafts.subList(from, to);
    try {
      List<Long> made = odoo.createEvents(part);
      for (int i = from; i < to; i++) {
        ids[i] = made.get(i - from);
      }
    } catch (OdooUnavailableException | OdooProtocolException unknown) {
      if (!keyed(odoo, part)) {
        throw unknown;
      }
      Map<String, Long> found = odoo.eventsBySource(part.stream().map(OdooEventDraft::source).toList());
      List<Integer> missing = new ArrayList<>();
      for (int i = from; i < to; i++) {
        ids[i] = found.get(drafts.get(i).source());
        if (ids[i] == null) {
          missing.add(i);
        }
      }
      // Once more for those it did not make, in one call; a second unknown outcome fails them.
      try {
        List<Long> made = missing.isEmpty() ? List.of() : odoo.createEvents(missing.stream().map(drafts::get).toList());
        for (int k = 0; k < missing.size(); k++) {
          ids[missing.get(k)] = made.get(k);
        }
      } catch (OdooException again) {
        missing.forEach(i -> errors[i] = describe(again));
      }
    } catch (OdooAuthException refusedKey) {
      throw refusedKey;
    } catch (OdooException refused) {
      if (to - from == 1) {
        errors[from] = describe(refused);
        return;
      }
      int middle = (from + to) >>> 1;
      create(odoo, drafts, from, middle, ids, errors);
      create(odoo, drafts, middle, to, ids, errors);
    }
  }

  private static boolean keyed(OdooGateway odoo, List<OdooEventDraft> part) {
    return part.stream().allMatch(d -> d.source() != null) && odoo.sourceKeys();
  }

  /** The kind of failure and Odoo's first line, which names model, method and ids, never values. */
  private static String describe(OdooException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
