package io.outlooksync.sidecar.odoo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rule fields of Odoo 18's {@code calendar.recurrence}, as read or to be written (they are also writable on a
 * {@code calendar.event} with {@code recurrency} True). Selections keep Odoo's spellings: {@code rruleType}
 * daily, weekly, monthly, yearly; {@code endType} count, end_date, forever; {@code monthBy} date or day;
 * {@code byday} "1" to "4" or "-1". Absent values are null (or 0, or an empty set).
 */
public record OdooRule(String rruleType, int interval, String endType, int count, LocalDate until,
                       Set<DayOfWeek> weekdays, String monthBy, int day, DayOfWeek weekday, String byday,
                       String eventTz) {
  static final String[] DAY_FIELDS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  public OdooRule {
    weekdays = weekdays == null || weekdays.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(weekdays));
  }

  static OdooRule of(Row row) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < DAY_FIELDS.length; i++) {
      if (row.bool(DAY_FIELDS[i])) {
        days.add(DayOfWeek.of(i + 1));
      }
    }
    String weekday = row.string("weekday");
    return new OdooRule(row.string("rrule_type"), row.integer("interval"), row.string("end_type"), row.integer("count"),
        row.date("until"), days, row.string("month_by"), row.integer("day"),
        weekday == null ? null : weekday(weekday), row.string("byday"), row.string("event_tz"));
  }

  static final java.util.List<String> FIELDS = java.util.List.of("rrule_type", "interval", "end_type", "count", "until",
      "mon", "tue", "wed", "thu", "fri", "sat", "sun", "month_by", "day", "weekday", "byday", "event_tz");

  private static DayOfWeek weekday(String odoo) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().startsWith(odoo.toUpperCase(Locale.ROOT)) && odoo.length() == 3) {
        return d;
      }
    }
    throw new OdooProtocolException("calendar.recurrence: weekday " + odoo + " is not a day");
  }

  /**
   * A yearly rule as Odoo 17 can keep it: monthly, 12 times the interval, on the rule's day. Odoo 17 stores a
   * yearly rule as every 12 months on the day of the month it was saved (not the series' day), so the series
   * would later expand on the wrong day; the same dates written as months come back unchanged. Other rules are
   * returned as they are.
   */
  OdooRule inMonths() {
    if (!"yearly".equals(rruleType)) {
      return this;
    }
    if (day < 1) {
      throw new IllegalArgumentException("a yearly rule for Odoo 17 needs its day of the month");
    }
    return new OdooRule("monthly", interval * 12, endType, count, until, weekdays, "date", day, null, null, eventTz);
  }

  /**
   * How a rule Odoo 17 stores reads: 17 has no yearly rule of its own (see {@link #inMonths()}), so every 12
   * months on a date is taken as yearly, on the series' first date. That is also the right reading of a yearly
   * series made in Odoo 17, whose stored day is the day it was saved while its events are on the first date's.
   */
  OdooRule asYears() {
    if (!"monthly".equals(rruleType) || !"date".equals(monthBy) || interval < 12 || interval % 12 != 0) {
      return this;
    }
    return new OdooRule("yearly", interval / 12, endType, count, until, weekdays, monthBy, day, null, null, eventTz);
  }

  /** Every rule field, explicit (Odoo never takes nil: empty values are False). */
  Map<String, Object> values() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("rrule_type", rruleType);
    v.put("interval", interval);
    v.put("end_type", endType);
    v.put("count", Math.max(count, 1));
    v.put("until", until == null ? false : until.toString());
    for (int i = 0; i < DAY_FIELDS.length; i++) {
      v.put(DAY_FIELDS[i], weekdays.contains(DayOfWeek.of(i + 1)));
    }
    v.put("month_by", monthBy == null ? "date" : monthBy);
    v.put("day", day < 1 ? 1 : day);
    v.put("weekday", weekday == null ? false : weekday.name().substring(0, 3));
    v.put("byday", byday == null ? false : byday);
    v.put("event_tz", eventTz == null ? false : eventTz);
    return v;
  }
}
