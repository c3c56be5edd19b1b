package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.SyncOptions;
import java.time.Duration;
import java.time.Instant;

/**
 * What the administrator chose for every run (the addon pushes it): the sync window around now and the defaults
 * of the per-user options ({@link UserOptions}).
 *
 * @param back              how far into the past events are synced
 * @param ahead             how far into the future
 * @param quietDefault      new events go to Outlook without attendees unless the user chose otherwise
 * @param onlyFutureDefault past Odoo events are not pushed unless the user chose otherwise
 */
public record RunSettings(Duration back, Duration ahead, boolean quietDefault, boolean onlyFutureDefault) {
  /** Graph's calendarView spans at most five years; the window stays under it. */
  public static final long MAX_WINDOW_DAYS = 1825;
  public static final RunSettings DEFAULTS = new RunSettings(Duration.ofDays(365), Duration.ofDays(730), false, true);

  public RunSettings {
    if (back.isNegative() || ahead.isNegative() || back.plus(ahead).toDays() > MAX_WINDOW_DAYS) {
      throw new IllegalArgumentException("the sync window must be positive and span at most " + MAX_WINDOW_DAYS + " days");
    }
  }

  /** The options of one run of an account, at {@code now}. */
  SyncOptions optionsAt(Instant now, UserOptions user) {
    return new SyncOptions(now, now.minus(back), now.plus(ahead), user.onlyFuture(), user.quiet());
  }
}
