package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One page of changes. Pass {@code nextWatermark} and {@code nextAfterId} to the next call while
 * {@code hasMore}; after the last page, {@code nextWatermark} (with afterId 0) is where the next round starts.
 *
 * @param malformed records that came back but could not be read, by id, each with its error; the others are fine
 */
public record Page<T>(List<T> items, Map<Long, OdooProtocolException> malformed, Instant nextWatermark,
    long nextAfterId, boolean hasMore) {

  public Page {
    items = List.copyOf(items);
    malformed = Map.copyOf(malformed);
  }
}
