package io.outlooksync.sidecar.odoo;

import java.util.List;

/**
 * Who an event concerns: its organizer ({@code user_id}, a res.users id, null when unset) and its attendees
 * ({@code partner_ids}). Enough to tell which connected users a change announcement is about.
 */
public record EventParties(long eventId, Long organizerUserId, List<Long> partnerIds) {
  public EventParties {
    partnerIds = List.copyOf(partnerIds);
  }
}
