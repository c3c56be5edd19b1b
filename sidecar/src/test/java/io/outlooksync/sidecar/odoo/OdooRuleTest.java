package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Yearly rules as Odoo 17 can keep them (months), and read back as years. */
class OdooRuleTest {
  static OdooRule rule(String type, int interval, String monthBy, int day) {
    return new OdooRule(type, interval, "end_date", 0, LocalDate.parse("2035-01-01"), Set.of(), monthBy, day, null, null,
        "Europe/Brussels");
  }

  @Test
  void aYearlyRuleIsWrittenToOdoo17AsTwelveTimesItsIntervalInMonthsOnItsDay() {
    OdooRule everyOtherYear = rule("yearly", 2, "date", 22);
    OdooRule months = everyOtherYear.inMonths();
    assertEquals(rule("monthly", 24, "date", 22), months);
    assertEquals(everyOtherYear, months.asYears());
  }

  @Test
  void otherRulesStayAsTheyAre() {
    OdooRule monthly = rule("monthly", 6, "date", 22);
    assertSame(monthly, monthly.inMonths());
    assertSame(monthly, monthly.asYears(), "6 months is not a year");
    OdooRule byWeekday = new OdooRule("monthly", 12, "count", 3, null, Set.of(), "day", 0, java.time.DayOfWeek.FRIDAY, "-1",
        "Europe/Brussels");
    assertSame(byWeekday, byWeekday.asYears(), "the last Friday every 12 months is no date of a year");
  }

  @Test
  void aYearlyRuleWithoutItsDayCannotBeWrittenAsMonths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule("yearly", 1, null, 0).inMonths());
    assertEquals("a yearly rule for Odoo 17 needs its day of the month", e.getMessage());
  }
}
