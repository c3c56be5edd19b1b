package io.outlooksync.sidecar.graph;

import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.Sensitivity;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import com.microsoft.graph.models.WeekIndex;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.events.item.EventItemRequestBuilder;
import com.microsoft.graph.users.item.events.item.accept.AcceptPostRequestBody;
import com.microsoft.graph.users.item.events.item.cancel.CancelPostRequestBody;
import com.microsoft.graph.users.item.events.item.decline.DeclinePostRequestBody;
import com.microsoft.graph.users.item.events.item.tentativelyaccept.TentativelyAcceptPostRequestBody;
import com.microsoft.kiota.RequestInformation;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a {@link GraphWrite} into the SDK's request. Every call builds fresh model objects: the SDK's backing
 * store marks values clean once serialized, so a reused {@code Event} would be sent without them on a retry.
 */
final class WriteRequests {
  private static final DateTimeFormatter WALL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private final GraphServiceClient graph;
  private final String prefer;

  WriteRequests(GraphServiceClient graph, String readZone) {
    this.graph = graph;
    // Batch steps do not inherit the envelope's headers, so each carries the preferences itself.
    this.prefer = PreferInterceptor.merged(List.of(), readZone);
  }

  RequestInformation request(GraphWrite write) {
    RequestInformation info;
    if (write instanceof GraphWrite.Create c) {
      info = graph.me().events().toPostRequestInformation(created(c));
    } else if (write instanceof GraphWrite.Update u) {
      info = event(u.id()).toPatchRequestInformation(changes(u.changes(), u.fields()));
      if (u.ifMatch() != null) {
        info.headers.add("If-Match", u.ifMatch());
      }
    } else if (write instanceof GraphWrite.Delete d) {
      info = event(d.id()).toDeleteRequestInformation();
    } else if (write instanceof GraphWrite.Cancel c) {
      CancelPostRequestBody body = new CancelPostRequestBody();
      body.setComment(c.comment() == null ? "" : c.comment());
      info = event(c.id()).cancel().toPostRequestInformation(body);
    } else {
      info = answer((GraphWrite.Answer) write);
    }
    info.headers.tryAdd("Prefer", prefer);
    return info;
  }

  private EventItemRequestBuilder event(String id) {
    return graph.me().events().byEventId(id);
  }

  private RequestInformation answer(GraphWrite.Answer a) {
    return switch (a.response()) {
      case ACCEPT -> {
        AcceptPostRequestBody b = new AcceptPostRequestBody();
        b.setSendResponse(a.sendResponse());
        b.setComment(a.comment());
        yield event(a.id()).accept().toPostRequestInformation(b);
      }
      case DECLINE -> {
        DeclinePostRequestBody b = new DeclinePostRequestBody();
        b.setSendResponse(a.sendResponse());
        b.setComment(a.comment());
        yield event(a.id()).decline().toPostRequestInformation(b);
      }
      case TENTATIVE -> {
        TentativelyAcceptPostRequestBody b = new TentativelyAcceptPostRequestBody();
        b.setSendResponse(a.sendResponse());
        b.setComment(a.comment());
        yield event(a.id()).tentativelyAccept().toPostRequestInformation(b);
      }
    };
  }

  private static Event created(GraphWrite.Create c) {
    Event e = changes(c.draft(), Set.of(GraphEventDraft.Field.values()));
    e.setTransactionId(c.transactionId());
    return e;
  }

  /** A new {@code Event} holding only the given fields of the draft. */
  static Event changes(GraphEventDraft d, Set<GraphEventDraft.Field> fields) {
    Event e = new Event();
    for (GraphEventDraft.Field f : fields) {
      switch (f) {
        case SUBJECT -> e.setSubject(d.subject() == null ? "" : d.subject());
        case BODY -> {
          ItemBody body = new ItemBody();
          body.setContentType(BodyType.Html);
          body.setContent(d.bodyHtml() == null ? "" : d.bodyHtml());
          e.setBody(body);
        }
        case TIMES -> times(e, d);
        case LOCATION -> {
          Location where = new Location();
          where.setDisplayName(d.location() == null ? "" : d.location());
          e.setLocation(where);
        }
        case ATTENDEES -> e.setAttendees(attendees(d.attendees()));
        case SENSITIVITY -> {
          if (d.sensitivity() != null) {
            e.setSensitivity(Sensitivity.forValue(d.sensitivity()));
          }
        }
        case SHOW_AS -> {
          if (d.showAs() != null) {
            e.setShowAs(FreeBusyStatus.forValue(d.showAs()));
          }
        }
        case REMINDER -> {
          e.setIsReminderOn(d.reminderMinutesBeforeStart() != null);
          if (d.reminderMinutesBeforeStart() != null) {
            e.setReminderMinutesBeforeStart(d.reminderMinutesBeforeStart());
          }
        }
        // Always explicit: left out, some clients' defaults turn every new event into a Teams meeting.
        case ONLINE_MEETING -> e.setIsOnlineMeeting(d.onlineMeeting());
        case RECURRENCE -> {
          if (d.recurrence() != null) {
            e.setRecurrence(recurrence(d.recurrence()));
          }
        }
        case TAG -> {
          if (d.odooTag() != null) {
            SingleValueLegacyExtendedProperty p = new SingleValueLegacyExtendedProperty();
            p.setId(OdooTag.PROPERTY_ID);
            p.setValue(d.odooTag());
            e.setSingleValueExtendedProperties(new ArrayList<>(List.of(p)));
          }
        }
      }
    }
    return e;
  }

