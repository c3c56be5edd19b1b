package io.outlooksync.sidecar.graph;

import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.SyncInput;
import io.outlooksync.sidecar.core.When;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Outlook events to and from the reconciler's neutral {@link CalEvent}. Pure: no I/O, no clock. What cannot map
 * becomes a note for that event (worded without its content, so notes can be logged), never an exception.
 * Decisions and the field table are in docs/field-mapping.md ("Graph side"); in short:
 * <ul>
 *   <li>attendees never include the organizer (Graph lists them apart; the Odoo side drops the organizer too);
 *   <li>Outlook holds one reminder: the one closest to the start is written, and read back as the only one;
 *   <li>we never ask Graph for a Teams meeting; a video link from Odoo travels in the location ({@link VideoLink});
 *   <li>quiet mode writes no attendees, and nothing else differs, so the description never carries our notes.
 * </ul>
 */
public final class CoreMapping {
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  private CoreMapping() {}

  /** A mapped value and what could not be carried over. */
  public record Mapped<T>(T value, List<String> notes) {
    public Mapped {
      notes = List.copyOf(notes);
    }
  }

  /**
   * What an update sends: the draft and which of its parts to write ({@link GraphWrite.Update} sends only those).
   * Empty when none of the asked fields can be written to Outlook.
   */
  public record Patch(GraphEventDraft changes, Set<GraphEventDraft.Field> fields, List<String> notes) {
    public Patch {
      fields = fields.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fields));
      notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
      return fields.isEmpty();
    }

    /** The write for this patch, or null when there is nothing to write. */
    public GraphWrite.Update toWrite(String graphId, String changeKey) {
      return isEmpty() ? null : new GraphWrite.Update(graphId, changes, fields, changeKey);
    }
  }

  // ---- Outlook -> core

  public static CalEvent toCore(GraphEvent e) {
    return read(e).value();
  }

  public static Mapped<CalEvent> read(GraphEvent e) {
    List<String> notes = new ArrayList<>();
    ZoneId zone = zone(e.originalStartTimeZone(), notes);
    VideoLink.Split where = VideoLink.split(e.location());
    String video = where.link();
    if (e.onlineMeetingUrl() != null && !e.onlineMeetingUrl().isBlank()) {
      if (video != null && !video.equals(e.onlineMeetingUrl())) {
        notes.add("the event has an online meeting; the other video link in its location is not carried over");
      }
      video = e.onlineMeetingUrl();
    }
    Person organizer = e.organizer() == null ? null : new Person(e.organizer().name(), e.organizer().address());
    CalEvent c = new CalEvent(
        e.subject(),
        when(e, zone, notes),
        BodyLimit.inner(e.bodyHtml()),
        where.place(),
        video,
        privacy(e.sensitivity(), notes),
        showAs(e.showAs(), notes),
        e.reminderOn() && e.reminderMinutesBeforeStart() != null ? List.of(Math.max(0, e.reminderMinutesBeforeStart())) : List.of(),
        organizer,
        attendees(e.attendees(), organizer, notes));
    return new Mapped<>(c, notes);
  }

  /** The reconciler's view of this mailbox's copy; the user's own answer is the one Graph gives for the mailbox. */
  public static SyncInput.OutlookState toState(GraphEvent e, String mailbox) {
    return readState(e, mailbox).value();
  }

  public static Mapped<SyncInput.OutlookState> readState(GraphEvent e, String mailbox) {
    Mapped<CalEvent> read = read(e);
    Response own = e.isOrganizer() ? Response.ACCEPTED : response(e.responseStatus());
    CalEvent content = e.isOrganizer() ? read.value() : withAnswer(read.value(), mailbox, own);
    SyncInput.OutlookState state = new SyncInput.OutlookState(e.id(), e.iCalUId(), e.changeKey(), content, e.isOrganizer(),
        e.cancelled(), own, e.lastModified());
    return new Mapped<>(state, read.notes());
  }

  /** Graph's {@code sensitivity} as privacy: normal is Odoo's default; personal is read as private (hidden). */
  static Privacy privacy(String sensitivity, List<String> notes) {
    if (sensitivity == null) {
      return Privacy.DEFAULT;
    }
    return switch (sensitivity) {
      case "normal" -> Privacy.DEFAULT;
      case "personal", "private" -> Privacy.PRIVATE;
      case "confidential" -> Privacy.CONFIDENTIAL;
      default -> {
        notes.add("unknown sensitivity '" + sensitivity + "' read as default");
        yield Privacy.DEFAULT;
      }
    };
  }

  static ShowAs showAs(String wire, List<String> notes) {
    if (wire == null) {
      return ShowAs.BUSY;
    }
    return switch (wire) {
      case "free" -> ShowAs.FREE;
      case "tentative" -> ShowAs.TENTATIVE;
      case "busy" -> ShowAs.BUSY;
      case "oof" -> ShowAs.OUT_OF_OFFICE;
      case "workingElsewhere" -> ShowAs.WORKING_ELSEWHERE;
      case "unknown" -> ShowAs.UNKNOWN;
      default -> {
        notes.add("unknown showAs '" + wire + "' read as busy");
        yield ShowAs.BUSY;
      }
    };
  }

  static Response response(String wire) {
    if (wire == null) {
      return Response.NONE;
    }
    return switch (wire) {
      case "accepted", "organizer" -> Response.ACCEPTED;
      case "tentativelyAccepted" -> Response.TENTATIVE;
      case "declined" -> Response.DECLINED;
      default -> Response.NONE; // none, notResponded
    };
  }

  private static ZoneId zone(String name, List<String> notes) {
    if (name == null || name.isBlank()) {
      return ZoneOffset.UTC;
    }
    return WindowsZones.zone(name).orElseGet(() -> {
      notes.add("unknown time zone '" + name + "'; times kept, zone taken as UTC");
      return ZoneOffset.UTC;
    });
  }

  private static When when(GraphEvent e, ZoneId zone, List<String> notes) {
    if (e.allDay()) {
      LocalDate first = e.startDate() != null ? e.startDate() : e.start().atZone(zone).toLocalDate();
      LocalDate end = e.endDate() != null ? e.endDate() : e.end().atZone(zone).toLocalDate();
      if (!end.isAfter(first)) {
        notes.add("all-day event ending on its first day; read as one day");
        end = first.plusDays(1);
      }
      return When.allDay(first, end, zone);
    }
    if (e.end().isBefore(e.start())) {
      notes.add("event ending before it starts; read as ending at its start");
      return When.timed(e.start(), e.start(), zone);
    }
    return When.timed(e.start(), e.end(), zone);
  }

  private static List<Attendee> attendees(List<GraphEvent.Attendee> list, Person organizer, List<String> notes) {
    List<Attendee> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (organizer != null && organizer.hasEmail()) {
      seen.add(organizer.key());
    }
    int withoutAddress = 0;
    for (GraphEvent.Attendee a : list) {
      Person p = new Person(a.name(), a.address());
      if (!p.hasEmail()) {
        withoutAddress++;
        continue;
      }
      if (seen.add(p.key())) {
        out.add(new Attendee(p, "optional".equalsIgnoreCase(a.type()), response(a.response())));
      }
    }
    if (withoutAddress > 0) {
      notes.add(withoutAddress + " attendee(s) without an address in Outlook left out");
    }
    return out;
  }

  /** The mailbox's own entry carries its real answer (Graph's attendee list on an invitee's copy lags behind). */
  private static CalEvent withAnswer(CalEvent c, String mailbox, Response own) {
    if (mailbox == null || c.responseOf(mailbox) == null) {
      return c;
    }
    List<Attendee> out = new ArrayList<>();
    for (Attendee a : c.attendees()) {
      boolean self = a.person().hasEmail() && a.person().email().equalsIgnoreCase(mailbox);
      out.add(self ? new Attendee(a.person(), a.optional(), own) : a);
    }
    return new CalEvent(c.title(), c.when(), c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), c.organizer(), out);
  }

  // ---- core -> Outlook

  /**
   * A new Outlook event. {@code quiet}: no attendees (a time block; nobody is mailed). Never a Teams meeting:
   * {@code isOnlineMeeting} is written false, and a video link goes into the location.
   */
  public static GraphEventDraft toDraft(CalEvent c, boolean quiet, String odooTagValue) {
    return draft(c, quiet, odooTagValue).value();
  }

  public static Mapped<GraphEventDraft> draft(CalEvent c, boolean quiet, String odooTagValue) {
    List<String> notes = new ArrayList<>();
    GraphEventDraft d = build(c, quiet, EnumSet.allOf(GraphEventDraft.Field.class), notes)
        .withOnlineMeeting(false)
        .withTag(odooTagValue);
    return new Mapped<>(d, notes);
  }

  /** An update of an existing event that writes only what {@code fields} need. */
  public static Patch toUpdate(Set<Field> fields, CalEvent target) {
    return toUpdate(fields, target, false);
  }

  /**
   * As {@link #toUpdate(Set, CalEvent)}; {@code quiet} (the event was written as a time block) never writes
   * attendees. Answers of other people cannot be written through Graph: RESPONSES alone writes nothing.
   * {@code isOnlineMeeting} is never part of an update: sent false, it could drop a Teams meeting set up in Outlook.
   */
  public static Patch toUpdate(Set<Field> fields, CalEvent target, boolean quiet) {
    List<String> notes = new ArrayList<>();
    EnumSet<GraphEventDraft.Field> parts = EnumSet.noneOf(GraphEventDraft.Field.class);
    for (Field f : fields) {
      switch (f) {
        case TITLE -> parts.add(GraphEventDraft.Field.SUBJECT);
        case WHEN -> parts.add(GraphEventDraft.Field.TIMES);
        case DESCRIPTION -> parts.add(GraphEventDraft.Field.BODY);
        case LOCATION, VIDEO_URL -> parts.add(GraphEventDraft.Field.LOCATION);
        case PRIVACY -> parts.add(GraphEventDraft.Field.SENSITIVITY);
        case SHOW_AS -> parts.add(GraphEventDraft.Field.SHOW_AS);
        case REMINDERS -> parts.add(GraphEventDraft.Field.REMINDER);
        case ATTENDEES -> {
          if (quiet) {
            notes.add("attendees not written: the event is a quiet time block in Outlook");
          } else {
            parts.add(GraphEventDraft.Field.ATTENDEES);
          }
        }
        case RESPONSES -> notes.add("attendees' answers cannot be written to Outlook; each attendee's own reply updates it");
      }
    }
    GraphEventDraft d = build(target, quiet, parts, notes);
    return new Patch(d, parts, notes);
  }

  /** The draft of {@code c}; notes only for the parts that will be written. */
  private static GraphEventDraft build(CalEvent c, boolean quiet, Set<GraphEventDraft.Field> parts, List<String> notes) {
    When w = c.when();
    if (parts.contains(GraphEventDraft.Field.TIMES) && WindowsZones.windowsName(w.zone()).isEmpty()) {
      notes.add("time zone " + w.zone().getId() + " has no Windows name; written as UTC (same instants)");
    }
    GraphEventDraft d = w.allDay()
        ? GraphEventDraft.allDay(c.title(), w.startDate(), w.endDateExclusive(), w.zone())
        : GraphEventDraft.timed(c.title(), w.start(), w.end(), w.zone());
    List<String> ignored = new ArrayList<>();
    return d
        .withBody(BodyLimit.cap(c.descriptionHtml(), parts.contains(GraphEventDraft.Field.BODY) ? notes : ignored))
        .withLocation(VideoLink.join(c.location(), c.videoUrl()))
        .withAttendees(attendees(c, quiet, parts.contains(GraphEventDraft.Field.ATTENDEES) ? notes : ignored))
        .withPrivacy(sensitivity(c.privacy()), showAs(c.showAs()))
        .withReminder(reminder(c.reminderMinutes(), parts.contains(GraphEventDraft.Field.REMINDER) ? notes : ignored));
  }

  static String sensitivity(Privacy p) {
    return switch (p) {
      case DEFAULT, PUBLIC -> "normal";
      case PRIVATE -> "private";
      case CONFIDENTIAL -> "confidential";
    };
  }

  static String showAs(ShowAs s) {
    return switch (s) {
      case FREE -> "free";
      case BUSY -> "busy";
      case TENTATIVE -> "tentative";
      case OUT_OF_OFFICE -> "oof";
      case WORKING_ELSEWHERE -> "workingElsewhere";
      case UNKNOWN -> "unknown";
    };
  }

  /** The one reminder Outlook holds: the one closest to the start (the last warning), or null for none. */
  static Integer reminder(List<Integer> minutes, List<String> notes) {
    Integer closest = null;
    int negative = 0;
    for (Integer m : minutes) {
      if (m == null || m < 0) {
        negative++;
      } else if (closest == null || m < closest) {
        closest = m;
      }
    }
    if (negative > 0) {
      notes.add(negative + " reminder(s) after the start cannot be set in Outlook");
    }
    long others = minutes.stream().filter(m -> m != null && m >= 0).distinct().count() - 1;
    if (others > 0) {
      notes.add("Outlook holds one reminder: kept the one " + closest + " min before the start, " + others + " other(s) stay in Odoo only");
    }
    return closest;
  }

  private static List<GraphEventDraft.Attendee> attendees(CalEvent c, boolean quiet, List<String> notes) {
    if (quiet) {
      if (c.isMeeting()) {
        notes.add("quiet mode: " + c.attendees().size() + " attendee(s) not written to Outlook, nobody is mailed");
      }
      return List.of();
    }
    List<GraphEventDraft.Attendee> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (c.organizer() != null && c.organizer().hasEmail()) {
      seen.add(c.organizer().key());
    }
    int unusable = 0;
    for (Attendee a : c.attendees()) {
      Person p = a.person();
      if (!p.hasEmail() || !ADDRESS.matcher(p.email()).matches()) {
        unusable++;
        continue;
      }
      if (seen.add(p.key())) {
        out.add(new GraphEventDraft.Attendee(p.name(), p.email(), a.optional() ? "optional" : "required"));
      }
    }
    if (unusable > 0) {
      notes.add(unusable + " attendee(s) without a usable e-mail address left out of Outlook");
    }
    return out;
  }
}
