package io.outlooksync.sidecar.core;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A series' rule on neutral terms, as both Odoo's {@code calendar.recurrence} and Graph's
 * {@code patternedRecurrence} can be read into it (docs/recurrence.md has the table of what maps where).
 *
 * <p>The value is canonical, so two rules that produce the same dates are equal: fields a pattern does not use are
 * cleared, {@code startDate} is moved to the first occurrence (the interval is counted from the period holding the
 * start date, as in RFC 5545 and Odoo; moving the start to the first occurrence keeps every date and removes the
 * one point where Odoo and Graph could read a start date differently), an end date is moved back to the last
 * occurrence (Odoo ends a split series on the day before the split's week, Outlook on the day before the split:
 * the same dates), the first day of the week is kept only
 * where it changes the dates (weekly, interval above 1, several days), and the short-month policy only where a
 * month can be too short for the day.
 *
 * <p>Dates come from {@link #dates}; instants from {@link Occurrences}. Invalid rules throw
 * {@link IllegalArgumentException} with a message fit for a plan note (no content, only the rule's fields).
 */
public record Recurrence(
    Pattern pattern,
    int interval,
    Set<DayOfWeek> daysOfWeek,
    DayOfWeek firstDayOfWeek,
    int dayOfMonth,
    WeekIndex index,
    int month,
    ShortMonths shortMonths,
    LocalDate startDate,
    End end,
    LocalDate endDate,
    int count,
    ZoneId zone) {

  public enum Pattern {
    DAILY, WEEKLY, ABSOLUTE_MONTHLY, RELATIVE_MONTHLY, ABSOLUTE_YEARLY, RELATIVE_YEARLY;

    boolean usesDays() {
      return this == WEEKLY || this == RELATIVE_MONTHLY || this == RELATIVE_YEARLY;
    }

    boolean relative() {
      return this == RELATIVE_MONTHLY || this == RELATIVE_YEARLY;
    }

    boolean absolute() {
      return this == ABSOLUTE_MONTHLY || this == ABSOLUTE_YEARLY;
    }

    boolean yearly() {
      return this == ABSOLUTE_YEARLY || this == RELATIVE_YEARLY;
    }
  }

  /** Which of the month's matching days a relative pattern takes. */
  public enum WeekIndex { FIRST, SECOND, THIRD, FOURTH, LAST }

  /** How a series ends: on a date (inclusive), after a number of occurrences, or never. */
  public enum End { END_DATE, COUNT, NO_END }

  /**
   * What an absolute pattern does in a month too short for its day (the 31st in April, Feb 29 in 2027):
   * Outlook takes the month's last day, Odoo (RFC 5545) skips that month.
   */
  public enum ShortMonths { LAST_DAY, SKIP }

  /** Consecutive periods without a date after which a rule is taken to have no more (a Gregorian cycle). */
  static final int EMPTY_PERIODS_LIMIT = 400;

  public Recurrence {
    require(pattern != null, "the pattern is missing");
    require(startDate != null, "the start date is missing");
    require(zone != null, "the time zone is missing");
    require(end != null, "the range's end is missing");
    require(interval >= 1, "the interval must be at least 1 (was " + interval + ")");
    daysOfWeek = daysOfWeek == null ? Set.of() : daysOfWeek;
    if (pattern.usesDays()) {
      require(!daysOfWeek.isEmpty(), "a " + pattern + " rule needs at least one day of the week");
      daysOfWeek = Collections.unmodifiableSet(EnumSet.copyOf(daysOfWeek));
    } else {
      daysOfWeek = Set.of();
    }
    if (pattern.relative()) {
      require(index != null, "a " + pattern + " rule needs an index (first to fourth, or last)");
    } else {
      index = null;
    }
    if (pattern.yearly()) {
      require(month >= 1 && month <= 12, "the month must be 1 to 12 (was " + month + ")");
    } else {
      month = 0;
    }
    if (pattern.absolute()) {
      int longest = pattern == Pattern.ABSOLUTE_YEARLY ? Month.of(month).maxLength() : 31;
      require(dayOfMonth >= 1 && dayOfMonth <= longest,
          "the day of the month must be 1 to " + longest + " (was " + dayOfMonth + ")");
    } else {
      dayOfMonth = 0;
    }
    boolean shortMatters = pattern == Pattern.ABSOLUTE_MONTHLY ? dayOfMonth > 28
        : pattern == Pattern.ABSOLUTE_YEARLY && dayOfMonth > Month.of(month).minLength();
    shortMonths = shortMatters ? Objects.requireNonNullElse(shortMonths, ShortMonths.LAST_DAY) : ShortMonths.LAST_DAY;
    switch (end) {
      case END_DATE -> {
        require(endDate != null, "a series ending on a date needs the date");
        require(!endDate.isBefore(startDate), "the end date " + endDate + " is before the start date " + startDate);
        count = 0;
      }
      case COUNT -> {
        require(count >= 1, "a counted series needs at least 1 occurrence (was " + count + ")");
        endDate = null;
      }
      case NO_END -> {
        endDate = null;
        count = 0;
      }
      default -> throw new IllegalStateException();
    }
    boolean weekStartMatters = pattern == Pattern.WEEKLY && interval > 1 && daysOfWeek.size() > 1;
    firstDayOfWeek = weekStartMatters ? Objects.requireNonNullElse(firstDayOfWeek, DayOfWeek.SUNDAY) : DayOfWeek.SUNDAY;
    Expansion expansion = new Expansion(pattern, interval, daysOfWeek, firstDayOfWeek, dayOfMonth, index, month,
        shortMonths, startDate, end, endDate, count);
    LocalDate first = expansion.first();
    if (first != null) {
      startDate = first;
      if (end == End.END_DATE) {
        List<LocalDate> all = expansion.between(first, endDate);
        endDate = all.get(all.size() - 1);
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("recurrence: " + message);
    }
  }

  /** Every weekday of {@code days}, for a terse literal in tests and mappers. */
  public static Set<DayOfWeek> days(DayOfWeek... days) {
    return days.length == 0 ? Set.of() : EnumSet.of(days[0], days);
  }

  /** The same rule ending on {@code date} (inclusive): how "this and following" ends a series. */
  public Recurrence endingOn(LocalDate date) {
    return new Recurrence(pattern, interval, daysOfWeek, firstDayOfWeek, dayOfMonth, index, month, shortMonths,
        startDate, End.END_DATE, date, 0, zone);
  }

  /** The same rule starting on {@code date} (the other half of a split). */
  public Recurrence startingOn(LocalDate date) {
    return new Recurrence(pattern, interval, daysOfWeek, firstDayOfWeek, dayOfMonth, index, month, shortMonths,
        date, end, endDate, count, zone);
  }

  /** The first occurrence's date, or null when the range ends before any date fits. */
  public LocalDate first() {
    return expansion().first();
  }

  /**
   * The occurrence dates in [{@code from}, {@code to}] (both inclusive), in order, all of them: there is no cap
   * inside the window. A series without end costs what the window holds, however old it is.
   */
  public List<LocalDate> dates(LocalDate from, LocalDate to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return expansion().between(from, to);
  }

  /** Every date of a series that ends (count or end date); refused for a series without end. */
  public List<LocalDate> allDates() {
    if (end == End.NO_END) {
      throw new IllegalStateException("a series without end has no complete list of dates; ask for a window");
    }
    return expansion().between(startDate, LocalDate.MAX);
  }

  /** The last occurrence's date; null for a series without end or without any occurrence. */
  public LocalDate last() {
    if (end == End.NO_END) {
      return null;
    }
    List<LocalDate> all = allDates();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private Expansion expansion() {
    return new Expansion(pattern, interval, daysOfWeek, firstDayOfWeek, dayOfMonth, index, month, shortMonths,
        startDate, end, endDate, count);
  }

  /** The date arithmetic, apart from the record so the constructor can use it before the fields are final. */
  private record Expansion(Pattern pattern, int interval, Set<DayOfWeek> days, DayOfWeek weekStart, int dayOfMonth,
                           WeekIndex index, int month, ShortMonths shortMonths, LocalDate start, End end,
                           LocalDate endDate, int count) {

    LocalDate first() {
      List<LocalDate> one = walk(start, LocalDate.MAX, 1);
      return one.isEmpty() ? null : one.get(0);
    }

    List<LocalDate> between(LocalDate from, LocalDate to) {
      return walk(from, to, Integer.MAX_VALUE);
    }

    /**
     * Walks the periods (day, week, month or year) from the one holding the start date, {@code interval} at a
     * time. A counted series is walked from its start, since it must be counted; the others start at the
     * period just before {@code from}.
     */
    private List<LocalDate> walk(LocalDate from, LocalDate to, int limit) {
      List<LocalDate> out = new ArrayList<>();
      LocalDate anchor = periodStart(start);
      long step = 0;
      if (end != End.COUNT && from.isAfter(anchor)) {
        step = Math.max(0, periods(anchor, periodStart(from)) / interval - 1);
      }
      int counted = 0;
      int empty = 0;
      while (empty < EMPTY_PERIODS_LIMIT) {
        LocalDate period = advance(anchor, step * interval);
        if (period.isAfter(to) || (end == End.END_DATE && period.isAfter(endDate))) {
          return out;
        }
        boolean any = false;
        for (LocalDate d : candidates(period)) {
          if (d.isBefore(start)) {
            continue;
          }
          any = true;
          if (end == End.END_DATE && d.isAfter(endDate) || d.isAfter(to)) {
            return out;
          }
          if (end == End.COUNT && ++counted > count) {
            return out;
          }
          if (!d.isBefore(from)) {
            out.add(d);
            if (out.size() >= limit) {
              return out;
            }
          }
        }
        empty = any ? 0 : empty + 1;
        step++;
      }
      return out;
    }

    private LocalDate periodStart(LocalDate d) {
      return switch (pattern) {
        case DAILY -> d;
        case WEEKLY -> d.minusDays(Math.floorMod(d.getDayOfWeek().getValue() - weekStart.getValue(), 7));
        case ABSOLUTE_MONTHLY, RELATIVE_MONTHLY -> d.withDayOfMonth(1);
        case ABSOLUTE_YEARLY, RELATIVE_YEARLY -> d.withDayOfYear(1);
      };
    }

    private long periods(LocalDate from, LocalDate to) {
      return switch (pattern) {
        case DAILY -> to.toEpochDay() - from.toEpochDay();
        case WEEKLY -> (to.toEpochDay() - from.toEpochDay()) / 7;
        case ABSOLUTE_MONTHLY, RELATIVE_MONTHLY -> (to.getYear() - from.getYear()) * 12L + to.getMonthValue() - from.getMonthValue();
        case ABSOLUTE_YEARLY, RELATIVE_YEARLY -> to.getYear() - from.getYear();
      };
    }

    private LocalDate advance(LocalDate period, long n) {
      return switch (pattern) {
        case DAILY -> period.plusDays(n);
        case WEEKLY -> period.plusWeeks(n);
        case ABSOLUTE_MONTHLY, RELATIVE_MONTHLY -> period.plusMonths(n);
        case ABSOLUTE_YEARLY, RELATIVE_YEARLY -> period.plusYears(n);
      };
    }

    /** The pattern's dates inside one period, in order. */
    private List<LocalDate> candidates(LocalDate period) {
      return switch (pattern) {
        case DAILY -> List.of(period);
        case WEEKLY -> {
          List<LocalDate> week = new ArrayList<>(days.size());
          for (int i = 0; i < 7; i++) {
            if (days.contains(period.plusDays(i).getDayOfWeek())) {
              week.add(period.plusDays(i));
            }
          }
          yield week;
        }
        case ABSOLUTE_MONTHLY -> onDay(period);
        case ABSOLUTE_YEARLY -> onDay(period.withMonth(month));
        case RELATIVE_MONTHLY -> List.of(relative(period));
        case RELATIVE_YEARLY -> List.of(relative(period.withMonth(month)));
      };
    }

    private List<LocalDate> onDay(LocalDate firstOfMonth) {
      int length = firstOfMonth.lengthOfMonth();
      if (dayOfMonth <= length) {
        return List.of(firstOfMonth.withDayOfMonth(dayOfMonth));
      }
      return shortMonths == ShortMonths.SKIP ? List.of() : List.of(firstOfMonth.withDayOfMonth(length));
    }

    /** The index-th day of the month that is one of the days (or the last such day). */
    private LocalDate relative(LocalDate firstOfMonth) {
      List<LocalDate> matching = new ArrayList<>();
      for (LocalDate d = firstOfMonth; d.getMonth() == firstOfMonth.getMonth(); d = d.plusDays(1)) {
        if (days.contains(d.getDayOfWeek())) {
          matching.add(d);
        }
      }
      // A month has at least four of every weekday, so first to fourth always exist.
      return index == WeekIndex.LAST ? matching.get(matching.size() - 1) : matching.get(index.ordinal());
    }
  }
}
