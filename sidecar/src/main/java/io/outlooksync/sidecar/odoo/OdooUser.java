package io.outlooksync.sidecar.odoo;

/** An Odoo user as the sync needs it; {@code email} and {@code tz} (an IANA zone name) may be null. */
public record OdooUser(long id, String login, String name, long partnerId, String email, String tz) {}
