package io.outlooksync.sidecar.odoo;

import java.util.List;
import java.util.Map;

/**
 * What reading one calendar.event leaves out, gathered by the caller in bulk calls beforehand.
 *
 * @param organizer the user in the event's user_id, or null when it has none (its tz is the event's zone)
 * @param eventTz   the recurrence's event_tz for an event of a series, or null
 * @param attendees calendar.attendee rows; those of other events are ignored, so a batch's list can be shared
 * @param partners  the attendees' partners by id (names; e-mails when the attendee row lacks one)
 * @param alarms    calendar.alarm records by id
 */
public record OdooContext(OdooUser organizer, String eventTz, List<OdooAttendee> attendees,
                          Map<Long, OdooPartner> partners, Map<Long, OdooAlarm> alarms) {
  public OdooContext {
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
    partners = partners == null ? Map.of() : Map.copyOf(partners);
    alarms = alarms == null ? Map.of() : Map.copyOf(alarms);
  }
}
