package io.outlooksync.sidecar.odoo;

import java.util.Map;

/**
 * An update for one Odoo event: the event's own fields, and attendees' answers, which are separate records
 * (calendar.attendee) written by {@link OdooGateway#setAttendeeStates} and never mail anyone.
 */
public record OdooWrite(EventChanges event, Map<Long, AttendeeState> states) {
  public OdooWrite {
    states = Map.copyOf(states);
  }

  public boolean isEmpty() {
    return event.isEmpty() && states.isEmpty();
  }
}
