package io.outlooksync.sidecar.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A series' occurrences as times: each date of the rule at the series' wall-clock time in the rule's zone, so a
 * 09:00 meeting in Brussels stays 09:00 in Brussels across DST (its UTC hour moves). A time that does not exist
 * on a DST day (02:30 when clocks jump to 03:00) moves forward by the gap; a time that happens twice takes the
 * later one, as Odoo does ({@code is_dst=False}). Every occurrence keeps the first one's length.
 */
public final class Occurrences {
  private Occurrences() {}

  /** One occurrence: the rule's date (its original date, whatever an exception did since) and its times. */
  public record Occurrence(LocalDate date, When when) {
    /** The original start as the matching keys it: wall-clock time in the series zone (midnight if all-day). */
    public LocalDateTime originalStart() {
      return when.allDay() ? date.atStartOfDay() : LocalDateTime.ofInstant(when.start(), when.zone());
    }
  }

  /**
   * The occurrences of {@code rule} that overlap [{@code from}, {@code to}), all of them (no cap), for a series
   * whose first occurrence is {@code first} (its time of day and length are every occurrence's).
   */
  public static List<Occurrence> between(Recurrence rule, When first, Instant from, Instant to) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(first, "first");
    if (!to.isAfter(from)) {
      return List.of();
    }
    ZoneId zone = rule.zone();
    List<Occurrence> out = new ArrayList<>();
    if (first.allDay()) {
      long days = ChronoUnit.DAYS.between(first.startDate(), first.endDateExclusive());
      // Dates are widened by a day each way: the window is in instants, the dates are the zone's.
      LocalDate fromDate = LocalDate.ofInstant(from, zone).minusDays(days + 1);
      LocalDate toDate = LocalDate.ofInstant(to, zone).plusDays(1);
      for (LocalDate d : rule.dates(fromDate, toDate)) {
        When w = When.allDay(d, d.plusDays(days), zone);
        if (w.startInstant().isBefore(to) && w.endInstant().isAfter(from)) {
          out.add(new Occurrence(d, w));
        }
      }
      return out;
    }
    LocalTime time = LocalDateTime.ofInstant(first.start(), zone).toLocalTime();
    Duration length = Duration.between(first.start(), first.end());
    LocalDate fromDate = LocalDate.ofInstant(from.minus(length), zone).minusDays(1);
    LocalDate toDate = LocalDate.ofInstant(to, zone).plusDays(1);
    for (LocalDate d : rule.dates(fromDate, toDate)) {
      Instant start = startOf(d, time, zone);
      Instant end = start.plus(length);
      if (start.isBefore(to) && (end.isAfter(from) || length.isZero() && !start.isBefore(from))) {
        out.add(new Occurrence(d, When.timed(start, end, zone)));
      }
    }
    return out;
  }

  /** The instant of wall-clock {@code time} on {@code date} in {@code zone}, by the rules above. */
  public static Instant startOf(LocalDate date, LocalTime time, ZoneId zone) {
    return date.atTime(time).atZone(zone).withLaterOffsetAtOverlap().toInstant();
  }
}
