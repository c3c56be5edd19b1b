package io.outlooksync.sidecar.odoo;

import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.When;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Odoo's calendar.event ⇄ the neutral {@link CalEvent}, both ways, as pure functions: everything needed comes in
 * through {@link OdooContext} and {@link DraftContext}. Bad data never throws: what cannot map is left out or
 * replaced by a stated default, and said in the result's notes (ids and field names only, never content).
 *
 * <p>Conventions shared with the Graph mapping (docs/field-mapping.md):
 * <ul>
 *   <li>the organizer is {@link CalEvent#organizer()} only, never one of the attendees (Odoo lists the
 *       organizer's partner as an attendee; Outlook does not), so an Odoo event nobody else attends is not a
 *       meeting;
 *   <li>times are instants; the zone is the organizer's (or the series') for presentation only;
 *   <li>all-day ends are exclusive (Odoo's stop_date is inclusive).
 * </ul>
 */
public final class OdooEventMapper {
  /** Shown when a title is empty: Odoo requires one. */
  static final String NO_TITLE = "(no subject)";

  private OdooEventMapper() {}

  // ------------------------------------------------------------------ Odoo → core

  public static Mapped<CalEvent> toCore(OdooEvent e, OdooContext ctx) {
    List<String> notes = new ArrayList<>();
    ZoneId zone = zone(e, ctx, notes);
    When when = when(e, zone, notes);
    if (when == null) {
      return new Mapped<>(null, notes);
    }
    Person organizer = organizer(ctx);
    Long organizerPartner = ctx.organizer() == null ? null : ctx.organizer().partnerId();
    CalEvent c = new CalEvent(e.name(), when, e.description(), e.location(), e.videocallLocation(),
        privacy(e.privacy(), notes), showAs(e.showAs(), notes), reminders(e.alarmIds(), ctx.alarms(), notes), organizer,
        attendees(e.id(), organizerPartner, ctx, notes));
    return new Mapped<>(c, notes);
  }

  /** The organizer's zone, or the series' for a recurring event (its rule is in that zone); UTC otherwise. */
  private static ZoneId zone(OdooEvent e, OdooContext ctx, List<String> notes) {
    String name = null;
    if (e.recurrency() && ctx.eventTz() != null && !ctx.eventTz().isBlank()) {
      name = ctx.eventTz();
    } else if (ctx.organizer() != null) {
      name = ctx.organizer().tz();
    }
    if (name == null || name.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(name.strip());
    } catch (DateTimeException ex) {
      notes.add("time zone \"" + printable(name) + "\" is unknown: UTC used");
      return ZoneOffset.UTC;
    }
  }

  private static When when(OdooEvent e, ZoneId zone, List<String> notes) {
    if (e.allday()) {
      LocalDate first = e.startDate() != null ? e.startDate() : e.start() == null ? null : LocalDate.ofInstant(e.start(), zone);
      LocalDate last = e.stopDate() != null ? e.stopDate() : e.stop() == null ? first : LocalDate.ofInstant(e.stop(), zone);
      if (first == null) {
        notes.add("all-day event without a start date: not synced");
        return null;
      }
      if (last == null || last.isBefore(first)) {
        notes.add("all-day event ends before it starts: kept as a one-day event");
        last = first;
      }
      // Odoo's stop_date is the last day (inclusive); the core's end is the day after (exclusive).
      return When.allDay(first, last.plusDays(1), zone);
    }
    Instant start = e.start();
    Instant stop = e.stop();
    if (start == null && stop == null) {
      notes.add("event without start and stop: not synced");
      return null;
    }
    if (start == null || stop == null) {
      notes.add("event without " + (start == null ? "start" : "stop") + ": kept as an instant");
      start = start == null ? stop : start;
      stop = start;
    } else if (stop.isBefore(start)) {
      // Odoo's constraint forbids it, so it is damage: an instant at the start invents no time slot.
      notes.add("event stops before it starts: kept as an instant at its start");
      stop = start;
    }
    return When.timed(start, stop, zone);
  }

  private static Privacy privacy(String odoo, List<String> notes) {
    if (odoo == null) {
      return Privacy.DEFAULT; // False: the organizer's default privacy applies
    }
    return switch (odoo) {
      case "public" -> Privacy.PUBLIC;
      case "private" -> Privacy.PRIVATE;
      case "confidential" -> Privacy.CONFIDENTIAL;
      default -> {
        notes.add("privacy \"" + printable(odoo) + "\" is unknown: default used");
        yield Privacy.DEFAULT;
      }
    };
  }

  private static ShowAs showAs(String odoo, List<String> notes) {
    if (odoo == null || odoo.equals("busy")) {
      return ShowAs.BUSY;
    }
    if (odoo.equals("free")) {
      return ShowAs.FREE;
    }
    notes.add("show as \"" + printable(odoo) + "\" is unknown: busy used");
    return ShowAs.BUSY;
  }

  /** Minutes before the start, distinct and ascending; sms alarms and unknown alarms are left out. */
  private static List<Integer> reminders(List<Long> alarmIds, Map<Long, OdooAlarm> alarms, List<String> notes) {
    TreeSet<Integer> minutes = new TreeSet<>();
    for (Long id : alarmIds) {
      OdooAlarm alarm = alarms.get(id);
      if (alarm == null) {
        notes.add("reminder " + id + " is not known: left out");
      } else if (!alarm.syncable()) {
        notes.add("reminder " + id + " is of type " + printable(alarm.alarmType()) + ", which Outlook has not: left out");
      } else if (alarm.minutesBefore() == null || alarm.minutesBefore() < 0) {
        notes.add("reminder " + id + " has an unknown interval: left out");
      } else {
        minutes.add(alarm.minutesBefore());
      }
    }
    return List.copyOf(minutes);
  }

  private static Person organizer(OdooContext ctx) {
    OdooUser user = ctx.organizer();
    if (user == null) {
      return null;
    }
    String email = user.email();
    if (email == null || email.isBlank()) {
      OdooPartner p = ctx.partners().get(user.partnerId());
      email = p == null ? null : p.email();
    }
    return new Person(user.name(), email);
  }

  private static List<Attendee> attendees(long eventId, Long organizerPartner, OdooContext ctx, List<String> notes) {
    List<Attendee> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (OdooAttendee a : ctx.attendees()) {
      if (a.eventId() != eventId || (organizerPartner != null && a.partnerId() == organizerPartner)) {
        continue;
      }
      OdooPartner partner = ctx.partners().get(a.partnerId());
      String email = a.email() != null && !a.email().isBlank() ? a.email() : partner == null ? null : partner.email();
      String name = partner != null && partner.name() != null ? partner.name() : email;
      Person person = new Person(name, email);
      if (person.hasEmail() && !seen.add(person.key())) {
        notes.add("attendee " + a.id() + " has the address of another attendee: listed once");
        continue;
      }
      if (!person.hasEmail()) {
        notes.add("attendee " + a.id() + " (partner " + a.partnerId() + ") has no e-mail: Outlook cannot invite them");
      }
      out.add(new Attendee(person, false, response(a.state())));
    }
    return out;
  }

  static Response response(AttendeeState state) {
    if (state == null) {
      return Response.NONE;
    }
    return switch (state) {
      case NEEDS_ACTION -> Response.NONE;
      case ACCEPTED -> Response.ACCEPTED;
      case TENTATIVE -> Response.TENTATIVE;
      case DECLINED -> Response.DECLINED;
    };
  }

  static AttendeeState state(Response response) {
    return switch (response) {
      case NONE -> AttendeeState.NEEDS_ACTION;
      case ACCEPTED -> AttendeeState.ACCEPTED;
      case TENTATIVE -> AttendeeState.TENTATIVE;
      case DECLINED -> AttendeeState.DECLINED;
    };
  }

  // ------------------------------------------------------------------ core → Odoo

  /**
   * The addresses to resolve with {@link OdooGateway#partnersByEmail} (createMissing) before a create or an
   * attendee update: the attendees' addresses, lower-cased.
   */
  public static Set<String> emailsToResolve(CalEvent c) {
    Set<String> out = new LinkedHashSet<>();
    for (Attendee a : c.attendees()) {
      if (a.person().hasEmail()) {
        out.add(a.person().key());
      }
    }
    return out;
  }

  /** A new Odoo event for {@code c} (from Outlook). */
  public static Mapped<OdooCreate> toDraft(CalEvent c, DraftContext ctx) {
    List<String> notes = new ArrayList<>();
    OdooUser organizer = organizerUser(c, ctx, notes);
    When w = c.when();
    String title = title(c, notes);
    OdooEventDraft draft = w.allDay()
        ? OdooEventDraft.allDay(title, w.startDate(), w.endDateExclusive().minusDays(1))
        : OdooEventDraft.timed(title, w.start(), w.end());
    String description = description(c.descriptionHtml(), notes);
    if (description != null) {
      draft = draft.withDescription(description);
    }
    if (blankToNull(c.location()) != null) {
      draft = draft.withLocation(c.location().strip());
    }
    String video = videoUrl(c.videoUrl(), notes);
    if (video != null) {
      draft = draft.withVideocallLocation(video);
    }
    String privacy = privacy(c.privacy());
    if (privacy != null) {
      draft = draft.withPrivacy(privacy);
    }
    draft = draft.withShowAs(showAs(c.showAs(), notes));
    Map<Long, AttendeeState> answers = new LinkedHashMap<>();
    if (organizer != null) {
      draft = draft.withOrganizer(organizer.id());
    } else {
      notes.add("no Odoo user to organize the event: Odoo's default organizer applies");
    }
    // Always set, even to the organizer alone: left out, Odoo would add the calling service user.
    draft = draft.withPartners(partnerIds(c, organizer, ctx, answers, notes));
    optionalAttendees(c, notes);
    List<Long> alarmIds = alarmIds(c.reminderMinutes(), ctx.alarms(), notes);
    return new Mapped<>(new OdooCreate(draft, alarmIds, answers), notes);
  }

  /** The writes that bring an existing Odoo event to {@code target} for {@code fields} only. */
  public static Mapped<OdooWrite> toChanges(Set<Field> fields, CalEvent target, DraftContext ctx) {
    List<String> notes = new ArrayList<>();
    EventChanges ch = EventChanges.of();
    Map<Long, AttendeeState> states = new LinkedHashMap<>();
    for (Field f : fields) {
      switch (f) {
        case TITLE -> ch.name(title(target, notes));
        case WHEN -> {
          When w = target.when();
          if (w.allDay()) {
            ch.allDay(w.startDate(), w.endDateExclusive().minusDays(1));
          } else {
            ch.times(w.start(), w.end());
          }
        }
        case DESCRIPTION -> ch.description(description(target.descriptionHtml(), notes));
        case LOCATION -> ch.location(blankToNull(target.location()) == null ? null : target.location().strip());
        case VIDEO_URL -> ch.videocallLocation(videoUrl(target.videoUrl(), notes));
        case PRIVACY -> ch.privacy(privacy(target.privacy()));
        case SHOW_AS -> ch.showAs(showAs(target.showAs(), notes));
        case REMINDERS -> ch.alarms(alarmIds(target.reminderMinutes(), ctx.alarms(), notes));
        case ATTENDEES -> {
          ch.partners(partnerIds(target, ctx.organizer(), ctx, new HashMap<>(), notes));
          optionalAttendees(target, notes);
        }
        case RESPONSES -> states.putAll(answerWrites(target, ctx, notes));
      }
    }
    return new Mapped<>(new OdooWrite(ch, states), notes);
  }

  private static String title(CalEvent c, List<String> notes) {
    if (c.title().isBlank()) {
      notes.add("empty subject: Odoo requires one, \"" + NO_TITLE + "\" used");
      return NO_TITLE;
    }
    return c.title();
  }

  /** Sanitized and capped; empty markup becomes no description. */
  private static String description(String html, List<String> notes) {
    if (html == null || html.isBlank()) {
      return null;
    }
    HtmlSanitizer.Result r = HtmlSanitizer.sanitize(html);
    if (r.removedActive()) {
      notes.add("description: scripts, event handlers or unsafe links removed");
    }
    if (r.shortened()) {
      notes.add("description: longer than " + HtmlSanitizer.DEFAULT_MAX_BYTES / 1024 + " KB, shortened");
    }
    return r.html().isBlank() ? null : r.html();
  }

  /** Odoo shows the meeting URL as a link: only web addresses go there. */
  private static String videoUrl(String url, List<String> notes) {
    String u = blankToNull(url);
    if (u == null) {
      return null;
    }
    String lower = u.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return u.strip();
    }
    notes.add("online meeting link is not an http(s) address: left out");
    return null;
  }

  /** DEFAULT is Odoo's False: the user's default privacy. */
  static String privacy(Privacy p) {
    return switch (p) {
      case DEFAULT -> null;
      case PUBLIC -> "public";
      case PRIVATE -> "private";
      case CONFIDENTIAL -> "confidential";
    };
  }

  /** Odoo has free and busy only; Outlook's other states block time, so they are busy. */
  private static String showAs(ShowAs s, List<String> notes) {
    if (s == ShowAs.FREE) {
      return "free";
    }
    if (s != ShowAs.BUSY) {
      notes.add("show as " + s + " has no Odoo equivalent: busy");
    }
    return "busy";
  }

  /** The organizer on a create: the Odoo user with the organizer's address, else the context's user. */
  private static OdooUser organizerUser(CalEvent c, DraftContext ctx, List<String> notes) {
    Person p = c.organizer();
    if (p != null && p.hasEmail()) {
      for (OdooUser u : ctx.users()) {
        if (u.email() != null && u.email().strip().equalsIgnoreCase(p.email())) {
          return u;
        }
      }
      if (ctx.organizer() != null && (ctx.organizer().email() == null || !ctx.organizer().email().strip().equalsIgnoreCase(p.email()))) {
        notes.add("the organizer is not an Odoo user: user " + ctx.organizer().id() + " organizes it in Odoo");
      }
    }
    return ctx.organizer();
  }

  /**
   * The event's partners: the organizer's, then each attendee's by address (resolved beforehand), or, without
   * an address, by the partner already attending under that name. Nobody blocks anything: an attendee who
   * cannot be placed is left out with a note.
   */
  private static List<Long> partnerIds(CalEvent c, OdooUser organizer, DraftContext ctx, Map<Long, AttendeeState> answers,
                                       List<String> notes) {
    Set<Long> ids = new LinkedHashSet<>();
    if (organizer != null) {
      ids.add(organizer.partnerId());
    }
    Map<String, Long> byName = emaillessPartnersByName(ctx);
    int n = 0;
    for (Attendee a : c.attendees()) {
      n++;
      Long id;
      if (a.person().hasEmail()) {
        id = ctx.partnersByEmail().get(a.person().key());
        if (id == null) {
          notes.add("attendee " + n + " has no Odoo partner (address not resolved): left out");
          continue;
        }
      } else {
        id = a.person().name() == null ? null : byName.get(a.person().name().strip().toLowerCase(Locale.ROOT));
        if (id == null) {
          notes.add("attendee " + n + " has no e-mail and no known partner: left out");
          continue;
        }
      }
      if (organizer != null && id == organizer.partnerId()) {
        continue;
      }
      ids.add(id);
      if (a.response() != Response.NONE) {
        answers.put(id, state(a.response()));
      }
    }
    return List.copyOf(ids);
  }

  /** The current attendees without an address, by lower-cased partner name (names that repeat are ambiguous). */
  private static Map<String, Long> emaillessPartnersByName(DraftContext ctx) {
    Map<String, Long> out = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    for (OdooAttendee a : ctx.attendees()) {
      OdooPartner p = ctx.partners().get(a.partnerId());
      boolean hasEmail = (a.email() != null && !a.email().isBlank()) || (p != null && p.email() != null && !p.email().isBlank());
      if (hasEmail || p == null || p.name() == null) {
        continue;
      }
      String key = p.name().strip().toLowerCase(Locale.ROOT);
      Long before = out.put(key, p.id());
      if (before != null && before != p.id()) {
        ambiguous.add(key);
      }
    }
    ambiguous.forEach(out::remove);
    return out;
  }

  /** Attendee rows whose state differs from the target's answer for the same address. */
  private static Map<Long, AttendeeState> answerWrites(CalEvent target, DraftContext ctx, List<String> notes) {
    Map<String, OdooAttendee> rows = new HashMap<>();
    Map<Long, OdooAttendee> rowsByPartner = new HashMap<>();
    for (OdooAttendee a : ctx.attendees()) {
      rowsByPartner.putIfAbsent(a.partnerId(), a);
      OdooPartner p = ctx.partners().get(a.partnerId());
      String email = a.email() != null && !a.email().isBlank() ? a.email() : p == null ? null : p.email();
      if (email != null && !email.isBlank()) {
        rows.putIfAbsent(email.strip().toLowerCase(Locale.ROOT), a);
      }
    }
    Map<Long, AttendeeState> out = new LinkedHashMap<>();
    int n = 0;
    for (Attendee a : target.attendees()) {
      n++;
      if (!a.person().hasEmail()) {
        continue; // answers travel by address only (core's RESPONSES)
      }
      OdooAttendee row = rows.get(a.person().key());
      if (row == null) {
        Long partner = ctx.partnersByEmail().get(a.person().key());
        row = partner == null ? null : rowsByPartner.get(partner);
      }
      if (row == null) {
        if (a.response() != Response.NONE) {
          notes.add("attendee " + n + " is not attending in Odoo yet: their answer follows once they are");
        }
        continue;
      }
      AttendeeState want = state(a.response());
      if (row.state() != want) {
        out.put(row.id(), want);
      }
    }
    return out;
  }

  /** Each reminder to an existing alarm of exactly that many minutes (a pop-up preferred to an e-mail). */
  private static List<Long> alarmIds(List<Integer> minutes, Map<Long, OdooAlarm> alarms, List<String> notes) {
    List<Long> out = new ArrayList<>();
    for (int m : new TreeSet<>(minutes)) {
      OdooAlarm best = null;
      for (OdooAlarm a : sorted(alarms.values())) {
        if (a.syncable() && a.minutesBefore() != null && a.minutesBefore() == m
            && (best == null || (!"notification".equals(best.alarmType()) && "notification".equals(a.alarmType())))) {
          best = a;
        }
      }
      if (best == null) {
        notes.add("no Odoo reminder of " + m + " minutes exists: left out");
      } else {
        out.add(best.id());
      }
    }
    return out;
  }

  private static List<OdooAlarm> sorted(Collection<OdooAlarm> alarms) {
    List<OdooAlarm> out = new ArrayList<>(alarms);
    out.sort((a, b) -> Long.compare(a.id(), b.id()));
    return out;
  }

  private static void optionalAttendees(CalEvent c, List<String> notes) {
    if (c.attendees().stream().anyMatch(Attendee::optional)) {
      notes.add("optional attendees are required ones in Odoo, which has no optional attendees");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** A short, single-line rendering of a value from Odoo's configuration (zone names, selections). */
  private static String printable(String s) {
    String flat = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    return flat.length() > 40 ? flat.substring(0, 40) + "..." : flat;
  }
}
