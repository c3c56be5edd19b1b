package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.util.List;

/**
 * One {@code calendar.recurrence}: its rule, {@code dtstart} (the earliest start among its active events, so it
 * moves when the first occurrence is archived), its base event and its active events. Archived occurrences keep
 * their {@code recurrence_id} but are not in {@code eventIds}; {@link OdooGateway#seriesEvents} lists them all.
 */
public record OdooRecurrence(long id, OdooRule rule, Instant dtstart, Long baseEventId, List<Long> eventIds) {
  static final List<String> FIELDS = fields();

  public OdooRecurrence {
    eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
  }

  OdooRecurrence withRule(OdooRule other) {
    return new OdooRecurrence(id, other, dtstart, baseEventId, eventIds);
  }

  static OdooRecurrence of(Row row) {
    return new OdooRecurrence(row.id(), OdooRule.of(row), row.datetime("dtstart"), row.many2one("base_event_id"),
        row.ids("calendar_event_ids"));
  }

  private static List<String> fields() {
    List<String> f = new java.util.ArrayList<>(OdooRule.FIELDS);
    f.addAll(List.of("dtstart", "base_event_id", "calendar_event_ids"));
    return List.copyOf(f);
  }
}
