package io.outlooksync.sidecar.graph;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * An event as the engine wants it in Outlook. Timed events give instants plus the IANA zone they belong to
 * (written as its Windows name, since Graph refuses many IANA names such as Europe/Brussels); all-day events give
 * dates, end exclusive, plus the zone their midnights are in. {@code sensitivity}, {@code showAs} use Graph's
 * wire names ({@code normal}, {@code private}; {@code busy}, {@code free}...); null leaves Graph's default.
 */
public record GraphEventDraft(
    String subject,
    String bodyHtml,
    Instant start,
    Instant end,
    ZoneId zone,
    boolean allDay,
    LocalDate startDate,
    LocalDate endDate,
    String location,
    List<Attendee> attendees,
    String sensitivity,
    String showAs,
    Integer reminderMinutesBeforeStart,
    boolean onlineMeeting,
    String odooTag,
    GraphEvent.Recurrence recurrence) {

  public GraphEventDraft {
    Objects.requireNonNull(zone, "zone");
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
    if (allDay) {
      Objects.requireNonNull(startDate, "startDate");
      Objects.requireNonNull(endDate, "endDate");
      if (!endDate.isAfter(startDate)) {
        throw new IllegalArgumentException("an all-day event ends after the day it starts (end exclusive)");
      }
    } else {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (end.isBefore(start)) {
        throw new IllegalArgumentException("end before start");
      }
    }
  }

  /** A timed event with nothing else set; the {@code with...} methods fill the rest. */
  public static GraphEventDraft timed(String subject, Instant start, Instant end, ZoneId zone) {
    return new GraphEventDraft(subject, null, start, end, zone, false, null, null, null, List.of(), null, null, null, false, null, null);
  }

  public static GraphEventDraft allDay(String subject, LocalDate startDate, LocalDate endExclusive, ZoneId zone) {
    return new GraphEventDraft(subject, null, null, null, zone, true, startDate, endExclusive, null, List.of(), null, null, null, false, null, null);
  }

  public GraphEventDraft withBody(String html) {
    return new GraphEventDraft(subject, html, start, end, zone, allDay, startDate, endDate, location, attendees, sensitivity, showAs, reminderMinutesBeforeStart, onlineMeeting, odooTag, recurrence);
  }

  public GraphEventDraft withLocation(String where) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, where, attendees, sensitivity, showAs, reminderMinutesBeforeStart, onlineMeeting, odooTag, recurrence);
  }

  public GraphEventDraft withAttendees(List<Attendee> list) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, location, list, sensitivity, showAs, reminderMinutesBeforeStart, onlineMeeting, odooTag, recurrence);
  }

  public GraphEventDraft withPrivacy(String sensitivityValue, String showAsValue) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, location, attendees, sensitivityValue, showAsValue, reminderMinutesBeforeStart, onlineMeeting, odooTag, recurrence);
  }

  /** Minutes before start, or null for no reminder. */
  public GraphEventDraft withReminder(Integer minutes) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, location, attendees, sensitivity, showAs, minutes, onlineMeeting, odooTag, recurrence);
  }

  public GraphEventDraft withOnlineMeeting(boolean online) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, location, attendees, sensitivity, showAs, reminderMinutesBeforeStart, online, odooTag, recurrence);
  }

  public GraphEventDraft withTag(String tag) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, location, attendees, sensitivity, showAs, reminderMinutesBeforeStart, onlineMeeting, tag, recurrence);
  }

  /**
   * A series master: the recurrence Graph expands (its range starts on this draft's start date, the series'
   * first occurrence). Written on create only; a series' rule changes through {@link Field#RECURRENCE}.
   */
  public GraphEventDraft withRecurrence(GraphEvent.Recurrence rule) {
    return new GraphEventDraft(subject, bodyHtml, start, end, zone, allDay, startDate, endDate, location, attendees, sensitivity, showAs, reminderMinutesBeforeStart, onlineMeeting, odooTag, rule);
  }

  /** {@code type}: required, optional or resource. */
  public record Attendee(String name, String address, String type) {
    public Attendee {
      Objects.requireNonNull(address, "address");
      type = type == null ? "required" : type;
    }
  }

  /** The parts of a draft an update sends. Only these are written, since any meeting field mails attendees. */
  public enum Field {
    SUBJECT, BODY, TIMES, LOCATION, ATTENDEES, SENSITIVITY, SHOW_AS, REMINDER, ONLINE_MEETING, TAG, RECURRENCE
  }
}
