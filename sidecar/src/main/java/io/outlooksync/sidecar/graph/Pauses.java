package io.outlooksync.sidecar.graph;

import java.time.Duration;

/** The waits between attempts of {@code $batch} steps that Graph throttled or could not serve. */
final class Pauses {
  private Pauses() {}

  /** 1 s, 2 s, 4 s... (at most 16 s) when Graph gave no {@code Retry-After}. */
  static Duration backoff(int attempt) {
    return Duration.ofSeconds(1L << Math.min(4, Math.max(0, attempt - 1)));
  }

  /** Sleeps holding no slot; false when interrupted (the caller reports the rest as not done). */
  static boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
