package io.outlooksync.sidecar.odoo;

import java.util.List;
import java.util.Map;

/**
 * What writing an event to Odoo needs beyond its content, looked up by the caller beforehand.
 *
 * @param organizer       on a create, the user the event belongs to when its organizer is no Odoo user (the
 *                        mailbox's owner); on an update, the event's current organizer (user_id)
 * @param users           Odoo users an Outlook organizer may be, matched by e-mail (on creates)
 * @param partnersByEmail {@link OdooGateway#partnersByEmail} for the attendees' addresses (lower-cased keys),
 *                        asked with createMissing so unknown addresses get partners
 * @param alarms          the calendar.alarm records that exist, by id; reminders are matched to them
 * @param attendees       on an update, the event's current calendar.attendee rows (answers are written to them)
 * @param partners        the current attendees' partners by id (to keep attendees that have no e-mail)
 */
public record DraftContext(OdooUser organizer, List<OdooUser> users, Map<String, Long> partnersByEmail,
                           Map<Long, OdooAlarm> alarms, List<OdooAttendee> attendees, Map<Long, OdooPartner> partners) {
  public DraftContext {
    users = users == null ? List.of() : List.copyOf(users);
    partnersByEmail = partnersByEmail == null ? Map.of() : Map.copyOf(partnersByEmail);
    alarms = alarms == null ? Map.of() : Map.copyOf(alarms);
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
    partners = partners == null ? Map.of() : Map.copyOf(partners);
  }

  public static DraftContext forCreate(OdooUser owner, List<OdooUser> users, Map<String, Long> partnersByEmail,
                                       Map<Long, OdooAlarm> alarms) {
    return new DraftContext(owner, users, partnersByEmail, alarms, List.of(), Map.of());
  }

  public static DraftContext forUpdate(OdooUser organizer, Map<String, Long> partnersByEmail, Map<Long, OdooAlarm> alarms,
                                       List<OdooAttendee> attendees, Map<Long, OdooPartner> partners) {
    return new DraftContext(organizer, List.of(), partnersByEmail, alarms, attendees, partners);
  }
}
