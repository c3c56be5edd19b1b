package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.Recurrence;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/** A series' neutral rule as stored in {@code series.rule_synced}: every field, by name. */
final class RuleSnapshots {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RuleSnapshots() {}

  static String write(Recurrence r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("pattern", r.pattern().name());
    o.put("interval", r.interval());
    ArrayNode days = o.putArray("days");
    r.daysOfWeek().forEach(d -> days.add(d.name()));
    o.put("first_day_of_week", r.firstDayOfWeek().name());
    o.put("day_of_month", r.dayOfMonth());
    o.put("index", r.index() == null ? null : r.index().name());
    o.put("month", r.month());
    o.put("short_months", r.shortMonths().name());
    o.put("start", r.startDate().toString());
    o.put("end", r.end().name());
    o.put("end_date", r.endDate() == null ? null : r.endDate().toString());
    o.put("count", r.count());
    o.put("zone", r.zone().getId());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rule, or null for null/blank JSON. */
  static Recurrence read(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      JsonNode o = JSON.readTree(json);
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      o.path("days").forEach(d -> days.add(DayOfWeek.valueOf(d.asText())));
      return new Recurrence(Recurrence.Pattern.valueOf(o.path("pattern").asText()), o.path("interval").asInt(), days,
          DayOfWeek.valueOf(o.path("first_day_of_week").asText()), o.path("day_of_month").asInt(),
          o.path("index").isTextual() ? Recurrence.WeekIndex.valueOf(o.path("index").asText()) : null, o.path("month").asInt(),
          Recurrence.ShortMonths.valueOf(o.path("short_months").asText()), LocalDate.parse(o.path("start").asText()),
          Recurrence.End.valueOf(o.path("end").asText()),
          o.path("end_date").isTextual() ? LocalDate.parse(o.path("end_date").asText()) : null, o.path("count").asInt(),
          ZoneId.of(o.path("zone").asText()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("a stored series rule cannot be read: " + e.getMessage(), e);
    }
  }
}
