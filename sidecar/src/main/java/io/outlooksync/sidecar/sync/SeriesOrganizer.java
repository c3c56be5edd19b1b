package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.odoo.OdooAttendee;
import io.outlooksync.sidecar.odoo.OdooUser;
import java.util.ArrayList;
import java.util.List;

/**
 * A series whose Outlook organizer is not its Odoo organizer: one the user was invited to in Outlook. Odoo's
 * organizer must be an Odoo user, so such a series is held in Odoo by a stand-in (the connected user who synced it
 * first), and its real organizer attends there as a partner. Both sides list attendees without their own
 * organizer, so the same meeting reads differently: this puts Odoo's stand-in among the attendees (with the answer
 * of their attendee row) and leaves the Outlook organizer out, as Outlook lists them; writes put the Outlook
 * organizer back, so Odoo keeps showing who organizes.
 */
final class SeriesOrganizer {
  private SeriesOrganizer() {}

  /**
   * Odoo's content of an event of such a series as Outlook lists it. {@code c}: read in the mailbox's terms;
   * {@code organizer}: the Odoo organizer (user_id) or null; {@code outlookOrganizer}: the address Outlook names.
   */
  static CalEvent asOutlookLists(CalEvent c, long eventId, OdooUser organizer, List<OdooAttendee> rows, String outlookOrganizer) {
    Person standIn = c.organizer();
    if (outlookOrganizer == null || standIn == null || !standIn.hasEmail() || standIn.email().equalsIgnoreCase(outlookOrganizer)) {
      return c;
    }
    List<Attendee> out = new ArrayList<>();
    boolean listed = false;
    for (Attendee a : c.attendees()) {
      if (a.person().hasEmail() && a.person().email().equalsIgnoreCase(outlookOrganizer)) {
        continue;
      }
      listed |= a.person().hasEmail() && a.person().key().equals(standIn.key());
      out.add(a);
    }
    OdooAttendee row = organizer == null ? null : rows.stream()
        .filter(r -> r.eventId() == eventId && r.partnerId() == organizer.partnerId()).findFirst().orElse(null);
    if (!listed && row != null) {
      out.add(new Attendee(standIn, false, response(row)));
    }
    return new CalEvent(c.title(), c.when(), c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), c.organizer(), out);
  }

  /**
   * Outlook's content as written to Odoo: the Outlook organizer among the attendees (accepted, as Outlook answers for
   * an organizer), so that the Odoo event names them. {@code organizer} null: Outlook names none.
   */
  static CalEvent withOrganizerAttending(CalEvent c, Person organizer) {
    if (organizer == null || !organizer.hasEmail()) {
      return c;
    }
    for (Attendee a : c.attendees()) {
      if (a.person().hasEmail() && a.person().key().equals(organizer.key())) {
        return c;
      }
    }
    List<Attendee> out = new ArrayList<>(c.attendees());
    out.add(new Attendee(organizer, false, Response.ACCEPTED));
    return new CalEvent(c.title(), c.when(), c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), c.organizer(), out);
  }

  private static Response response(OdooAttendee row) {
    if (row.state() == null) {
      return Response.NONE;
    }
    return switch (row.state()) {
      case ACCEPTED -> Response.ACCEPTED;
      case TENTATIVE -> Response.TENTATIVE;
      case DECLINED -> Response.DECLINED;
      case NEEDS_ACTION -> Response.NONE;
    };
  }
}
