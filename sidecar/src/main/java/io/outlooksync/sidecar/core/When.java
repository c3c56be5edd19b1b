package io.outlooksync.sidecar.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When an event happens. A timed event is two instants and the zone its organizer thinks in (kept so series
 * keep their wall-clock time across DST); an all-day event is two dates, the end exclusive as in Graph.
 */
public record When(Instant start, Instant end, ZoneId zone, LocalDate startDate, LocalDate endDateExclusive) {
  public When {
    Objects.requireNonNull(zone, "zone");
    boolean timed = start != null && end != null;
    boolean allDay = startDate != null && endDateExclusive != null;
    if (timed == allDay) {
      throw new IllegalArgumentException("an event is either timed (start, end) or all-day (dates)");
    }
    if (timed && end.isBefore(start)) {
      throw new IllegalArgumentException("end before start");
    }
    if (allDay && !endDateExclusive.isAfter(startDate)) {
      throw new IllegalArgumentException("an all-day event lasts at least one day");
    }
  }

  public static When timed(Instant start, Instant end, ZoneId zone) {
    return new When(start, end, zone, null, null);
  }

  public static When allDay(LocalDate first, LocalDate endExclusive, ZoneId zone) {
    return new When(null, null, zone, first, endExclusive);
  }

  public boolean allDay() {
    return startDate != null;
  }

  /** The moment the event starts, an all-day one at midnight in its zone (for windows and matching). */
  public Instant startInstant() {
    return allDay() ? startDate.atStartOfDay(zone).toInstant() : start;
  }

  public Instant endInstant() {
    return allDay() ? endDateExclusive.atStartOfDay(zone).toInstant() : end;
  }

  /** Same time, whatever zone each side labels it with (the zone is presentation, not a change). */
  public boolean sameTimeAs(When other) {
    if (other == null || allDay() != other.allDay()) {
      return false;
    }
    return allDay() ? startDate.equals(other.startDate) && endDateExclusive.equals(other.endDateExclusive)
        : start.equals(other.start) && end.equals(other.end);
  }
}
