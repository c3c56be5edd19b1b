package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Recurrence;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Odoo's rule fields and the neutral rule: what Odoo holds round-trips; what it cannot is refused, saying why. */
class OdooRecurrenceMapperTest {
  static final ZoneId BRUSSELS = OdooGatewayContract.BRUSSELS;
  static final DayOfWeek SUNDAY = DayOfWeek.SUNDAY;

  @Test
  void everyRuleOdooHoldsRoundTripsBothWays() {
    for (Recurrence r : OdooGatewayContract.odooRules()) {
      Mapped<OdooRule> odoo = OdooRecurrenceMapper.toOdoo(r, SUNDAY);
      assertNotNull(odoo.value(), odoo.notes().toString());
      Mapped<Recurrence> back = OdooRecurrenceMapper.toCore(odoo.value(), r.startDate(), SUNDAY, ZoneOffset.UTC);
      assertEquals(r, back.value(), back.notes().toString());
      assertEquals(odoo.value(), OdooRecurrenceMapper.toOdoo(back.value(), SUNDAY).value());
    }
  }

  @Test
  void theFieldsAreOdoos() {
    Recurrence lastFriday = new Recurrence(Recurrence.Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(DayOfWeek.FRIDAY), null,
        0, Recurrence.WeekIndex.LAST, 0, null, LocalDate.parse("2027-01-01"), Recurrence.End.END_DATE,
        LocalDate.parse("2027-06-30"), 0, BRUSSELS);
    OdooRule rule = OdooRecurrenceMapper.toOdoo(lastFriday, SUNDAY).value();
    assertEquals(new OdooRule("monthly", 1, "end_date", 0, LocalDate.parse("2027-06-25"), Set.of(), "day", 0,
        DayOfWeek.FRIDAY, "-1", "Europe/Brussels"), rule, "the end date is the last occurrence");
    assertEquals("FRI", rule.values().get("weekday"));
    assertEquals(false, rule.values().get("mon"));
    assertEquals(1, rule.values().get("count"), "Odoo's default, never 0");
  }

  @Test
  void forEverIsWrittenWithANoteOnOdoos720AndALargerCountIsRefused() {
    Recurrence daily = new Recurrence(Recurrence.Pattern.DAILY, 1, null, null, 0, null, 0, null, LocalDate.parse("2027-01-01"),
        Recurrence.End.NO_END, null, 0, BRUSSELS);
    Mapped<OdooRule> forever = OdooRecurrenceMapper.toOdoo(daily, SUNDAY);
    assertEquals("forever", forever.value().endType());
    assertTrue(forever.notes().get(0).contains("720"), forever.notes().toString());
    Recurrence thousand = new Recurrence(Recurrence.Pattern.DAILY, 1, null, null, 0, null, 0, null, LocalDate.parse("2027-01-01"),
        Recurrence.End.COUNT, null, 1000, BRUSSELS);
    assertRefused(thousand, "stores a count above 720 as 720");
  }

  @Test
  void rulesOdooCannotHoldAreRefusedWithTheReason() {
    LocalDate start = LocalDate.parse("2027-01-04");
    assertRefused(new Recurrence(Recurrence.Pattern.RELATIVE_YEARLY, 1, Recurrence.days(DayOfWeek.THURSDAY), null, 0,
        Recurrence.WeekIndex.FOURTH, 11, null, start, Recurrence.End.NO_END, null, 0, BRUSSELS), "no yearly rule on a weekday");
    assertRefused(new Recurrence(Recurrence.Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(DayOfWeek.SATURDAY, SUNDAY), null, 0,
        Recurrence.WeekIndex.FIRST, 0, null, start, Recurrence.End.NO_END, null, 0, BRUSSELS), "several weekdays");
    assertRefused(new Recurrence(Recurrence.Pattern.ABSOLUTE_MONTHLY, 1, null, null, 31, null, 0,
        Recurrence.ShortMonths.LAST_DAY, start, Recurrence.End.NO_END, null, 0, BRUSSELS), "Odoo skips them");
    assertRefused(new Recurrence(Recurrence.Pattern.ABSOLUTE_YEARLY, 1, null, null, 29, null, 2,
        Recurrence.ShortMonths.LAST_DAY, start, Recurrence.End.NO_END, null, 0, BRUSSELS), "February 29");
    assertRefused(new Recurrence(Recurrence.Pattern.WEEKLY, 2, Recurrence.days(DayOfWeek.MONDAY, DayOfWeek.SUNDAY),
        DayOfWeek.MONDAY, 0, null, 0, null, start, Recurrence.End.NO_END, null, 0, BRUSSELS), "weeks start on MONDAY");
    assertRefused(new Recurrence(Recurrence.Pattern.DAILY, 1, null, null, 0, null, 0, null, start, Recurrence.End.NO_END,
        null, 0, ZoneOffset.ofHours(2)), "bare offset");
    // the same weekly rule is fine for a Monday-week Odoo user, and a Monday one-day rule for anyone
    assertNotNull(OdooRecurrenceMapper.toOdoo(new Recurrence(Recurrence.Pattern.WEEKLY, 2,
        Recurrence.days(DayOfWeek.MONDAY, DayOfWeek.SUNDAY), DayOfWeek.MONDAY, 0, null, 0, null, start,
        Recurrence.End.NO_END, null, 0, BRUSSELS), DayOfWeek.MONDAY).value());
  }

  private static void assertRefused(Recurrence r, String why) {
    Mapped<OdooRule> m = OdooRecurrenceMapper.toOdoo(r, SUNDAY);
    assertNull(m.value());
    assertTrue(m.notes().get(0).contains(why), m.notes().toString());
  }

  @Test
  void odooRulesThatCannotBeReadAreRefusedAndAnUnknownZoneFallsBack() {
    LocalDate start = LocalDate.parse("2027-01-04");
    List<OdooRule> bad = List.of(
        new OdooRule("hourly", 1, "count", 2, null, Set.of(), null, 0, null, null, "UTC"),
        new OdooRule("weekly", 1, "count", 2, null, Set.of(), null, 0, null, null, "UTC"),
        new OdooRule("daily", 0, "count", 2, null, Set.of(), null, 0, null, null, "UTC"),
        new OdooRule("daily", 1, "end_date", 0, null, Set.of(), null, 0, null, null, "UTC"),
        new OdooRule("monthly", 1, "count", 2, null, Set.of(), "day", 0, DayOfWeek.MONDAY, null, "UTC"));
    for (OdooRule rule : bad) {
      Mapped<Recurrence> m = OdooRecurrenceMapper.toCore(rule, start, SUNDAY, BRUSSELS);
      assertNull(m.value(), rule.toString());
      assertTrue(m.notes().get(m.notes().size() - 1).startsWith("recurrence: "), m.notes().toString());
    }
    Mapped<Recurrence> mars = OdooRecurrenceMapper.toCore(new OdooRule("daily", 1, "count", 2, null, Set.of(), null, 0, null,
        null, "Mars/Olympus"), start, SUNDAY, BRUSSELS);
    assertEquals(BRUSSELS, mars.value().zone());
    assertTrue(mars.notes().get(0).contains("unknown time zone"), mars.notes().toString());
  }
}
