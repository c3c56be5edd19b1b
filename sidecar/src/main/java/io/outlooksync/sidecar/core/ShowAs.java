package io.outlooksync.sidecar.core;

/** How the event shows in free/busy views. Odoo knows FREE and BUSY only; the others come from Outlook. */
public enum ShowAs { FREE, BUSY, TENTATIVE, OUT_OF_OFFICE, WORKING_ELSEWHERE, UNKNOWN }
