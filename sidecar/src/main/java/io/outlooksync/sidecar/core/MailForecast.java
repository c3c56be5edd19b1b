package io.outlooksync.sidecar.core;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The e-mails Outlook will send when a plan runs, by Exchange's rules (docs/emulators.md, "E-mails Outlook would
 * send"): invitations for meetings created, updates for meetings changed, cancellations for meetings deleted or
 * attendees removed. Shown before a first sync or a reset, so nobody causes a mail storm by surprise.
 */
public record MailForecast(List<Mail> mails) {
  /** What kind of message. */
  public enum Kind { INVITATION, UPDATE, CANCELLATION, RESPONSE }

  /** One message to one recipient, because of one action. */
  public record Mail(Kind kind, String to, String actionId) {}

  public static MailForecast of(Plan plan, String mailbox) {
    List<Mail> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.CreateInOutlook c && !c.quiet()) {
        for (Attendee at : others(c.content(), mailbox)) {
          out.add(new Mail(Kind.INVITATION, at.person().email(), c.id()));
        }
      } else if (a instanceof Action.UpdateOutlook u && u.userIsOrganizer()) {
        Set<Field> mailing = EnumSet.noneOf(Field.class);
        mailing.addAll(u.fields());
        mailing.retainAll(Field.MAILING);
        if (mailing.isEmpty() || !u.target().isMeeting()) {
          continue;
        }
        // Field-level: an attendee-only change mails only those added; anything else mails everyone.
        Kind kind = mailing.equals(Set.of(Field.ATTENDEES)) ? Kind.INVITATION : Kind.UPDATE;
        for (Attendee at : others(u.target(), mailbox)) {
          out.add(new Mail(kind, at.person().email(), u.id()));
        }
      } else if (a instanceof Action.DeleteInOutlook d && d.last() != null) {
        for (Attendee at : others(d.last(), mailbox)) {
          out.add(new Mail(Kind.CANCELLATION, at.person().email(), d.id()));
        }
      } else if (a instanceof Action.DeclineInOutlook d) {
        out.add(new Mail(Kind.RESPONSE, "organizer", d.id()));
      } else if (a instanceof Action.Answer ans && ans.to() == Side.OUTLOOK) {
        out.add(new Mail(Kind.RESPONSE, "organizer", ans.id()));
      } else if (a instanceof Action.AnswerSeriesInOutlook ans) {
        out.add(new Mail(Kind.RESPONSE, "organizer", ans.id()));
      } else {
        series(a, mailbox, out);
      }
    }
    return new MailForecast(List.copyOf(out));
  }

  /**
   * Series actions mail once per attendee per series, not per occurrence: an invitation for a new series, an
   * update for a changed master (plus one per instance edited on its own, which Outlook mails again), a
   * cancellation for a deleted series or one cancelled occurrence, and for an occurrence moved past a neighbour a
   * cancellation of it plus an invitation to its own event.
   */
  private static void series(Action a, String mailbox, List<Mail> out) {
    if (a instanceof Action.CreateSeriesInOutlook c && !c.quiet()) {
      for (Attendee at : others(c.first(), mailbox)) {
        out.add(new Mail(Kind.INVITATION, at.person().email(), c.id()));
      }
    } else if (a instanceof Action.UpdateSeriesInOutlook u && u.userIsOrganizer() && u.target().isMeeting()) {
      Set<Field> mailing = EnumSet.noneOf(Field.class);
      mailing.addAll(u.fields());
      mailing.retainAll(Field.MAILING);
      if (mailing.isEmpty() && u.rule() == null) {
        return;
      }
      boolean attendeesOnly = u.rule() == null && mailing.equals(Set.of(Field.ATTENDEES));
      for (Attendee at : others(u.target(), mailbox)) {
        out.add(new Mail(attendeesOnly ? Kind.INVITATION : Kind.UPDATE, at.person().email(), u.id()));
        // A new rule drops the exceptions; a content change mails each of them again.
        for (int i = 0; i < (attendeesOnly || u.rule() != null ? 0 : u.exceptions()); i++) {
          out.add(new Mail(Kind.UPDATE, at.person().email(), u.id()));
        }
      }
    } else if (a instanceof Action.DeleteSeriesInOutlook d && d.last() != null) {
      for (Attendee at : others(d.last(), mailbox)) {
        out.add(new Mail(Kind.CANCELLATION, at.person().email(), d.id()));
      }
    } else if (a instanceof Action.CancelOccurrenceInOutlook c && c.last() != null) {
      for (Attendee at : others(c.last(), mailbox)) {
        out.add(new Mail(Kind.CANCELLATION, at.person().email(), c.id()));
      }    } else if (a instanceof Action.DetachOccurrenceInOutlook d) {
      for (Attendee at : others(d.last(), mailbox)) {
        out.add(new Mail(Kind.CANCELLATION, at.person().email(), d.id()));
      }
      for (Attendee at : others(d.target(), mailbox)) {
        out.add(new Mail(Kind.INVITATION, at.person().email(), d.id()));
      }
    }
  }

  public int count(Kind kind) {
    return (int) mails.stream().filter(m -> m.kind() == kind).count();
  }

  public int total() {
    return mails.size();
  }

  /** Distinct recipients, for "this will send N invitations to M people". */
  public Set<String> recipients() {
    Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    mails.forEach(m -> out.add(m.to()));
    return out;
  }

  private static List<Attendee> others(CalEvent e, String mailbox) {
    List<Attendee> out = new ArrayList<>();
    for (Attendee at : e.attendees()) {
      if (at.person().hasEmail() && !at.person().email().equalsIgnoreCase(mailbox)) {
        out.add(at);
      }
    }
    return out;
  }
}
