package io.outlooksync.sidecar.store;

import java.time.Instant;

/**
 * Where an account's Outlook change tracking stands: the window of its delta rounds, the delta link that
 * starts the next round, and the next link of a round in progress (so a restart resumes instead of restarting).
 */
public record DeltaState(long accountId, Instant windowStart, Instant windowEnd, String deltaLink, String nextLink) {}
