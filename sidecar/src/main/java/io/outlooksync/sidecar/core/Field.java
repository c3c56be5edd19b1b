package io.outlooksync.sidecar.core;

import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fields merged one by one. Each knows when two values are the same for sync purposes, so cosmetic
 * differences (a zone label, HTML whitespace, address case, answers) never count as edits and never ping-pong.
 */
public enum Field {
  TITLE,
  WHEN,
  DESCRIPTION,
  LOCATION,
  VIDEO_URL,
  PRIVACY,
  SHOW_AS,
  REMINDERS,
  /** Who is invited (and whether optional); their answers are the next field. */
  ATTENDEES,
  /** The attendees' answers, matched by address. Never mails anyone when written to Odoo. */
  RESPONSES;

  /** Fields whose change makes Outlook mail the attendees of a meeting (see docs/emulators.md's mail rules). */
  public static final Set<Field> MAILING = Set.of(TITLE, WHEN, DESCRIPTION, LOCATION, VIDEO_URL, PRIVACY, ATTENDEES);

  public boolean same(CalEvent a, CalEvent b) {
    if (a == null || b == null) {
      return a == b;
    }
    return switch (this) {
      case TITLE -> a.title().strip().equals(b.title().strip());
      case WHEN -> a.when().sameTimeAs(b.when());
      case DESCRIPTION -> Html.comparable(a.descriptionHtml()).equals(Html.comparable(b.descriptionHtml()));
      case LOCATION -> blankToEmpty(a.location()).equals(blankToEmpty(b.location()));
      case VIDEO_URL -> blankToEmpty(a.videoUrl()).equals(blankToEmpty(b.videoUrl()));
      // Outlook writes both "default" and "public" as normal: the difference cannot survive a round trip.
      case PRIVACY -> coarse(a.privacy()) == coarse(b.privacy());
      // Odoo knows only free and busy: tentative, away and the like are busy there, and not an edit.
      case SHOW_AS -> (a.showAs() == ShowAs.FREE) == (b.showAs() == ShowAs.FREE);
      // Outlook holds one reminder: only the one closest to the start is compared (and synced).
      case REMINDERS -> Objects.equals(first(a.reminderMinutes()), first(b.reminderMinutes()));
      case ATTENDEES -> invitees(a).equals(invitees(b));
      case RESPONSES -> answers(a).equals(answers(b));
    };
  }

  /** Attendees without an address are left out: Outlook cannot hold them, so their absence there is no removal. */
  private static TreeMap<String, Boolean> invitees(CalEvent e) {
    TreeMap<String, Boolean> out = new TreeMap<>();
    for (Attendee at : e.attendees()) {
      if (at.person().hasEmail()) {
        out.put(at.person().key(), at.optional());
      }
    }
    return out;
  }

  private static Privacy coarse(Privacy p) {
    return p == Privacy.PUBLIC ? Privacy.DEFAULT : p;
  }

  private static Integer first(java.util.List<Integer> minutes) {
    return minutes.isEmpty() ? null : java.util.Collections.min(minutes);
  }

  private static TreeMap<String, Response> answers(CalEvent e) {
    TreeMap<String, Response> out = new TreeMap<>();
    for (Attendee at : e.attendees()) {
      if (at.person().hasEmail()) {
        out.put(at.person().key(), at.response());
      }
    }
    return out;
  }

  private static String blankToEmpty(String s) {
    return s == null ? "" : s.strip();
  }
}
