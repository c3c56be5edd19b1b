package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An event of a series, as occurrence matching needs it. {@code follows} is Odoo's {@code follow_recurrence}:
 * false once the event was moved on its own (an exception), and then nothing in Odoo says where it was.
 * {@code recurrenceId} is null for an event a "this and following" edit or a rule change took out of its series.
 */
public record OdooSeriesEvent(long id, Long recurrenceId, Instant start, Instant stop, boolean allday,
                              LocalDate startDate, boolean follows, boolean active) {
  static final List<String> FIELDS = List.of("recurrence_id", "start", "stop", "allday", "start_date",
      "follow_recurrence", "active");

  static OdooSeriesEvent of(Row row) {
    return new OdooSeriesEvent(row.id(), row.many2one("recurrence_id"), row.datetime("start"), row.datetime("stop"),
        row.bool("allday"), row.date("start_date"), row.bool("follow_recurrence"), row.bool("active"));
  }
}
