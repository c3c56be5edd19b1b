package io.outlooksync.sidecar.odoo;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records read by id: those found, the ids that no longer exist (deleted in Odoo), and those that came back
 * unreadable, each with its error.
 */
public record Found<T>(List<T> items, Set<Long> missing, Map<Long, OdooProtocolException> malformed) {

  public Found {
    items = List.copyOf(items);
    missing = Set.copyOf(missing);
    malformed = Map.copyOf(malformed);
  }
}
