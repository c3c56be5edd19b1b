package io.outlooksync.sidecar.core;

import java.util.List;
import java.util.Objects;

/**
 * An event's content on neutral terms, as both Odoo and Outlook can hold it. Adapters map each side to and
 * from this; the reconciler compares these field by field ({@link Field}).
 */
public record CalEvent(
    String title,
    When when,
    String descriptionHtml,
    String location,
    String videoUrl,
    Privacy privacy,
    ShowAs showAs,
    List<Integer> reminderMinutes,
    Person organizer,
    List<Attendee> attendees) {

  public CalEvent {
    Objects.requireNonNull(when, "when");
    title = title == null ? "" : title;
    reminderMinutes = reminderMinutes == null ? List.of() : List.copyOf(reminderMinutes);
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
    privacy = privacy == null ? Privacy.DEFAULT : privacy;
    showAs = showAs == null ? ShowAs.BUSY : showAs;
  }

  /** A copy with one field taken from {@code source}. */
  public CalEvent with(Field field, CalEvent source) {
    return switch (field) {
      case TITLE -> new CalEvent(source.title, when, descriptionHtml, location, videoUrl, privacy, showAs, reminderMinutes, organizer, attendees);
      case WHEN -> new CalEvent(title, source.when, descriptionHtml, location, videoUrl, privacy, showAs, reminderMinutes, organizer, attendees);
      case DESCRIPTION -> new CalEvent(title, when, source.descriptionHtml, location, videoUrl, privacy, showAs, reminderMinutes, organizer, attendees);
      case LOCATION -> new CalEvent(title, when, descriptionHtml, source.location, videoUrl, privacy, showAs, reminderMinutes, organizer, attendees);
      case VIDEO_URL -> new CalEvent(title, when, descriptionHtml, location, source.videoUrl, privacy, showAs, reminderMinutes, organizer, attendees);
      case PRIVACY -> new CalEvent(title, when, descriptionHtml, location, videoUrl, source.privacy, showAs, reminderMinutes, organizer, attendees);
      case SHOW_AS -> new CalEvent(title, when, descriptionHtml, location, videoUrl, privacy, source.showAs, reminderMinutes, organizer, attendees);
      case REMINDERS -> new CalEvent(title, when, descriptionHtml, location, videoUrl, privacy, showAs, source.reminderMinutes, organizer, attendees);
      case ATTENDEES -> new CalEvent(title, when, descriptionHtml, location, videoUrl, privacy, showAs, reminderMinutes, organizer, source.attendees);
      case RESPONSES -> new CalEvent(title, when, descriptionHtml, location, videoUrl, privacy, showAs, reminderMinutes, organizer,
          answersFrom(source));
    };
  }

  /** This event's attendees, each with the answer {@code source} has for the same address. */
  private List<Attendee> answersFrom(CalEvent source) {
    java.util.Map<String, Response> answers = new java.util.HashMap<>();
    for (Attendee a : source.attendees) {
      if (a.person().hasEmail()) {
        answers.put(a.person().key(), a.response());
      }
    }
    List<Attendee> out = new java.util.ArrayList<>();
    for (Attendee a : attendees) {
      Response r = a.person().hasEmail() ? answers.getOrDefault(a.person().key(), a.response()) : a.response();
      out.add(new Attendee(a.person(), a.optional(), r));
    }
    return out;
  }

  /** The answer of the attendee with this address, or null when they are not invited. */
  public Response responseOf(String email) {
    for (Attendee a : attendees) {
      if (a.person().hasEmail() && a.person().email().equalsIgnoreCase(email)) {
        return a.response();
      }
    }
    return null;
  }

  public boolean isMeeting() {
    return !attendees.isEmpty();
  }
}
