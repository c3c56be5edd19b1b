package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.odoo.Mapped;
import io.outlooksync.sidecar.odoo.OdooAlarm;
import io.outlooksync.sidecar.odoo.OdooAttendee;
import io.outlooksync.sidecar.odoo.OdooContext;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventMapper;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooPartner;
import io.outlooksync.sidecar.odoo.OdooUser;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Odoo events as the reconciler sees them, read in bulk: one call each for attendees, their partners, the
 * organizers and the reminder types, however many events. Also keeps what writes need (attendee rows, alarms).
 */
final class OdooSide {
  private final OdooGateway odoo;
  private Map<Long, OdooAlarm> alarms;
  /** Users this run has read already (its owner, who organizes most of their events): not asked for again. */
  private final Map<Long, OdooUser> known = new HashMap<>();

  OdooSide(OdooGateway odoo) {
    this.odoo = odoo;
  }

  Map<Long, OdooAlarm> alarms() {
    if (alarms == null) {
      Map<Long, OdooAlarm> all = new HashMap<>();
      for (OdooAlarm a : odoo.alarms()) {
        all.put(a.id(), a);
      }
      alarms = all;
    }
    return alarms;
  }

  /** A user read earlier in the same run. */
  void know(OdooUser user) {
    known.put(user.id(), user);
  }

  /** What the events read as (null value plus notes for those that cannot map), with their attendee rows. */
  Read read(Collection<OdooEvent> events) {
    if (events.isEmpty()) {
      return new Read(Map.of(), List.of(), Map.of(), Map.of());
    }
    List<Long> ids = events.stream().map(OdooEvent::id).toList();
    List<OdooAttendee> attendees = odoo.attendees(ids);
    Set<Long> partnerIds = new HashSet<>();
    attendees.forEach(a -> partnerIds.add(a.partnerId()));
    Map<Long, OdooPartner> partners = partnerIds.isEmpty() ? Map.of() : odoo.partners(partnerIds);
    Set<Long> userIds = new HashSet<>();
    events.forEach(e -> {
      if (e.userId() != null) {
        userIds.add(e.userId());
      }
    });
    Map<Long, OdooUser> users = new HashMap<>();
    userIds.removeIf(id -> {
      OdooUser k = known.get(id);
      if (k != null) {
        users.put(id, k);
      }
      return k != null;
    });
    if (!userIds.isEmpty()) {
      odoo.users(userIds).forEach(u -> users.put(u.id(), u));
    }
    // Each event gets its own attendee rows and the shared maps once copied: thousands of events then cost
    // thousands of steps, not thousands times the whole attendee list.
    Map<Long, List<OdooAttendee>> byEvent = new HashMap<>();
    attendees.forEach(a -> byEvent.computeIfAbsent(a.eventId(), k -> new java.util.ArrayList<>()).add(a));
    Map<Long, OdooPartner> sharedPartners = Map.copyOf(partners);
    Map<Long, OdooAlarm> sharedAlarms = Map.copyOf(alarms());
    Map<Long, Mapped<CalEvent>> out = new LinkedHashMap<>();
    for (OdooEvent e : events) {
      OdooUser organizer = e.userId() == null ? null : users.get(e.userId());
      out.put(e.id(), OdooEventMapper.toCore(e, new OdooContext(organizer, null, byEvent.getOrDefault(e.id(), List.of()),
          sharedPartners, sharedAlarms)));
    }
    return new Read(out, attendees, partners, users);
  }

  /** Mapped events by id, and the rows they came from (an update needs them). */
  record Read(Map<Long, Mapped<CalEvent>> events, List<OdooAttendee> attendees, Map<Long, OdooPartner> partners,
              Map<Long, OdooUser> users) {
    /** Both reads as one (a run reads what changed first, then the other side of its pairs). */
    Read plus(Read other) {
      Map<Long, Mapped<CalEvent>> e = new LinkedHashMap<>(events);
      e.putAll(other.events);
      List<OdooAttendee> a = new java.util.ArrayList<>(attendees);
      a.addAll(other.attendees);
      Map<Long, OdooPartner> p = new HashMap<>(partners);
      p.putAll(other.partners);
      Map<Long, OdooUser> u = new HashMap<>(users);
      u.putAll(other.users);
      return new Read(e, a, p, u);
    }
  }
}
