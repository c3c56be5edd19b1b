package io.outlooksync.sidecar.graph;

import java.util.List;

/**
 * One page of a calendarView delta round. Exactly one of the links is set: {@code nextLink} while the round
 * goes on, {@code deltaLink} on its last page (store it to start the next round from).
 */
public record DeltaPage(List<DeltaItem> items, String nextLink, String deltaLink) {
  public DeltaPage {
    items = List.copyOf(items);
  }

  public boolean last() {
    return nextLink == null;
  }
}
