package io.outlooksync.sidecar.core;

/** Who may see an event's details. Odoo's "default" (follow the user's setting) maps to {@link #DEFAULT}. */
public enum Privacy { DEFAULT, PUBLIC, PRIVATE, CONFIDENTIAL }
