package io.outlooksync.sidecar.odoo;

import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Recurrence.End;
import io.outlooksync.sidecar.core.Recurrence.Pattern;
import io.outlooksync.sidecar.core.Recurrence.ShortMonths;
import io.outlooksync.sidecar.core.Recurrence.WeekIndex;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Odoo 18's recurrence rule to and from the neutral {@link Recurrence}. Pure. The facts it rests on were checked
 * against a real Odoo 18 (docs/recurrence.md):
 * <ul>
 *   <li>Odoo expands with RFC 5545 rules (python-dateutil): a monthly "day 31" skips shorter months and a yearly
 *       series from Feb 29 runs in leap years only ({@link ShortMonths#SKIP}); a yearly series repeats its first
 *       date (Odoo has no month or day field for it);</li>
 *   <li>weeks start on the first day of the acting user's language ({@code res.lang.week_start}; Sunday for
 *       en_US), which only matters for weekly series with an interval above 1 and several days;</li>
 *   <li>the rule's dates are local dates in {@code event_tz} (all-day series: plain dates); {@code until} is
 *       inclusive;</li>
 *   <li>Odoo reads its own rule text back into the fields, so "forever" is stored as a count of 720 and a
 *       count above 720 as 720. A count above 720 is not written (it would come back as another rule); a series
 *       without end is written as "forever" with a note, and reads back as 720 occurrences: the runner must
 *       remember that it wrote "forever" (docs/recurrence.md).</li>
 *   <li>Odoo 17 cannot keep a yearly rule: it stores one as every 12 months on the day of the month it was
 *       saved. The gateway writes and reads yearly rules there as months ({@link OdooRule#inMonths()},
 *       {@link OdooRule#asYears()}; docs/compatibility.md).</li>
 * </ul>
 */
public final class OdooRecurrenceMapper {
  /** Odoo's MAX_RECURRENT_EVENT: events created for a "forever" rule or a larger count. */
  public static final int MAX_EVENTS = 720;

  private OdooRecurrenceMapper() {}

  /**
   * Odoo to core. {@code firstDate} is the series' first date in its zone (the earliest start among the series'
   * events, archived ones included, since dtstart moves when the first occurrence is archived); {@code weekStart}
   * is the first day of the week of the user Odoo expanded the rule as; {@code fallbackZone} is used when the
   * rule has no {@code event_tz}.
   */
  public static Mapped<Recurrence> toCore(OdooRule rule, LocalDate firstDate, DayOfWeek weekStart, ZoneId fallbackZone) {
    List<String> notes = new ArrayList<>();
    ZoneId zone = fallbackZone;
    if (rule.eventTz() != null) {
      try {
        zone = ZoneId.of(rule.eventTz());
      } catch (DateTimeException e) {
        notes.add("recurrence: unknown time zone " + rule.eventTz() + "; " + fallbackZone + " used");
      }
    }
    try {
      Pattern pattern;
      Set<DayOfWeek> days = Set.of();
      int day = 0;
      int month = 0;
      WeekIndex index = null;
      switch (String.valueOf(rule.rruleType())) {
        case "daily" -> pattern = Pattern.DAILY;
        case "weekly" -> {
          pattern = Pattern.WEEKLY;
          days = rule.weekdays();
        }
        case "monthly" -> {
          if ("day".equals(rule.monthBy())) {
            pattern = Pattern.RELATIVE_MONTHLY;
            days = rule.weekday() == null ? Set.of() : Set.of(rule.weekday());
            index = index(rule.byday());
          } else {
            pattern = Pattern.ABSOLUTE_MONTHLY;
            day = rule.day();
          }
        }
        case "yearly" -> {
          pattern = Pattern.ABSOLUTE_YEARLY;
          day = firstDate.getDayOfMonth();
          month = firstDate.getMonthValue();
        }
        default -> throw new IllegalArgumentException("recurrence: unknown rrule_type " + rule.rruleType());
      }
      End end = switch (String.valueOf(rule.endType())) {
        case "count" -> End.COUNT;
        case "end_date" -> End.END_DATE;
        case "forever" -> End.NO_END;
        default -> throw new IllegalArgumentException("recurrence: unknown end_type " + rule.endType());
      };
      Recurrence r = new Recurrence(pattern, rule.interval(), days, weekStart, day, index, month, ShortMonths.SKIP,
          firstDate, end, rule.until(), rule.count(), zone);
      return new Mapped<>(r, notes);
    } catch (IllegalArgumentException e) {
      notes.add(e.getMessage());
      return new Mapped<>(null, notes);
    }
  }

  /**
   * Core to Odoo, or no value with the reason when Odoo cannot hold the rule (the runner then syncs its
   * occurrences as single events). A rule Odoo holds but expands only in part (no end: 720 events) or not at
   * all (no occurrence) maps with a note.
   */
  public static Mapped<OdooRule> toOdoo(Recurrence r, DayOfWeek weekStart) {
    List<String> notes = new ArrayList<>();
    String tz;
    if (r.zone() instanceof ZoneOffset offset) {
      if (offset.getTotalSeconds() != 0) {
        return refused("its time zone is the bare offset " + offset + "; Odoo needs a zone name");
      }
      tz = "UTC";
    } else {
      tz = r.zone().getId();
    }
    String type;
    String monthBy = null;
    int day = 0;
    DayOfWeek weekday = null;
    String byday = null;
    switch (r.pattern()) {
      case DAILY -> type = "daily";
      case WEEKLY -> {
        boolean weekStartMatters = r.interval() > 1 && r.daysOfWeek().size() > 1;
        if (weekStartMatters && r.firstDayOfWeek() != weekStart) {
          return refused("its weeks start on " + r.firstDayOfWeek() + " and Odoo's on " + weekStart
              + ", which changes the dates of a series every " + r.interval() + " weeks on several days");
        }
        type = "weekly";
      }
      case ABSOLUTE_MONTHLY -> {
        if (r.shortMonths() == ShortMonths.LAST_DAY && r.dayOfMonth() > 28) {
          return refused("it moves day " + r.dayOfMonth() + " to the last day of shorter months; Odoo skips them");
        }
        type = "monthly";
        monthBy = "date";
        day = r.dayOfMonth();
      }
      case RELATIVE_MONTHLY -> {
        if (r.daysOfWeek().size() != 1) {
          return refused("it takes the " + r.index() + " of several weekdays; Odoo has one weekday per rule");
        }
        type = "monthly";
        monthBy = "day";
        weekday = r.daysOfWeek().iterator().next();
        byday = switch (r.index()) {
          case FIRST -> "1";
          case SECOND -> "2";
          case THIRD -> "3";
          case FOURTH -> "4";
          case LAST -> "-1";
        };
      }
      case ABSOLUTE_YEARLY -> {
        if (r.shortMonths() == ShortMonths.LAST_DAY && r.month() == 2 && r.dayOfMonth() == 29) {
          return refused("it moves February 29 to the 28th in other years; Odoo skips those years");
        }
        type = "yearly";
        // 18 and 19 ignore these for a yearly rule; Odoo 17 needs them (OdooRule.inMonths).
        monthBy = "date";
        day = r.dayOfMonth();
      }
      case RELATIVE_YEARLY -> {
        return refused("Odoo has no yearly rule on a weekday of a month (" + r.index() + " of a month)");
      }
      default -> throw new IllegalStateException();
    }
    String endType = switch (r.end()) {
      case COUNT -> "count";
      case END_DATE -> "end_date";
      case NO_END -> "forever";
    };
    if (r.count() > MAX_EVENTS) {
      return refused("it has " + r.count() + " occurrences; Odoo stores a count above " + MAX_EVENTS + " as " + MAX_EVENTS);
    }
    if (r.end() == End.NO_END) {
      notes.add("recurrence: Odoo keeps a series without end as its first " + MAX_EVENTS + " occurrences (a count)");
    }
    if (r.first() == null) {
      notes.add("recurrence: the rule has no occurrence");
    }
    return new Mapped<>(new OdooRule(type, r.interval(), endType, r.count(), r.endDate(), r.pattern() == Pattern.WEEKLY
        ? r.daysOfWeek() : Set.of(), monthBy, day, weekday, byday, tz), notes);
  }

  private static Mapped<OdooRule> refused(String why) {
    return new Mapped<>(null, List.of("recurrence not mapped to Odoo: " + why));
  }

  private static WeekIndex index(String byday) {
    if (byday == null) {
      throw new IllegalArgumentException("recurrence: a monthly rule by weekday without byday");
    }
    return switch (byday) {
      case "1" -> WeekIndex.FIRST;
      case "2" -> WeekIndex.SECOND;
      case "3" -> WeekIndex.THIRD;
      case "4" -> WeekIndex.FOURTH;
      case "-1" -> WeekIndex.LAST;
      default -> throw new IllegalArgumentException("recurrence: unknown byday " + byday);
    };
  }
}