  private static void times(Event e, GraphEventDraft d) {
    String windows = WindowsZones.windowsName(d.zone()).orElse(null);
    // A zone without a Windows name is written as UTC: the instant is what must be right.
    ZoneId zone = windows == null ? ZoneOffset.UTC : d.zone();
    String name = windows == null ? "UTC" : windows;
    e.setIsAllDay(d.allDay());
    if (d.allDay()) {
      e.setStart(wall(d.startDate().atStartOfDay(), name));
      e.setEnd(wall(d.endDate().atStartOfDay(), name));
    } else {
      if (repeated(d.start(), zone) || repeated(d.end(), zone)) {
        // In the hour a fall-back night repeats, the wall time alone names two instants: UTC names one.
        zone = ZoneOffset.UTC;
        name = "UTC";
      }
      e.setStart(wall(LocalDateTime.ofInstant(d.start(), zone), name));
      e.setEnd(wall(LocalDateTime.ofInstant(d.end(), zone), name));
    }
  }

  /** Whether {@code at}'s wall time in {@code zone} is one the clocks show twice. */
  private static boolean repeated(Instant at, ZoneId zone) {
    return zone.getRules().getValidOffsets(LocalDateTime.ofInstant(at, zone)).size() > 1;
  }

  private static PatternedRecurrence recurrence(GraphEvent.Recurrence r) {
    RecurrencePattern p = new RecurrencePattern();
    p.setType(RecurrencePatternType.forValue(r.patternType()));
    p.setInterval(r.interval());
    List<DayOfWeek> days = new ArrayList<>();
    for (String d : r.daysOfWeek()) {
      days.add(DayOfWeek.forValue(d));
    }
    p.setDaysOfWeek(days);
    p.setFirstDayOfWeek(DayOfWeek.forValue(r.firstDayOfWeek()));
    if (r.dayOfMonth() > 0) {
      p.setDayOfMonth(r.dayOfMonth());
    }
    if (r.month() > 0) {
      p.setMonth(r.month());
    }
    p.setIndex(WeekIndex.forValue(r.index()));
    RecurrenceRange range = new RecurrenceRange();
    range.setType(RecurrenceRangeType.forValue(r.rangeType()));
    range.setStartDate(r.rangeStart());
    if (r.rangeEnd() != null) {
      range.setEndDate(r.rangeEnd());
    }
    if (r.numberOfOccurrences() > 0) {
      range.setNumberOfOccurrences(r.numberOfOccurrences());
    }
    range.setRecurrenceTimeZone(r.recurrenceTimeZone());
    PatternedRecurrence out = new PatternedRecurrence();
    out.setPattern(p);
    out.setRange(range);
    return out;
  }

  private static DateTimeTimeZone wall(LocalDateTime local, String zoneName) {
    DateTimeTimeZone t = new DateTimeTimeZone();
    t.setDateTime(WALL.format(local));
    t.setTimeZone(zoneName);
    return t;
  }

  private static List<com.microsoft.graph.models.Attendee> attendees(List<GraphEventDraft.Attendee> list) {
    List<com.microsoft.graph.models.Attendee> out = new ArrayList<>();
    for (GraphEventDraft.Attendee a : list) {
      EmailAddress address = new EmailAddress();
      address.setAddress(a.address());
      address.setName(a.name());
      com.microsoft.graph.models.Attendee attendee = new com.microsoft.graph.models.Attendee();
      attendee.setEmailAddress(address);
      AttendeeType type = AttendeeType.forValue(a.type());
      attendee.setType(type == null ? AttendeeType.Required : type);
      out.add(attendee);
    }
    return out;
  }
}
