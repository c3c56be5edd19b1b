package io.outlooksync.sidecar.graph;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the sync engine needs of one Outlook event, read from Graph. Times are instants; the zone the organizer
 * wrote them in is kept as Graph names it ({@code originalStartTimeZone}, a Windows or IANA name). For all-day
 * events {@code startDate}/{@code endDate} hold the dates, end exclusive. Absent values are null (or empty lists).
 */
public record GraphEvent(
    String id,
    String iCalUId,
    String uid,
    String changeKey,
    Kind kind,
    String seriesMasterId,
    Instant originalStart,
    String subject,
    String bodyHtml,
    String bodyPreview,
    Instant start,
    Instant end,
    String originalStartTimeZone,
    String originalEndTimeZone,
    boolean allDay,
    LocalDate startDate,
    LocalDate endDate,
    String location,
    boolean onlineMeeting,
    String onlineMeetingUrl,
    String sensitivity,
    String showAs,
    boolean reminderOn,
    Integer reminderMinutesBeforeStart,
    Person organizer,
    boolean isOrganizer,
    String responseStatus,
    List<Attendee> attendees,
    boolean cancelled,
    Recurrence recurrence,
    Instant lastModified,
    String odooTag) implements DeltaItem {

  public GraphEvent {
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
  }

  /** Graph's {@code type}. */
  public enum Kind {
    SINGLE_INSTANCE, OCCURRENCE, EXCEPTION, SERIES_MASTER
  }

  public record Person(String name, String address) {}

  /** {@code type}: required, optional, resource; {@code response}: Graph's responseStatus.response. */
  public record Attendee(String name, String address, String type, String response) {}

  /**
   * Graph's patternedRecurrence, field for field (wire spellings: {@code weekly}, {@code monday}, {@code first},
   * {@code endDate}...). Absent numbers are 0, absent lists empty.
   */
  public record Recurrence(
      String patternType, int interval, List<String> daysOfWeek, int dayOfMonth, String index,
      String firstDayOfWeek, int month, String rangeType, LocalDate rangeStart, LocalDate rangeEnd,
      int numberOfOccurrences, String recurrenceTimeZone) {
    public Recurrence {
      daysOfWeek = daysOfWeek == null ? List.of() : List.copyOf(daysOfWeek);
    }
  }
}
