package io.outlooksync.sidecar.odoo;

import java.util.List;
import java.util.Map;

/**
 * A new event for Odoo: the draft, plus what {@code create} cannot carry yet. {@code alarmIds} go in a
 * {@link EventChanges#alarms} write after the create; {@code answersByPartner} become attendee states once the
 * attendee rows exist (Odoo creates them needsAction).
 */
public record OdooCreate(OdooEventDraft draft, List<Long> alarmIds, Map<Long, AttendeeState> answersByPartner) {
  public OdooCreate {
    alarmIds = List.copyOf(alarmIds);
    answersByPartner = Map.copyOf(answersByPartner);
  }
}
