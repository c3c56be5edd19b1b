package io.outlooksync.sidecar.graph;

import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import com.microsoft.kiota.serialization.UntypedNode;
import com.microsoft.kiota.serialization.UntypedObject;
import com.microsoft.kiota.serialization.UntypedString;
import com.microsoft.kiota.serialization.ValuedEnum;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the SDK's {@link Event} into our records. Never throws: an event it cannot read becomes a
 * {@link GraphEventError} with the id and a reason free of event content, so one bad item does not stop a round.
 */
final class EventMapper {
  private EventMapper() {}

  static DeltaItem map(Event e) {
    String id = e == null ? null : e.getId();
    try {
      if (e == null) {
        return new GraphEventError(null, "empty item");
      }
      Map<String, Object> extra = e.getAdditionalData();
      if (extra != null && extra.containsKey("@removed")) {
        return new DeltaItem.Removed(id, removedReason(extra.get("@removed")));
      }
      if (id == null || id.isBlank()) {
        return new GraphEventError(id, "event without id");
      }
      GraphEvent.Kind kind = kind(e.getType());
      if (kind == GraphEvent.Kind.OCCURRENCE && e.getSubject() == null) {
        // calendarView delta sends occurrences reduced to id, series and times.
        return new DeltaItem.OccurrenceStub(id, e.getSeriesMasterId(), instant(e.getStart(), "start"), instant(e.getEnd(), "end"));
      }
      return event(e, id, kind);
    } catch (MappingFailure | DateTimeException | ArithmeticException f) {
      return new GraphEventError(id, f.getMessage());
    } catch (RuntimeException f) {
      // A shape nobody foresaw: report its type, never its text (it may quote content).
      return new GraphEventError(id, "unreadable event (" + f.getClass().getSimpleName() + ")");
    }
  }

  private static GraphEvent event(Event e, String id, GraphEvent.Kind kind) {
    boolean allDay = Boolean.TRUE.equals(e.getIsAllDay());
    Instant start = instant(e.getStart(), "start");
    Instant end = instant(e.getEnd(), "end");
    LocalDate startDate = null;
    LocalDate endDate = null;
    if (allDay) {
      startDate = allDayDate(e.getStart(), e.getOriginalStartTimeZone());
      endDate = allDayDate(e.getEnd(), e.getOriginalEndTimeZone());
    }
    Recipient organizer = e.getOrganizer();
    return new GraphEvent(
        id,
        e.getICalUId(),
        text(e.getAdditionalData(), "uid"),
        e.getChangeKey(),
        kind,
        e.getSeriesMasterId(),
        e.getOriginalStart() == null ? null : e.getOriginalStart().toInstant(),
        e.getSubject(),
        bodyHtml(e.getBody()),
        e.getBodyPreview(),
        start,
        end,
        e.getOriginalStartTimeZone(),
        e.getOriginalEndTimeZone(),
        allDay,
        startDate,
        endDate,
        e.getLocation() == null ? null : blankToNull(e.getLocation().getDisplayName()),
        Boolean.TRUE.equals(e.getIsOnlineMeeting()),
        e.getOnlineMeeting() != null && e.getOnlineMeeting().getJoinUrl() != null
            ? e.getOnlineMeeting().getJoinUrl() : e.getOnlineMeetingUrl(),
        wire(e.getSensitivity()),
        wire(e.getShowAs()),
        !Boolean.FALSE.equals(e.getIsReminderOn()),
        e.getReminderMinutesBeforeStart(),
        organizer == null || organizer.getEmailAddress() == null ? null
            : new GraphEvent.Person(organizer.getEmailAddress().getName(), organizer.getEmailAddress().getAddress()),
        Boolean.TRUE.equals(e.getIsOrganizer()),
        e.getResponseStatus() == null ? null : wire(e.getResponseStatus().getResponse()),
        attendees(e),
        Boolean.TRUE.equals(e.getIsCancelled()),
        recurrence(e.getRecurrence()),
        e.getLastModifiedDateTime() == null ? null : e.getLastModifiedDateTime().toInstant(),
        tag(e.getSingleValueExtendedProperties()));
  }

  private static GraphEvent.Kind kind(EventType type) {
    if (type == null) {
      return GraphEvent.Kind.SINGLE_INSTANCE;
    }
    return switch (type) {
      case SingleInstance -> GraphEvent.Kind.SINGLE_INSTANCE;
      case Occurrence -> GraphEvent.Kind.OCCURRENCE;
      case Exception -> GraphEvent.Kind.EXCEPTION;
      case SeriesMaster -> GraphEvent.Kind.SERIES_MASTER;
    };
  }

  /** A Graph {@code dateTimeTimeZone} as an instant; the zone may be Windows or IANA (or UTC, as we ask). */
  static Instant instant(DateTimeTimeZone t, String which) {
    return local(t, which).atZone(zone(t, which)).toInstant();
  }

