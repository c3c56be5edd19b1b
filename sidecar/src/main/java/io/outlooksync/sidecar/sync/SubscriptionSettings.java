package io.outlooksync.sidecar.sync;

import java.time.Duration;

/**
 * How {@link SubscriptionKeeper} keeps subscriptions. {@code lifetime}: the expiry asked for, under Graph's
 * maximum for Outlook events without resource data (10,080 minutes), with room for clocks that disagree.
 * {@code renewBefore}: a subscription with less left than this is renewed. {@code tick}: how often the keeper
 * looks at every account. {@code notifiedInterval}: the fallback interval of an account whose notifications are
 * alive (the configured one applies otherwise).
 */
public record SubscriptionSettings(Duration lifetime, Duration renewBefore, Duration tick, Duration notifiedInterval) {
  /** Graph's documented maximum for Outlook message, event and contact subscriptions without resource data. */
  public static final Duration GRAPH_MAX_LIFETIME = Duration.ofMinutes(10_080);
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10_000);
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(3);
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(10);
  public static final Duration DEFAULT_NOTIFIED_INTERVAL = Duration.ofHours(1);

  public SubscriptionSettings {
    if (lifetime.compareTo(GRAPH_MAX_LIFETIME) > 0 || renewBefore.compareTo(lifetime) >= 0 || tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("subscription settings out of range: " + lifetime + ", " + renewBefore + ", " + tick);
    }
  }

  public static SubscriptionSettings defaults() {
    return new SubscriptionSettings(DEFAULT_LIFETIME, DEFAULT_RENEW_BEFORE, DEFAULT_TICK, DEFAULT_NOTIFIED_INTERVAL);
  }

  public SubscriptionSettings withNotifiedInterval(Duration v) {
    return new SubscriptionSettings(lifetime, renewBefore, tick, v);
  }
}
