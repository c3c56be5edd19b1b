package io.outlooksync.sidecar.core;

import java.time.Instant;

/**
 * The user's choices and the run's frame.
 *
 * @param now              the run's clock reading (the reconciler has no clock of its own)
 * @param windowStart      events ending before this are left alone
 * @param windowEnd        events starting after this are left alone
 * @param onlyFutureEvents new Odoo events that already ended are not pushed (no invitations for history)
 * @param quiet            new events go to Outlook without attendees, as time blocks, so nobody is mailed
 */
public record SyncOptions(Instant now, Instant windowStart, Instant windowEnd, boolean onlyFutureEvents, boolean quiet) {}
