package io.outlooksync.sidecar.core;

/** An attendee's answer, on neutral terms (Odoo: needsAction/accepted/tentative/declined; Graph: none/accepted/...). */
public enum Response { NONE, ACCEPTED, TENTATIVE, DECLINED }
