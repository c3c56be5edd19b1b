package io.outlooksync.sidecar.graph;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.Recurrence.End;
import io.outlooksync.sidecar.core.Recurrence.Pattern;
import io.outlooksync.sidecar.core.Recurrence.ShortMonths;
import io.outlooksync.sidecar.core.Recurrence.WeekIndex;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graph's patternedRecurrence and the neutral rule: every rule Outlook can hold round-trips exactly. */
class RecurrenceMappingTest {
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  static final LocalDate START = LocalDate.parse("2027-01-04");

  /** One rule per pattern type and end type, and the odd ones (last, several days, week start, 31st, Feb 29). */
  static List<Recurrence> outlookRules(ZoneId zone) {
    List<Recurrence> patterns = List.of(
        new Recurrence(Pattern.DAILY, 2, null, null, 0, null, 0, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.WEEKLY, 1, Recurrence.days(MONDAY, THURSDAY), null, 0, null, 0, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.WEEKLY, 3, Recurrence.days(SUNDAY, TUESDAY), MONDAY, 0, null, 0, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.ABSOLUTE_MONTHLY, 1, null, null, 15, null, 0, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.ABSOLUTE_MONTHLY, 2, null, null, 31, null, 0, ShortMonths.LAST_DAY, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(FRIDAY), null, 0, WeekIndex.LAST, 0, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.RELATIVE_MONTHLY, 3, Recurrence.days(SATURDAY, SUNDAY), null, 0, WeekIndex.SECOND, 0, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 14, null, 3, null, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 29, null, 2, ShortMonths.LAST_DAY, START, End.NO_END, null, 0, zone),
        new Recurrence(Pattern.RELATIVE_YEARLY, 2, Recurrence.days(THURSDAY), null, 0, WeekIndex.FOURTH, 11, null, START, End.NO_END, null, 0, zone));
    List<Recurrence> out = new ArrayList<>();
    for (Recurrence r : patterns) {
      out.add(r);
      out.add(r.endingOn(START.plusYears(3)));
      out.add(new Recurrence(r.pattern(), r.interval(), r.daysOfWeek(), r.firstDayOfWeek(), r.dayOfMonth(), r.index(),
          r.month(), r.shortMonths(), r.startDate(), End.COUNT, null, 7, zone));
    }
    return out;
  }

  @Test
  void everyOutlookRuleRoundTripsExactly() {
    for (ZoneId zone : List.of(BRUSSELS, ZoneId.of("America/New_York"), ZoneOffset.UTC)) {
      for (Recurrence r : outlookRules(zone)) {
        CoreMapping.Mapped<GraphEvent.Recurrence> written = RecurrenceMapping.write(r);
        assertNotNull(written.value(), r + ": " + written.notes());
        CoreMapping.Mapped<Recurrence> read = RecurrenceMapping.read(written.value(), null, zone);
        assertEquals(r, read.value(), read.notes().toString());
        assertEquals(List.of(), read.notes());
      }
    }
  }

  @Test
  void theWireFormIsGraphs() {
    Recurrence r = new Recurrence(Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(FRIDAY), null, 0, WeekIndex.LAST, 0,
        null, LocalDate.parse("2027-01-01"), End.COUNT, null, 5, BRUSSELS);
    GraphEvent.Recurrence g = RecurrenceMapping.write(r).value();
    assertEquals(new GraphEvent.Recurrence("relativeMonthly", 1, List.of("friday"), 0, "last", "sunday", 0, "numbered",
        LocalDate.parse("2027-01-29"), null, 5, "Romance Standard Time"), g, "the range starts on the first occurrence");
  }

  @Test
  void graphsRuleReadsWhateverItsStartDateAndZoneSpelling() {
    GraphEvent.Recurrence g = new GraphEvent.Recurrence("weekly", 1, List.of("monday"), 0, "first", "monday", 0,
        "endDate", LocalDate.parse("2027-01-01"), LocalDate.parse("2027-01-31"), 0, "Romance Standard Time");
    Recurrence paris = RecurrenceMapping.read(g, null, null).value();
    assertEquals(ZoneId.of("Europe/Paris"), paris.zone(), "CLDR's primary zone for the Windows name");
    assertEquals(LocalDate.parse("2027-01-04"), paris.startDate());
    assertEquals(BRUSSELS, RecurrenceMapping.read(g, null, BRUSSELS).value().zone(), "the zone we wrote is kept");
    GraphEvent.Recurrence noZone = new GraphEvent.Recurrence("daily", 1, List.of(), 0, null, null, 0, "noEnd",
        LocalDate.parse("2027-01-01"), LocalDate.parse("0001-01-01"), 0, null);
    assertEquals(ZoneId.of("America/New_York"), RecurrenceMapping.read(noZone, ZoneId.of("America/New_York"), null).value().zone());
  }

  @Test
  void rulesOutlookCannotHoldAreRefusedWithTheReason() {
    Recurrence day31 = new Recurrence(Pattern.ABSOLUTE_MONTHLY, 1, null, null, 31, null, 0, ShortMonths.SKIP, START,
        End.NO_END, null, 0, BRUSSELS);
    assertRefused(day31, "skips the months without day 31");
    Recurrence feb29 = new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 29, null, 2, ShortMonths.SKIP, START,
        End.NO_END, null, 0, BRUSSELS);
    assertRefused(feb29, "without February 29");
    Recurrence everyHundred = new Recurrence(Pattern.DAILY, 100, null, null, 0, null, 0, null, START, End.NO_END, null, 0, BRUSSELS);
    assertRefused(everyHundred, "interval 100");
    Recurrence offset = new Recurrence(Pattern.DAILY, 1, null, null, 0, null, 0, null, START, End.NO_END, null, 0,
        ZoneOffset.ofHours(3));
    assertRefused(offset, "no Windows name");
  }

  private static void assertRefused(Recurrence r, String why) {
    CoreMapping.Mapped<GraphEvent.Recurrence> m = RecurrenceMapping.write(r);
    assertNull(m.value());
    assertTrue(m.notes().get(0).contains(why), m.notes().toString());
  }

  @Test
  void unreadableRulesAreRefusedNotGuessed() {
    List<GraphEvent.Recurrence> bad = List.of(
        new GraphEvent.Recurrence("hourly", 1, List.of(), 0, null, null, 0, "noEnd", START, null, 0, "UTC"),
        new GraphEvent.Recurrence("weekly", 1, List.of(), 0, null, null, 0, "noEnd", START, null, 0, "UTC"),
        new GraphEvent.Recurrence("daily", 1, List.of(), 0, null, null, 0, "numbered", START, null, 0, "UTC"),
        new GraphEvent.Recurrence("daily", 1, List.of(), 0, null, null, 0, "noEnd", START, null, 0, "Mars Standard Time"),
        new GraphEvent.Recurrence("weekly", 1, List.of("someday"), 0, null, null, 0, "noEnd", START, null, 0, "UTC"),
        new GraphEvent.Recurrence("daily", 1, List.of(), 0, null, null, 0, "noEnd", null, null, 0, "UTC"));
    for (GraphEvent.Recurrence g : bad) {
      CoreMapping.Mapped<Recurrence> m = RecurrenceMapping.read(g, null, null);
      assertNull(m.value(), g.toString());
      assertTrue(m.notes().get(0).startsWith("recurrence not mapped: "), m.notes().toString());
    }
    assertNull(RecurrenceMapping.read(null, BRUSSELS, null).value());
  }
}
