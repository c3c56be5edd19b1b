package io.outlooksync.sidecar.graph;

import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Recurrence.End;
import io.outlooksync.sidecar.core.Recurrence.Pattern;
import io.outlooksync.sidecar.core.Recurrence.ShortMonths;
import io.outlooksync.sidecar.core.Recurrence.WeekIndex;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Graph's {@code patternedRecurrence} to and from the neutral {@link Recurrence}. Pure. A rule that cannot be read
 * (unknown words, missing fields) or written (a rule Outlook cannot hold) maps to no value and a note saying
 * why; the table of what maps is docs/recurrence.md.
 *
 * <p>Outlook puts an absolute pattern's day on the month's last day when the month is too short (EWS documents
 * it for {@code DayOfMonth}), so rules from Outlook read as {@link ShortMonths#LAST_DAY}, and a rule that skips
 * short months (Odoo's day 31, Odoo's yearly Feb 29) has no Outlook form.
 */
public final class RecurrenceMapping {
  /** Exchange's limit on an interval (EWS: 1 to 99 for every pattern); larger ones are not written. */
  static final int MAX_INTERVAL = 99;

  private RecurrenceMapping() {}

  /**
   * Graph to core. The zone is {@code recurrenceTimeZone}, else {@code seriesZone} (the master's start zone);
   * when the Windows name Graph holds is the one {@code preferred} writes as, {@code preferred} is kept (Graph
   * gives back Romance Standard Time for Europe/Brussels, which CLDR reads as Europe/Paris).
   */
  public static CoreMapping.Mapped<Recurrence> read(GraphEvent.Recurrence g, ZoneId seriesZone, ZoneId preferred) {
    List<String> notes = new ArrayList<>();
    if (g == null) {
      return new CoreMapping.Mapped<>(null, List.of("the series has no recurrence"));
    }
    try {
      Pattern pattern = pattern(g.patternType());
      ZoneId zone = seriesZone;
      if (g.recurrenceTimeZone() != null && !g.recurrenceTimeZone().isBlank()) {
        Optional<ZoneId> named = WindowsZones.zone(g.recurrenceTimeZone());
        if (named.isEmpty()) {
          return refused("its recurrence time zone is unknown: " + g.recurrenceTimeZone());
        }
        zone = named.get();
        if (preferred != null && WindowsZones.windowsName(preferred).map(w -> w.equalsIgnoreCase(g.recurrenceTimeZone().trim())).orElse(false)) {
          zone = preferred;
        }
      } else if (preferred != null && seriesZone != null && sameName(preferred, seriesZone)) {
        zone = preferred;
      }
      if (zone == null) {
        return refused("it has no recurrence time zone and no start zone");
      }
      End end = end(g.rangeType());
      Recurrence r = new Recurrence(pattern, g.interval(), days(g.daysOfWeek()), optionalDay(g.firstDayOfWeek()),
          g.dayOfMonth(), pattern == Pattern.RELATIVE_MONTHLY || pattern == Pattern.RELATIVE_YEARLY ? index(g.index()) : null,
          g.month(), ShortMonths.LAST_DAY, g.rangeStart(), end, end == End.END_DATE ? g.rangeEnd() : null,
          g.numberOfOccurrences(), zone);
      return new CoreMapping.Mapped<>(r, notes);
    } catch (IllegalArgumentException e) {
      return refused(e.getMessage());
    }
  }

  private static boolean sameName(ZoneId a, ZoneId b) {
    Optional<String> wa = WindowsZones.windowsName(a);
    return wa.isPresent() && wa.equals(WindowsZones.windowsName(b));
  }

  /**
   * Core to Graph, or no value with the reason when Outlook cannot hold the rule (the runner then syncs the
   * occurrences one by one). The zone is written as its Windows name; a zone without one is refused, since the
   * wall-clock time must follow the series' zone across DST.
   */
  public static CoreMapping.Mapped<GraphEvent.Recurrence> write(Recurrence r) {
    if (r.pattern() == Pattern.ABSOLUTE_MONTHLY && r.shortMonths() == ShortMonths.SKIP) {
      return refused("it skips the months without day " + r.dayOfMonth() + "; Outlook moves it to their last day");
    }
    if (r.pattern() == Pattern.ABSOLUTE_YEARLY && r.shortMonths() == ShortMonths.SKIP) {
      return refused("it skips the years without February 29; Outlook moves it to February 28");
    }
    if (r.interval() > MAX_INTERVAL) {
      return refused("its interval " + r.interval() + " is above Outlook's " + MAX_INTERVAL);
    }
    Optional<String> zone = WindowsZones.windowsName(r.zone());
    if (zone.isEmpty()) {
      return refused("its time zone " + r.zone() + " has no Windows name");
    }
    List<String> days = new ArrayList<>();
    for (DayOfWeek d : r.daysOfWeek()) {
      days.add(d.name().toLowerCase(Locale.ROOT));
    }
    GraphEvent.Recurrence g = new GraphEvent.Recurrence(wire(r.pattern()), r.interval(), days, r.dayOfMonth(),
        r.index() == null ? "first" : r.index().name().toLowerCase(Locale.ROOT),
        r.firstDayOfWeek().name().toLowerCase(Locale.ROOT), r.month(),
        switch (r.end()) {
          case END_DATE -> "endDate";
          case COUNT -> "numbered";
          case NO_END -> "noEnd";
        },
        r.startDate(), r.endDate(), r.count(), zone.get());
    return new CoreMapping.Mapped<>(g, List.of());
  }

  private static <T> CoreMapping.Mapped<T> refused(String why) {
    return new CoreMapping.Mapped<>(null, List.of("recurrence not mapped: " + why));
  }

  private static Pattern pattern(String wire) {
    if (wire == null) {
      throw new IllegalArgumentException("recurrence: the pattern type is missing");
    }
    return switch (wire) {
      case "daily" -> Pattern.DAILY;
      case "weekly" -> Pattern.WEEKLY;
      case "absoluteMonthly" -> Pattern.ABSOLUTE_MONTHLY;
      case "relativeMonthly" -> Pattern.RELATIVE_MONTHLY;
      case "absoluteYearly" -> Pattern.ABSOLUTE_YEARLY;
      case "relativeYearly" -> Pattern.RELATIVE_YEARLY;
      default -> throw new IllegalArgumentException("recurrence: unknown pattern type " + wire);
    };
  }

  private static String wire(Pattern p) {
    return switch (p) {
      case DAILY -> "daily";
      case WEEKLY -> "weekly";
      case ABSOLUTE_MONTHLY -> "absoluteMonthly";
      case RELATIVE_MONTHLY -> "relativeMonthly";
      case ABSOLUTE_YEARLY -> "absoluteYearly";
      case RELATIVE_YEARLY -> "relativeYearly";
    };
  }

  private static End end(String wire) {
    if (wire == null) {
      throw new IllegalArgumentException("recurrence: the range type is missing");
    }
    return switch (wire) {
      case "endDate" -> End.END_DATE;
      case "numbered" -> End.COUNT;
      case "noEnd" -> End.NO_END;
      default -> throw new IllegalArgumentException("recurrence: unknown range type " + wire);
    };
  }

  private static WeekIndex index(String wire) {
    if (wire == null) {
      return WeekIndex.FIRST; // Graph's default
    }
    for (WeekIndex i : WeekIndex.values()) {
      if (i.name().equalsIgnoreCase(wire)) {
        return i;
      }
    }
    throw new IllegalArgumentException("recurrence: unknown index " + wire);
  }

  private static Set<DayOfWeek> days(List<String> wire) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String w : wire) {
      out.add(day(w));
    }
    return out;
  }

  private static DayOfWeek optionalDay(String wire) {
    return wire == null ? null : day(wire);
  }

  private static DayOfWeek day(String wire) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equalsIgnoreCase(wire)) {
        return d;
      }
    }
    throw new IllegalArgumentException("recurrence: unknown day " + wire);
  }
}
