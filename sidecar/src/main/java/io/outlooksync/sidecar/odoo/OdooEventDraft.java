package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A calendar.event to create. Either timed ({@code start}/{@code stop}) or all-day ({@code startDate} to
 * {@code stopDate}, both inclusive as Odoo counts them). Null fields are left to Odoo's defaults; an empty
 * {@code partnerIds} list means no attendees at all (Odoo otherwise adds the caller). {@code source} is the
 * sidecar's create key, written to the addon's {@code outlook_sync_source} where Odoo has it.
 */
public record OdooEventDraft(
    String name,
    Instant start,
    Instant stop,
    LocalDate startDate,
    LocalDate stopDate,
    String description,
    String location,
    String videocallLocation,
    String privacy,
    String showAs,
    Long userId,
    List<Long> partnerIds,
    String source) {

  public OdooEventDraft {
    Objects.requireNonNull(name, "name");
    boolean timed = start != null && stop != null && startDate == null && stopDate == null;
    boolean allDay = start == null && stop == null && startDate != null && stopDate != null;
    if (!timed && !allDay) {
      throw new IllegalArgumentException("an event is either timed (start, stop) or all-day (startDate, stopDate)");
    }
    partnerIds = partnerIds == null ? null : List.copyOf(partnerIds);
  }

  public static OdooEventDraft timed(String name, Instant start, Instant stop) {
    return new OdooEventDraft(name, start, stop, null, null, null, null, null, null, null, null, null, null);
  }

  public static OdooEventDraft allDay(String name, LocalDate first, LocalDate last) {
    return new OdooEventDraft(name, null, null, first, last, null, null, null, null, null, null, null, null);
  }

  public boolean allday() {
    return startDate != null;
  }

  public OdooEventDraft withDescription(String html) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, html, location, videocallLocation, privacy,
        showAs, userId, partnerIds, source);
  }

  public OdooEventDraft withLocation(String where) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, where, videocallLocation,
        privacy, showAs, userId, partnerIds, source);
  }

  public OdooEventDraft withVideocallLocation(String url) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, location, url, privacy, showAs,
        userId, partnerIds, source);
  }

  public OdooEventDraft withPrivacy(String value) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, location, videocallLocation,
        value, showAs, userId, partnerIds, source);
  }

  public OdooEventDraft withShowAs(String value) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, location, videocallLocation,
        privacy, value, userId, partnerIds, source);
  }

  public OdooEventDraft withOrganizer(long uid) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, location, videocallLocation,
        privacy, showAs, uid, partnerIds, source);
  }

  public OdooEventDraft withPartners(List<Long> ids) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, location, videocallLocation,
        privacy, showAs, userId, ids, source);
  }

  /** This draft, created from the Outlook event with create key {@code key}. */
  public OdooEventDraft withSource(String key) {
    return new OdooEventDraft(name, start, stop, startDate, stopDate, description, location, videocallLocation,
        privacy, showAs, userId, partnerIds, key);
  }

  /** The values dict for {@code create}, without the source (the gateway adds it where Odoo has the field). */
  java.util.Map<String, Object> values() {
    EventChanges vals = EventChanges.of().name(name);
    if (allday()) {
      vals.allDay(startDate, stopDate);
    } else {
      vals.times(start, stop);
    }
    if (description != null) {
      vals.description(description);
    }
    if (location != null) {
      vals.location(location);
    }
    if (videocallLocation != null) {
      vals.videocallLocation(videocallLocation);
    }
    if (privacy != null) {
      vals.privacy(privacy);
    }
    if (showAs != null) {
      vals.showAs(showAs);
    }
    if (userId != null) {
      vals.organizer(userId);
    }
    if (partnerIds != null) {
      vals.partners(partnerIds);
    }
    return vals.values();
  }
}
