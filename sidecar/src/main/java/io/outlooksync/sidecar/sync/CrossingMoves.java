package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.graph.GraphEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Foresees the occurrence moves Outlook refuses ({@code ErrorOccurrenceCrossingBoundary}: onto or past the day of
 * the previous or next occurrence, a moved neighbour counting with its new day) and plans them as what goes out
 * instead, a {@link Action.DetachOccurrenceInOutlook}: so a dry run's mail forecast and the journal show a
 * cancellation plus an invitation, not an update. Neighbours are the instances Outlook listed in the window; a
 * cancelled neighbour Outlook still counts is not listed, and that refusal is caught when written
 * ({@link SeriesWrites#refused}).
 */
final class CrossingMoves {
  private CrossingMoves() {}

  static Plan foresee(Plan plan, SeriesSync series) {
    if (series == null) {
      return plan;
    }
    List<Action> out = new ArrayList<>(plan.actions().size());
    for (Action a : plan.actions()) {
      Action detach = a instanceof Action.UpdateOutlook u ? detach(u, series) : null;
      out.add(detach != null ? detach : a);
    }
    return new Plan(out);
  }

  private static Action detach(Action.UpdateOutlook u, SeriesSync series) {
    if (!u.userIsOrganizer() || !u.fields().contains(Field.WHEN)) {
      return null;
    }
    for (SeriesSync.State s : series.states.values()) {
      List<GraphEvent> slots = new ArrayList<>(s.instances);
      slots.sort(Comparator.comparing(GraphEvent::originalStart, Comparator.nullsLast(Comparator.naturalOrder())));
      for (int i = 0; i < slots.size(); i++) {
        GraphEvent g = slots.get(i);
        // All-day occurrences are left to the write's refusal: their original day is not an instant's.
        if (!g.id().equals(u.graphId()) || s.graphRule == null || g.originalStart() == null || g.allDay()) {
          continue;
        }
        ZoneId zone = s.graphRule.zone();
        LocalDate target = day(u.target(), zone);
        LocalDate original = LocalDate.ofInstant(g.originalStart(), zone);
        if (target == null || target.equals(original)) {
          return null;
        }
        LocalDate previous = i > 0 ? day(slots.get(i - 1), zone) : null;
        LocalDate next = i + 1 < slots.size() ? day(slots.get(i + 1), zone) : null;
        boolean crossing = previous != null && !target.isAfter(previous) || next != null && !target.isBefore(next);
        CalEvent last = series.outlookContent(g);
        if (!crossing || last == null) {
          return null;
        }
        return new Action.DetachOccurrenceInOutlook(u.id(), u.mappingId(), u.graphId(), last, u.target(),
            "the occurrence moved onto or past a neighbour's day in Odoo, which Outlook refuses for an occurrence: "
                + "cancelled there and made its own event");
      }
    }
    return null;
  }

  private static LocalDate day(CalEvent e, ZoneId zone) {
    Instant start = e.when().start();
    return start != null ? LocalDate.ofInstant(start, zone) : e.when().startDate();
  }

  private static LocalDate day(GraphEvent g, ZoneId zone) {
    return g.allDay() ? g.startDate() : g.start() == null ? null : LocalDate.ofInstant(g.start(), zone);
  }
}
