package io.outlooksync.sidecar.odoo;

/** One calendar.attendee row: a partner's answer to one event. {@code email} is null when the partner has none. */
public record OdooAttendee(long id, long eventId, long partnerId, String email, AttendeeState state) {}