  private static LocalDateTime local(DateTimeTimeZone t, String which) {
    if (t == null || t.getDateTime() == null) {
      throw new MappingFailure("no " + which + " time");
    }
    try {
      return LocalDateTime.parse(t.getDateTime());
    } catch (DateTimeException e) {
      throw new MappingFailure("unreadable " + which + " time");
    }
  }

  private static ZoneId zone(DateTimeTimeZone t, String which) {
    String name = t.getTimeZone();
    if (name == null || name.isBlank()) {
      return ZoneOffset.UTC; // Graph's default when it does not say
    }
    return WindowsZones.zone(name).orElseThrow(() -> new MappingFailure("unknown " + which + " time zone '" + name + "'"));
  }

  /**
   * The calendar date of an all-day boundary. Graph writes all-day events as midnight in the zone it was asked
   * to reply in, or (as the emulator does) as the instant of midnight in the event's own zone: the first
   * reading that lands on midnight wins, so the date never shifts by one around UTC.
   */
  private static LocalDate allDayDate(DateTimeTimeZone t, String originalZone) {
    LocalDateTime written = local(t, "all-day");
    if (written.toLocalTime().equals(LocalTime.MIDNIGHT)) {
      return written.toLocalDate();
    }
    if (originalZone != null) {
      var own = WindowsZones.zone(originalZone);
      if (own.isPresent()) {
        LocalDateTime there = written.atZone(zone(t, "all-day")).withZoneSameInstant(own.get()).toLocalDateTime();
        if (there.toLocalTime().equals(LocalTime.MIDNIGHT)) {
          return there.toLocalDate();
        }
      }
    }
    throw new MappingFailure("all-day event not at midnight");
  }

  private static String bodyHtml(ItemBody body) {
    if (body == null || body.getContent() == null) {
      return null;
    }
    if (body.getContentType() == BodyType.Text) {
      String s = body.getContent();
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>");
    }
    return body.getContent();
  }

  private static List<GraphEvent.Attendee> attendees(Event e) {
    List<GraphEvent.Attendee> out = new ArrayList<>();
    if (e.getAttendees() == null) {
      return out;
    }
    for (com.microsoft.graph.models.Attendee a : e.getAttendees()) {
      if (a == null || a.getEmailAddress() == null) {
        continue; // Graph refuses attendees without address on write; a bare entry carries nothing to sync
      }
      out.add(new GraphEvent.Attendee(a.getEmailAddress().getName(), a.getEmailAddress().getAddress(), wire(a.getType()),
          a.getStatus() == null ? null : wire(a.getStatus().getResponse())));
    }
    return out;
  }

  private static GraphEvent.Recurrence recurrence(PatternedRecurrence r) {
    if (r == null || r.getPattern() == null) {
      return null;
    }
    RecurrencePattern p = r.getPattern();
    RecurrenceRange range = r.getRange();
    List<String> days = new ArrayList<>();
    if (p.getDaysOfWeek() != null) {
      p.getDaysOfWeek().forEach(d -> days.add(wire(d)));
    }
    return new GraphEvent.Recurrence(
        wire(p.getType()), orZero(p.getInterval()), days, orZero(p.getDayOfMonth()), wire(p.getIndex()),
        wire(p.getFirstDayOfWeek()), orZero(p.getMonth()),
        range == null ? null : wire(range.getType()),
        range == null ? null : range.getStartDate(),
        range == null ? null : range.getEndDate(),
        range == null ? 0 : orZero(range.getNumberOfOccurrences()),
        range == null ? null : range.getRecurrenceTimeZone());
  }

  private static String tag(List<SingleValueLegacyExtendedProperty> props) {
    if (props == null) {
      return null;
    }
    for (SingleValueLegacyExtendedProperty p : props) {
      if (p != null && OdooTag.PROPERTY_ID.equalsIgnoreCase(p.getId())) {
        return p.getValue();
      }
    }
    return null;
  }

  private static String removedReason(Object removed) {
    if (removed instanceof UntypedObject o) {
      UntypedNode reason = o.getValue().get("reason");
      if (reason instanceof UntypedString s) {
        return s.getValue();
      }
    }
    if (removed instanceof Map<?, ?> m && m.get("reason") != null) {
      return String.valueOf(m.get("reason"));
    }
    return "deleted";
  }

  private static String text(Map<String, Object> extra, String key) {
    Object v = extra == null ? null : extra.get(key);
    if (v instanceof UntypedString s) {
      return s.getValue();
    }
    return v instanceof String s ? s : null;
  }

  private static String wire(ValuedEnum v) {
    return v == null ? null : v.getValue();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Why an event could not be read, worded without its content. */
  static final class MappingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MappingFailure(String reason) {
      super(reason, null, false, false);
    }
  }
}
