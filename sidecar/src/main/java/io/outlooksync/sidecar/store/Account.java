package io.outlooksync.sidecar.store;

import java.time.Instant;

/** One Odoo user and the Microsoft account they connected, as stored. */
public record Account(
    long id,
    String odooDb,
    long odooUserId,
    String odooLogin,
    String msHomeAccountId,
    String msUsername,
    String msTenantId,
    AccountState state,
    String stateReason,
    Instant lastSyncAt,
    String lastError,
    Instant lastErrorAt,
    Instant createdAt,
    Instant updatedAt) {}
