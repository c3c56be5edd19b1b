package io.outlooksync.sidecar.odoo;

/** A res.partner's name and e-mail (null when it has none), for naming attendees. */
public record OdooPartner(long id, String name, String email) {}
