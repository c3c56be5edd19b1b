package io.outlooksync.sidecar.bench;

import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphEventDraft;
import io.outlooksync.sidecar.graph.GraphGateway;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.RecurrenceMapping;
import io.outlooksync.sidecar.graph.WriteResult;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A mailbox to import: single events and weekly series, written through Graph in $batches (at full speed, before timing). */
public final class ImportSeed {
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  private ImportSeed() {}

  /** Half-hour events "Import i" an hour apart from tomorrow, and weekly series of ten "Series s" from next week. */
  public static void seed(GraphGateway outlook, int singles, int series) {
    seed(outlook, singles, series, Duration.ofHours(1), BRUSSELS);
  }

  /**
   * As {@link #seed(GraphGateway, int, int)} with the single events {@code apart}, in {@code zone} (many events in
   * the sync window: UTC, where no half-hour crosses a change of clocks).
   */
  public static void seed(GraphGateway outlook, int singles, int series, Duration apart, ZoneId zone) {
    Instant first = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).plus(7, ChronoUnit.HOURS);
    List<GraphWrite> writes = new ArrayList<>();
    for (int i = 0; i < singles; i++) {
      Instant start = first.plus(apart.multipliedBy(i));
      CalEvent c = new CalEvent("Import " + i, When.timed(start, start.plus(30, ChronoUnit.MINUTES), zone), null, null, null, null,
          null, null, null, null);
      writes.add(new GraphWrite.Create(CoreMapping.toDraft(c, false, null), "seed-" + i));
    }
    LocalDate monday = LocalDate.now(BRUSSELS).plusWeeks(1).with(DayOfWeek.MONDAY);
    for (int s = 0; s < series; s++) {
      LocalDate day = monday.plusDays(s % 5);
      Recurrence weekly = new Recurrence(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(day.getDayOfWeek()), null, 0, null, 0, null,
          day, Recurrence.End.COUNT, null, 10, BRUSSELS);
      Instant start = day.atTime(6 + s % 4, 0).atZone(BRUSSELS).toInstant();
      GraphEventDraft draft = GraphEventDraft.timed("Series " + s, start, start.plus(45, ChronoUnit.MINUTES), BRUSSELS)
          .withRecurrence(RecurrenceMapping.write(weekly).value());
      writes.add(new GraphWrite.Create(draft, "seed-series-" + s));
    }
    for (WriteResult r : outlook.write(writes)) {
      if (!r.done()) {
        throw new IllegalStateException("seeding Outlook failed: " + r);
      }
    }
  }
}
