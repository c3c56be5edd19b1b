package io.outlooksync.sidecar.core;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Recurrence.End;
import io.outlooksync.sidecar.core.Recurrence.Pattern;
import io.outlooksync.sidecar.core.Recurrence.ShortMonths;
import io.outlooksync.sidecar.core.Recurrence.WeekIndex;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The neutral rule: validation, its canonical form, and the dates and times it expands to. */
class RecurrenceTest {
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  static Recurrence rule(Pattern p, int interval, Set<DayOfWeek> days, int dayOfMonth, WeekIndex index, int month,
                         String start, End end, String endDate, int count) {
    return new Recurrence(p, interval, days, null, dayOfMonth, index, month, null, LocalDate.parse(start), end,
        endDate == null ? null : LocalDate.parse(endDate), count, BRUSSELS);
  }

  static List<LocalDate> dates(String... iso) {
    return Stream.of(iso).map(LocalDate::parse).toList();
  }

  @Test
  void dailyWithIntervalAndCount() {
    Recurrence r = rule(Pattern.DAILY, 3, null, 0, null, 0, "2026-03-27", End.COUNT, null, 4);
    assertEquals(dates("2026-03-27", "2026-03-30", "2026-04-02", "2026-04-05"), r.allDates());
    assertEquals(LocalDate.parse("2026-04-05"), r.last());
  }

