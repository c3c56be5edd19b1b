package io.outlooksync.sidecar.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the reconciler sees for one mailbox in one run. The sync runner gathers it (delta pages, Odoo's
 * changes since the watermark, the mappings they touch, the other side of each touched pair); the reconciler
 * only reads it.
 *
 * @param mailbox              the user's Outlook address
 * @param pairs                mapped events where at least one side changed, with both sides as they are now
 * @param newInOdoo            Odoo events this mailbox has no mapping for
 * @param newInOutlook         Outlook events this mailbox has no mapping for
 * @param meetingsInOdoo       Odoo events already linked to a meeting through another mailbox, by iCalUId
 */
public record SyncInput(String mailbox, List<Pair> pairs, List<OdooState> newInOdoo, List<OutlookState> newInOutlook,
                        Map<String, Long> meetingsInOdoo, SyncOptions options) {

  public SyncInput {
    pairs = List.copyOf(pairs);
    newInOdoo = List.copyOf(newInOdoo);
    newInOutlook = List.copyOf(newInOutlook);
    meetingsInOdoo = Map.copyOf(meetingsInOdoo);
  }

  /** An Odoo event as it is now. */
  public record OdooState(long id, CalEvent content, boolean active, Instant writeDate) {}

  /** An Outlook event as it is now, in this mailbox. */
  public record OutlookState(String graphId, String iCalUId, String changeKey, CalEvent content, boolean isOrganizer,
                             boolean cancelled, Response ownResponse, Instant lastModified) {}

  /**
   * A mapped pair. {@code base} is the content both sides had at the last sync; {@code odoo} or {@code outlook}
   * is null when that side's event is gone (deleted); {@code odooWasArchived} says the last sync saw it archived.
   */
  public record Pair(Mapping mapping, CalEvent base, boolean odooWasArchived, OdooState odoo, OutlookState outlook) {}
}
