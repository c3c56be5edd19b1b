package io.outlooksync.sidecar.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signatures seen within the replay window, so a captured request cannot be sent again. Bounded: entries
 * leave when their timestamp falls out of the window, and past {@code capacity} the oldest go first (so a
 * flood larger than the capacity within one window would re-open replay of its oldest entries; at the
 * default capacity that is over 150 signed requests per second, far beyond what the addon sends).
 */
final class ReplayGuard {
  private final int capacity;
  private final long windowSeconds;
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  ReplayGuard(int capacity, long windowSeconds) {
    this.capacity = capacity;
    this.windowSeconds = windowSeconds;
  }

  /** True the first time {@code signature} is presented; false for a replay. */
  synchronized boolean firstUse(String signature, long timestamp, long now) {
    expire(now);
    if (seen.containsKey(signature)) {
      return false;
    }
    seen.put(signature, timestamp);
    while (seen.size() > capacity) {
      Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  private void expire(long now) {
    // Insertion order is roughly timestamp order; stop at the first entry still inside the window.
    Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() < now - windowSeconds) {
        it.remove();
      } else {
        break;
      }
    }
  }

  synchronized int size() {
    return seen.size();
  }
}