  @Test
  void weeklyCountsWeeksFromTheStartsWeekAndTheStartMovesToTheFirstOccurrence() {
    // Odoo 18 gave exactly these for a Wednesday 2026-03-04 start, every 2 weeks on Monday and Friday, 4 times
    // (weeks starting on Sunday, the en_US week).
    Recurrence r = new Recurrence(Pattern.WEEKLY, 2, Recurrence.days(MONDAY, FRIDAY), SUNDAY, 0, null, 0, null,
        LocalDate.parse("2026-03-04"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(dates("2026-03-06", "2026-03-16", "2026-03-20", "2026-03-30"), r.allDates());
    assertEquals(LocalDate.parse("2026-03-06"), r.startDate(), "canonical: the start is the first occurrence");
    Recurrence monday = new Recurrence(Pattern.WEEKLY, 2, Recurrence.days(MONDAY, FRIDAY), MONDAY, 0, null, 0, null,
        LocalDate.parse("2026-03-04"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(dates("2026-03-06", "2026-03-16", "2026-03-20", "2026-03-30"), monday.allDates());
    Recurrence sundayAndMonday = new Recurrence(Pattern.WEEKLY, 2, Recurrence.days(SUNDAY, MONDAY), MONDAY, 0, null, 0,
        null, LocalDate.parse("2026-03-02"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(dates("2026-03-02", "2026-03-08", "2026-03-16", "2026-03-22"), sundayAndMonday.allDates(),
        "a week from Monday holds Monday 2 and Sunday 8");
    Recurrence sundayWeeks = new Recurrence(Pattern.WEEKLY, 2, Recurrence.days(SUNDAY, MONDAY), SUNDAY, 0, null, 0,
        null, LocalDate.parse("2026-03-02"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(dates("2026-03-02", "2026-03-15", "2026-03-16", "2026-03-29"), sundayWeeks.allDates());
  }

  @Test
  void theFirstDayOfTheWeekIsKeptOnlyWhereItChangesTheDates() {
    Recurrence everyWeek = new Recurrence(Pattern.WEEKLY, 1, Recurrence.days(MONDAY, FRIDAY), MONDAY, 0, null, 0, null,
        LocalDate.parse("2026-03-02"), End.NO_END, null, 0, BRUSSELS);
    assertEquals(SUNDAY, everyWeek.firstDayOfWeek());
    Recurrence oneDay = new Recurrence(Pattern.WEEKLY, 2, Recurrence.days(MONDAY), MONDAY, 0, null, 0, null,
        LocalDate.parse("2026-03-02"), End.NO_END, null, 0, BRUSSELS);
    assertEquals(SUNDAY, oneDay.firstDayOfWeek());
    Recurrence twoDays = new Recurrence(Pattern.WEEKLY, 2, Recurrence.days(MONDAY, FRIDAY), MONDAY, 0, null, 0, null,
        LocalDate.parse("2026-03-02"), End.NO_END, null, 0, BRUSSELS);
    assertEquals(MONDAY, twoDays.firstDayOfWeek());
  }

  @Test
  void theThirtyFirstTakesTheLastDayOrSkipsTheMonth() {
    Recurrence outlook = new Recurrence(Pattern.ABSOLUTE_MONTHLY, 1, null, null, 31, null, 0, ShortMonths.LAST_DAY,
        LocalDate.parse("2026-01-31"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(dates("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"), outlook.allDates());
    // Odoo 18 gave 01-31, 03-31, 05-31, 07-31 for "day 31, 4 times".
    Recurrence odoo = new Recurrence(Pattern.ABSOLUTE_MONTHLY, 1, null, null, 31, null, 0, ShortMonths.SKIP,
        LocalDate.parse("2026-01-31"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(dates("2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"), odoo.allDates());
    assertNotEquals(outlook, odoo);
    Recurrence fifteenth = new Recurrence(Pattern.ABSOLUTE_MONTHLY, 1, null, null, 15, null, 0, ShortMonths.SKIP,
        LocalDate.parse("2026-01-15"), End.COUNT, null, 4, BRUSSELS);
    assertEquals(ShortMonths.LAST_DAY, fifteenth.shortMonths(), "no month is too short for the 15th");
  }

  @Test
  void february29thYearly() {
    Recurrence skip = new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 29, null, 2, ShortMonths.SKIP,
        LocalDate.parse("2028-02-29"), End.COUNT, null, 3, BRUSSELS);
    assertEquals(dates("2028-02-29", "2032-02-29", "2036-02-29"), skip.allDates(), "what Odoo 18 creates");
    Recurrence lastDay = new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 29, null, 2, ShortMonths.LAST_DAY,
        LocalDate.parse("2028-02-29"), End.COUNT, null, 3, BRUSSELS);
    assertEquals(dates("2028-02-29", "2029-02-28", "2030-02-28"), lastDay.allDates());
    // 2100 is not a leap year: the gap is eight years, and the walk goes on past it.
    Recurrence century = new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 29, null, 2, ShortMonths.SKIP,
        LocalDate.parse("2096-02-29"), End.COUNT, null, 2, BRUSSELS);
    assertEquals(dates("2096-02-29", "2104-02-29"), century.allDates());
    assertThrows(IllegalArgumentException.class, () -> new Recurrence(Pattern.ABSOLUTE_YEARLY, 1, null, null, 30, null,
        2, null, LocalDate.parse("2028-02-01"), End.NO_END, null, 0, BRUSSELS));
  }

  @Test
  void relativeMonthlyLastFridayAndFirstOfSeveralDays() {
    Recurrence lastFriday = rule(Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(FRIDAY), 0, WeekIndex.LAST, 0,
        "2026-01-30", End.END_DATE, "2026-05-29", 0);
    // Odoo 18: "Every 1 Months on the Last Friday until 2026-05-29"
    assertEquals(dates("2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24", "2026-05-29"), lastFriday.allDates());
    Recurrence firstWeekendDay = rule(Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(SATURDAY, SUNDAY), 0,
        WeekIndex.FIRST, 0, "2026-03-01", End.COUNT, null, 3);
    assertEquals(dates("2026-03-01", "2026-04-04", "2026-05-02"), firstWeekendDay.allDates());
    Recurrence fourthThursday = rule(Pattern.RELATIVE_YEARLY, 1, Recurrence.days(THURSDAY), 0, WeekIndex.FOURTH, 11,
        "2026-01-01", End.COUNT, null, 2);
    assertEquals(dates("2026-11-26", "2027-11-25"), fourthThursday.allDates());
    assertEquals(LocalDate.parse("2026-11-26"), fourthThursday.startDate());
  }

  @Test
  void anEndDateIsInclusiveAndMayEndTheSeriesBeforeAnyOccurrence() {
    Recurrence r = rule(Pattern.WEEKLY, 1, Recurrence.days(WEDNESDAY), 0, null, 0, "2026-03-02", End.END_DATE,
        "2026-03-18", 0);
    assertEquals(dates("2026-03-04", "2026-03-11", "2026-03-18"), r.allDates());
    Recurrence none = rule(Pattern.WEEKLY, 1, Recurrence.days(WEDNESDAY), 0, null, 0, "2026-03-02", End.END_DATE,
        "2026-03-03", 0);
    assertEquals(List.of(), none.allDates());
    assertNull(none.first());
    assertEquals(LocalDate.parse("2026-03-02"), none.startDate(), "without an occurrence the start stays");
  }

  @Test
  void aSeriesWithoutEndExpandsOnlyInsideTheWindowAndAllOfIt() {
    Recurrence daily = rule(Pattern.DAILY, 1, null, 0, null, 0, "1990-01-01", End.NO_END, null, 0);
    List<LocalDate> window = daily.dates(LocalDate.parse("2026-01-01"), LocalDate.parse("2028-12-31"));
    assertEquals(1096, window.size(), "no cap inside the window (Odoo stops at 720)");
    assertEquals(LocalDate.parse("2026-01-01"), window.get(0));
    assertThrows(IllegalStateException.class, daily::allDates);
    assertNull(daily.last());
    Recurrence counted = rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-01-01", End.COUNT, null, 1000);
    assertEquals(1000, counted.allDates().size(), "a count above Odoo's 720 is kept whole");
  }

  @Test
  void invalidRulesAreRefusedWithTheirReason() {
    assertMessage("interval must be at least 1", () -> rule(Pattern.DAILY, 0, null, 0, null, 0, "2026-01-01", End.NO_END, null, 0));
    assertMessage("needs at least one day", () -> rule(Pattern.WEEKLY, 1, Set.of(), 0, null, 0, "2026-01-01", End.NO_END, null, 0));
    assertMessage("needs an index", () -> rule(Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(MONDAY), 0, null, 0, "2026-01-01", End.NO_END, null, 0));
    assertMessage("day of the month must be 1 to 31", () -> rule(Pattern.ABSOLUTE_MONTHLY, 1, null, 32, null, 0, "2026-01-01", End.NO_END, null, 0));
    assertMessage("month must be 1 to 12", () -> rule(Pattern.ABSOLUTE_YEARLY, 1, null, 3, null, 13, "2026-01-01", End.NO_END, null, 0));
    assertMessage("at least 1 occurrence", () -> rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-01-01", End.COUNT, null, 0));
    assertMessage("before the start date", () -> rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-01-01", End.END_DATE, "2025-12-31", 0));
    assertMessage("needs the date", () -> rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-01-01", End.END_DATE, null, 0));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable make) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void unusedFieldsAreClearedSoEqualRulesAreEqual() {
    Recurrence a = new Recurrence(Pattern.DAILY, 2, Recurrence.days(MONDAY), MONDAY, 14, WeekIndex.LAST, 7,
        ShortMonths.SKIP, LocalDate.parse("2026-01-01"), End.COUNT, LocalDate.parse("2026-02-01"), 3, BRUSSELS);
    Recurrence b = rule(Pattern.DAILY, 2, null, 0, null, 0, "2026-01-01", End.COUNT, null, 3);
    assertEquals(b, a);
  }

  @Test
  void splittingEndsOneRuleAndStartsAnother() {
    Recurrence r = rule(Pattern.WEEKLY, 1, Recurrence.days(MONDAY), 0, null, 0, "2026-03-02", End.COUNT, null, 6);
    assertEquals(dates("2026-03-02", "2026-03-09"), r.endingOn(LocalDate.parse("2026-03-15")).allDates());
    // Odoo ends the first half on the day before the split's week (Saturday 03-14), Outlook on the day before the
    // split (Sunday 03-15): the same dates, so the same rule.
    assertEquals(r.endingOn(LocalDate.parse("2026-03-14")), r.endingOn(LocalDate.parse("2026-03-15")));
    assertEquals(LocalDate.parse("2026-03-09"), r.endingOn(LocalDate.parse("2026-03-15")).endDate());
    assertEquals(dates("2026-03-16", "2026-03-23", "2026-03-30"),
        r.startingOn(LocalDate.parse("2026-03-16")).dates(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31")));
  }

  @Test
  void weeklyAcrossDstKeepsTheWallClockInBrusselsAndNewYork() {
    // Odoo 18 stored 08:00, 08:00, 07:00 UTC for 09:00 Brussels on 03-16, 03-23, 03-30 (DST began 03-29).
    Recurrence brussels = rule(Pattern.WEEKLY, 1, Recurrence.days(MONDAY), 0, null, 0, "2026-03-16", End.COUNT, null, 3);
    Instant nine = Instant.parse("2026-03-16T08:00:00Z");
    List<Occurrences.Occurrence> b = Occurrences.between(brussels, When.timed(nine, nine.plusSeconds(3600), BRUSSELS),
        Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"));
    assertEquals(List.of(Instant.parse("2026-03-16T08:00:00Z"), Instant.parse("2026-03-23T08:00:00Z"),
        Instant.parse("2026-03-30T07:00:00Z")), b.stream().map(o -> o.when().start()).toList());
    assertTrue(b.stream().allMatch(o -> o.originalStart().toLocalTime().equals(LocalTime.of(9, 0))));

    Recurrence newYork = new Recurrence(Pattern.WEEKLY, 1, Recurrence.days(SUNDAY), null, 0, null, 0, null,
        LocalDate.parse("2026-10-25"), End.COUNT, null, 3, NEW_YORK);
    Instant ny = Instant.parse("2026-10-25T14:00:00Z"); // 10:00 EDT
    List<Occurrences.Occurrence> n = Occurrences.between(newYork, When.timed(ny, ny.plusSeconds(1800), NEW_YORK),
        Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    assertEquals(List.of(Instant.parse("2026-10-25T14:00:00Z"), Instant.parse("2026-11-01T15:00:00Z"),
        Instant.parse("2026-11-08T15:00:00Z")), n.stream().map(o -> o.when().start()).toList(),
        "10:00 in New York every Sunday, EST from November 1st");
  }

  @Test
  void timesThatDoNotExistOrHappenTwiceOnADstDay() {
    Recurrence daily = rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-03-28", End.COUNT, null, 3);
    Instant half2 = Instant.parse("2026-03-28T01:30:00Z"); // 02:30 CET
    List<Occurrences.Occurrence> spring = Occurrences.between(daily, When.timed(half2, half2.plusSeconds(600), BRUSSELS),
        Instant.parse("2026-03-27T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"), spring.get(1).when().start(), "02:30 does not exist: 03:30 CEST");
    Recurrence autumn = rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-10-24", End.COUNT, null, 2);
    Instant half2s = Instant.parse("2026-10-24T00:30:00Z"); // 02:30 CEST
    List<Occurrences.Occurrence> fall = Occurrences.between(autumn, When.timed(half2s, half2s.plusSeconds(600), BRUSSELS),
        Instant.parse("2026-10-20T00:00:00Z"), Instant.parse("2026-10-30T00:00:00Z"));
    assertEquals(Instant.parse("2026-10-25T01:30:00Z"), fall.get(1).when().start(), "02:30 twice: the later (CET), as Odoo");
  }

  @Test
  void theWindowHoldsOccurrencesThatOverlapIt() {
    Recurrence daily = rule(Pattern.DAILY, 1, null, 0, null, 0, "2026-01-01", End.NO_END, null, 0);
    Instant start = Instant.parse("2026-01-01T22:00:00Z"); // 23:00 to 01:00 Brussels
    List<Occurrences.Occurrence> w = Occurrences.between(daily, When.timed(start, start.plusSeconds(7200), BRUSSELS),
        Instant.parse("2026-01-31T23:30:00Z"), Instant.parse("2026-02-01T23:30:00Z"));
    assertEquals(dates("2026-01-31", "2026-02-01"), w.stream().map(Occurrences.Occurrence::date).toList());

    Recurrence weekly = rule(Pattern.WEEKLY, 1, Recurrence.days(FRIDAY), 0, null, 0, "2026-01-02", End.NO_END, null, 0);
    List<Occurrences.Occurrence> days = Occurrences.between(weekly,
        When.allDay(LocalDate.parse("2026-01-02"), LocalDate.parse("2026-01-04"), BRUSSELS),
        Instant.parse("2026-01-10T12:00:00Z"), Instant.parse("2026-01-17T00:00:00Z"));
    assertEquals(dates("2026-01-09", "2026-01-16"), days.stream().map(Occurrences.Occurrence::date).toList(),
        "the two-day occurrence of Jan 9 runs into the window");
    assertEquals(LocalDate.parse("2026-01-18"), days.get(1).when().endDateExclusive());
  }
}
