package io.outlooksync.sidecar.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** For tests: a mailbox's calendar as one full delta round over a window sees it, cancelled events left out. */
public final class CalendarRound {
  private CalendarRound() {}

  public static List<GraphEvent> events(GraphGateway outlook, Instant from, Instant to) {
    List<GraphEvent> out = new ArrayList<>();
    DeltaPage page = outlook.firstPage(from, to, 100);
    while (true) {
      for (DeltaItem i : page.items()) {
        if (i instanceof GraphEvent e && !e.cancelled()) {
          out.add(e);
        }
      }
      if (page.last()) {
        return out;
      }
      page = outlook.nextPage(page.nextLink(), 100);
    }
  }
}
