package io.outlooksync.sidecar.odoo;

/** What {@code /xmlrpc/2/common version} reports, e.g. "18.0" with major 18. */
public record ServerVersion(String serverVersion, int major, int minor) {}
