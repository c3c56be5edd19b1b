package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field changes for calendar.event {@code write}, in Odoo's wire form. Two equal instances are written in one
 * call for all their events, so equality is that of the values.
 */
public final class EventChanges {
  private final Map<String, Object> values = new LinkedHashMap<>();

  private EventChanges() {}

  public static EventChanges of() {
    return new EventChanges();
  }

  public EventChanges name(String name) {
    return put("name", name);
  }

  /** A timed event from {@code start} to {@code stop}; clears all-day. */
  public EventChanges times(Instant start, Instant stop) {
    put("allday", false);
    put("start", Wire.datetime(start));
    return put("stop", Wire.datetime(stop));
  }

  /** An all-day event over these days, both inclusive as Odoo counts them. */
  public EventChanges allDay(LocalDate first, LocalDate last) {
    put("allday", true);
    put("start_date", first.toString());
    return put("stop_date", last.toString());
  }

  public EventChanges description(String html) {
    return put("description", html);
  }

  public EventChanges location(String location) {
    return put("location", location);
  }

  public EventChanges videocallLocation(String url) {
    return put("videocall_location", url);
  }

  /** public, private, confidential, or null for the user's default. */
  public EventChanges privacy(String privacy) {
    return put("privacy", privacy);
  }

  /** free or busy. */
  public EventChanges showAs(String showAs) {
    return put("show_as", showAs);
  }

  public EventChanges organizer(Long uid) {
    return put("user_id", uid == null ? null : Wire.id(uid));
  }

  /** Replaces the attendees' partners (Odoo keeps the answers of partners that stay). */
  public EventChanges partners(Collection<Long> partnerIds) {
    List<Integer> ids = new ArrayList<>();
    partnerIds.forEach(id -> ids.add(Wire.id(id)));
    values.put("partner_ids", List.of(List.of(6, 0, ids)));
    return this;
  }

  /** Replaces the reminders with these calendar.alarm ids. */
  public EventChanges alarms(Collection<Long> alarmIds) {
    values.put("alarm_ids", List.of(List.of(6, 0, Wire.ids(alarmIds))));
    return this;
  }

  public EventChanges active(boolean active) {
    return put("active", active);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The field names changed, for logs (never the values). */
  public java.util.Set<String> fields() {
    return java.util.Collections.unmodifiableSet(values.keySet());
  }

  Map<String, Object> values() {
    return new LinkedHashMap<>(values);
  }

  /** Odoo has no null: an empty value is False. */
  private EventChanges put(String field, Object value) {
    values.put(field, value == null ? Boolean.FALSE : value);
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventChanges other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "EventChanges" + values.keySet();
  }
}
