package io.outlooksync.sidecar.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Field-level three-way merge: for each field, what changed since the last synced version wins; when both sides
 * changed it differently, the side modified later (by each side's own server timestamp) wins, and the conflict is
 * reported, never silently dropped. {@code owner} limits what may flow: fields owned by the organizer's side
 * only flow from it.
 */
public final class Merge {
  /** The merged content and which fields each side must receive. */
  public record Result(CalEvent merged, Set<Field> toOdoo, Set<Field> toOutlook, List<FieldConflict> conflicts) {
    public boolean isNoop() {
      return toOdoo.isEmpty() && toOutlook.isEmpty();
    }
  }

  private Merge() {}

  /**
   * @param base          the content both sides had at the last sync
   * @param odoo          Odoo's content now
   * @param outlook       Outlook's content now
   * @param odooModified  Odoo's write_date of the event
   * @param outlookModified Graph's lastModifiedDateTime of the event
   * @param readOnlySide  a side whose content may not be changed by the sync (an attendee's copy of a meeting
   *                      in Outlook), or null
   */
  public static Result threeWay(CalEvent base, CalEvent odoo, CalEvent outlook, Instant odooModified, Instant outlookModified,
                                Side readOnlySide) {
    CalEvent merged = base;
    Set<Field> toOdoo = EnumSet.noneOf(Field.class);
    Set<Field> toOutlook = EnumSet.noneOf(Field.class);
    List<FieldConflict> conflicts = new ArrayList<>();
    for (Field f : Field.values()) {
      boolean odooChanged = !f.same(base, odoo);
      boolean outlookChanged = !f.same(base, outlook);
      Side source;
      if (!odooChanged && !outlookChanged) {
        continue;
      } else if (odooChanged && outlookChanged) {
        if (f.same(odoo, outlook)) {
          merged = merged.with(f, odoo);
          continue;
        }
        source = later(odooModified, outlookModified);
        if (readOnlySide != null && f != Field.RESPONSES) {
          source = readOnlySide;
        }
        Side loser = source == Side.ODOO ? Side.OUTLOOK : Side.ODOO;
        String lost = "; " + loser + "'s value, not kept: " + shown(f, loser == Side.ODOO ? odoo : outlook);
        conflicts.add(new FieldConflict(f, source, (readOnlySide != null && f != Field.RESPONSES
            ? "both changed; " + readOnlySide + " holds the organizer's copy"
            : "both changed; " + source + " was modified later") + lost));
      } else {
        source = odooChanged ? Side.ODOO : Side.OUTLOOK;
      }
      // Answers are each attendee's own, not the organizer's content: others' reach Odoo through their own mailboxes
      // (newer than this copy's view of them), and the user's own moves both ways (Reconciler.answer).
      if (readOnlySide != null && source != readOnlySide && f != Field.RESPONSES) {
        // The other side's edit cannot be pushed (not the organizer): the organizer's value is put back.
        source = readOnlySide;
      }
      CalEvent from = source == Side.ODOO ? odoo : outlook;
      if (f == Field.REMINDERS && source == Side.OUTLOOK) {
        from = withClosestReminderOf(odoo, outlook);
      }
      merged = merged.with(f, from);
      if (!f.same(odoo, from)) {
        toOdoo.add(f);
      }
      if (!f.same(outlook, from)) {
        toOutlook.add(f);
      }
    }
    return new Result(merged, toOdoo, toOutlook, conflicts);
  }

  /**
   * Outlook holds one reminder, Odoo several: Outlook's change replaces Odoo's closest one (the one they share)
   * and keeps Odoo's others, say a reminder by e-mail the day before (also when Outlook's is turned off).
   */
  static CalEvent withClosestReminderOf(CalEvent odoo, CalEvent outlook) {
    java.util.TreeSet<Integer> minutes = new java.util.TreeSet<>(odoo.reminderMinutes());
    if (!minutes.isEmpty()) {
      minutes.remove(minutes.first());
    }
    if (!outlook.reminderMinutes().isEmpty()) {
      minutes.add(java.util.Collections.min(outlook.reminderMinutes()));
    }
    return new CalEvent(outlook.title(), outlook.when(), outlook.descriptionHtml(), outlook.location(), outlook.videoUrl(),
        outlook.privacy(), outlook.showAs(), List.copyOf(minutes), outlook.organizer(), outlook.attendees());
  }

  /**
   * A value as the journal records a lost one: short fields in full (clipped), the description by its length
   * only (an event's body stays out of the journal's plan).
   */
  static String shown(Field f, CalEvent e) {
    String v = switch (f) {
      case TITLE -> e.title();
      case WHEN -> e.when().allDay() ? e.when().startDate() + ".." + e.when().endDateExclusive() + " (all day)"
          : e.when().start() + ".." + e.when().end() + " " + e.when().zone();
      case DESCRIPTION -> e.descriptionHtml() == null ? "none" : "a description of " + e.descriptionHtml().length() + " characters";
      case LOCATION -> e.location();
      case VIDEO_URL -> e.videoUrl();
      case PRIVACY -> e.privacy().name();
      case SHOW_AS -> e.showAs().name();
      case REMINDERS -> e.reminderMinutes() + " minutes";
      case ATTENDEES, RESPONSES -> e.attendees().stream()
          .map(a -> (a.person().hasEmail() ? a.person().email() : "(no e-mail)") + (f == Field.RESPONSES ? "=" + a.response() : ""))
          .toList().toString();
    };
    if (v == null) {
      return "none";
    }
    return v.length() <= 200 ? v : v.substring(0, 199) + "…";
  }

  /** Ties go to Outlook: its timestamp has sub-second precision where Odoo's has whole seconds. */
  static Side later(Instant odooModified, Instant outlookModified) {
    if (odooModified == null) {
      return Side.OUTLOOK;
    }
    if (outlookModified == null) {
      return Side.ODOO;
    }
    return odooModified.isAfter(outlookModified) ? Side.ODOO : Side.OUTLOOK;
  }
}
