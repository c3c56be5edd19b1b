package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A calendar.event as read from Odoo. Odoo's False becomes null for scalars and an empty list for x2many.
 * {@code start}/{@code stop} are UTC instants; for all-day events {@code startDate}/{@code stopDate} carry the
 * days (stop inclusive, as Odoo stores it) and start/stop are Odoo's placeholder times on those days.
 * {@code description} is Odoo's HTML. {@code writeDate} has Odoo's whole-second precision.
 */
public record OdooEvent(
    long id,
    String name,
    Instant start,
    Instant stop,
    boolean allday,
    LocalDate startDate,
    LocalDate stopDate,
    String description,
    String location,
    String videocallLocation,
    String privacy,
    String showAs,
    Long userId,
    List<Long> partnerIds,
    List<Long> attendeeIds,
    List<Long> alarmIds,
    boolean recurrency,
    Long recurrenceId,
    boolean active,
    Instant writeDate,
    Instant createDate) {

  /** The fields read for every event, in this order; one list, so every read asks for exactly these. */
  static final List<String> FIELDS = List.of("name", "start", "stop", "allday", "start_date", "stop_date",
      "description", "location", "videocall_location", "privacy", "show_as", "user_id", "partner_ids",
      "attendee_ids", "alarm_ids", "recurrency", "recurrence_id", "active", "write_date", "create_date");

  public OdooEvent {
    partnerIds = List.copyOf(partnerIds);
    attendeeIds = List.copyOf(attendeeIds);
    alarmIds = List.copyOf(alarmIds);
  }

  static OdooEvent of(Row row) {
    return new OdooEvent(row.id(), row.string("name"), row.datetime("start"), row.datetime("stop"),
        row.bool("allday"), row.date("start_date"), row.date("stop_date"), row.string("description"),
        row.string("location"), row.string("videocall_location"), row.string("privacy"), row.string("show_as"),
        row.many2one("user_id"), row.ids("partner_ids"), row.ids("attendee_ids"), row.ids("alarm_ids"),
        row.bool("recurrency"), row.many2one("recurrence_id"), row.bool("active"), row.datetime("write_date"),
        row.datetime("create_date"));
  }
}
