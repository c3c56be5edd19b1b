package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Person;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The account's Odoo user and their Microsoft mailbox are one person, often under two addresses (the Odoo
 * partner's e-mail, an alias; the mailbox's primary address). The reconciler compares addresses, so Odoo's side
 * is read with the user's address replaced by the mailbox's, and written back the other way, so organizers,
 * look-alike matching and the user's own answers line up whatever the Odoo e-mail says.
 */
final class MailboxIdentity {
  private final String odooEmail;
  private final String mailbox;
  private final long partnerId;

  MailboxIdentity(String odooEmail, String mailbox, long partnerId) {
    this.odooEmail = odooEmail == null || odooEmail.isBlank() ? null : odooEmail.strip();
    this.mailbox = mailbox;
    this.partnerId = partnerId;
  }

  /** Odoo's content as the mailbox sees it; {@code ownerOrganizes}: the event's Odoo organizer is the user. */
  CalEvent read(CalEvent c, boolean ownerOrganizes) {
    if (mailbox == null) {
      return c;
    }
    Person organizer = c.organizer();
    if (ownerOrganizes || isUser(organizer)) {
      organizer = new Person(organizer == null ? null : organizer.name(), mailbox);
    }
    List<Attendee> attendees = new ArrayList<>();
    for (Attendee a : c.attendees()) {
      attendees.add(isUser(a.person()) ? new Attendee(new Person(a.person().name(), mailbox), a.optional(), a.response()) : a);
    }
    return new CalEvent(c.title(), c.when(), c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(), c.showAs(),
        c.reminderMinutes(), organizer, attendees);
  }

  /**
   * Partners for the addresses a write names: the mailbox is the user's own partner, never a new one made for an
   * address Odoo does not know.
   */
  Map<String, Long> withUser(Map<String, Long> resolved) {
    if (mailbox == null) {
      return resolved;
    }
    Map<String, Long> out = new java.util.HashMap<>(resolved);
    out.put(mailbox.toLowerCase(Locale.ROOT), partnerId);
    return out;
  }

  /** Whether an address is the user's mailbox (so the partner lookup leaves it to {@link #withUser}). */
  boolean isMailbox(String key) {
    return mailbox != null && mailbox.equalsIgnoreCase(key);
  }

  private boolean isUser(Person p) {
    return p != null && p.hasEmail() && odooEmail != null && p.email().equalsIgnoreCase(odooEmail);
  }
}
