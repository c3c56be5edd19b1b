package io.outlooksync.sidecar.sync;

import java.time.Duration;

/**
 * How {@link SyncScheduler} paces runs. {@code interval}: the fallback, each connected account runs at least this
 * often. {@code quiet}: an idle account runs this long after its first announcement, so that one change reaches
 * the other side quickly. {@code burstQuiet} and {@code maxDelay}: an account announced again within {@code quiet} of
 * the announcement before is in a burst; it runs once {@code burstQuiet} passed without another announcement, or
 * {@code maxDelay} after the first at the latest, so a burst gives one run. A run under way holds the next back
 * until it ends (one more run, whatever was announced meanwhile). {@code workers}:
 * accounts syncing in parallel. A failing account waits {@code backoffBase}, then twice as long after each
 * further failure, at most {@code backoffMax}. {@code callerWait}: how long Sync now waits for a run under way
 * to end before it answers busy.
 */
public record ScheduleSettings(Duration interval, Duration quiet, Duration burstQuiet, Duration maxDelay, int workers,
                               Duration backoffBase, Duration backoffMax, Duration callerWait) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);
  /** Long enough to take in the few announcements one change makes (Graph's created and updated, the addon's event and attendees). */
  public static final Duration QUIET = Duration.ofMillis(300);
  public static final Duration BURST_QUIET = Duration.ofSeconds(2);
  public static final Duration MAX_DELAY = Duration.ofSeconds(10);
  public static final int DEFAULT_WORKERS = 4;
  public static final Duration BACKOFF_BASE = Duration.ofMinutes(1);
  public static final Duration BACKOFF_MAX = Duration.ofHours(1);
  /** Under the addon's 100-second timeout for Sync now, with room for the run itself. */
  public static final Duration CALLER_WAIT = Duration.ofSeconds(30);

  public ScheduleSettings {
    if (interval.isNegative() || interval.isZero() || quiet.isNegative() || burstQuiet.compareTo(quiet) < 0
        || maxDelay.compareTo(burstQuiet) < 0 || workers < 1 || backoffBase.isNegative() || backoffMax.compareTo(backoffBase) < 0
        || callerWait.isNegative()) {
      throw new IllegalArgumentException("schedule settings out of range: " + interval + ", " + quiet + ", " + burstQuiet + ", "
          + maxDelay + ", " + workers + ", " + backoffBase + ", " + backoffMax);
    }
  }

  public static ScheduleSettings defaults() {
    return new ScheduleSettings(DEFAULT_INTERVAL, QUIET, BURST_QUIET, MAX_DELAY, DEFAULT_WORKERS, BACKOFF_BASE, BACKOFF_MAX, CALLER_WAIT);
  }

  public ScheduleSettings withInterval(Duration v) {
    return new ScheduleSettings(v, quiet, burstQuiet, maxDelay, workers, backoffBase, backoffMax, callerWait);
  }

  public ScheduleSettings withWorkers(int v) {
    return new ScheduleSettings(interval, quiet, burstQuiet, maxDelay, v, backoffBase, backoffMax, callerWait);
  }

  /** The quiet of an idle account's first announcement (at most the burst quiet). */
  public ScheduleSettings withQuiet(Duration v) {
    return new ScheduleSettings(interval, v, burstQuiet, maxDelay, workers, backoffBase, backoffMax, callerWait);
  }

  public ScheduleSettings withDebounce(Duration first, Duration inBurst, Duration atMost) {
    return new ScheduleSettings(interval, first, inBurst, atMost, workers, backoffBase, backoffMax, callerWait);
  }

  public ScheduleSettings withBackoff(Duration base, Duration max) {
    return new ScheduleSettings(interval, quiet, burstQuiet, maxDelay, workers, base, max, callerWait);
  }

  public ScheduleSettings withCallerWait(Duration v) {
    return new ScheduleSettings(interval, quiet, burstQuiet, maxDelay, workers, backoffBase, backoffMax, v);
  }

  /** The wait after the {@code failures}-th failure in a row (1 or more): base, 2 base, 4 base, ... at most max. */
  public Duration backoff(int failures) {
    Duration d = backoffBase;
    for (int i = 1; i < failures && d.compareTo(backoffMax) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(backoffMax) > 0 ? backoffMax : d;
  }
}
