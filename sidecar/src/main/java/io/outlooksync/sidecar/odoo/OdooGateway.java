package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the sync engine asks of one Odoo database, as the service user. Every method is one or a few bulk calls;
 * every failure is an {@link OdooException} ({@link OdooUnavailableException} when a retry may help). Writes
 * are single calls, so each either happens whole or not at all.
 *
 * <p>Today's implementation speaks XML-RPC ({@link XmlRpcOdooGateway}); Odoo 19's JSON-2 API can sit beside it.
 */
public interface OdooGateway {

  ServerVersion version();

  /** Logs in with the configured login and API key; returns the uid. A refused key is an {@link OdooAuthException}. */
  int authenticate();

  /** One user; {@link OdooMissingException} when no such user exists. */
  OdooUser user(long uid);

  /** The users that exist among {@code uids} (archived ones included). */
  List<OdooUser> users(Collection<Long> uids);

  /**
   * Events (archived ones included) whose write_date is at or after {@code watermark}, ordered by write_date
   * then id, at most {@code pageSize} per call. Start a round with {@code afterId} 0 and follow the page's
   * cursor; see docs/odoo.md for why the watermark's second is always read again.
   */
  Page<OdooEvent> eventsChangedSince(Instant watermark, long afterId, int pageSize);

  /**
   * As {@link #eventsChangedSince}, limited to one user's calendar: events that list {@code partnerId} among
   * their attendees or belong to {@code userId}. Same cursor rules.
   */
  Page<OdooEvent> eventsOfUserChangedSince(long partnerId, long userId, Instant watermark, long afterId, int pageSize);

  /**
   * Organizer and attendees of the events that records of {@code model} belong to: {@code calendar.event} ids
   * themselves, {@code calendar.attendee} ids (their event) or {@code calendar.recurrence} ids (every event of
   * the series). Archived events included; ids that no longer exist are left out. One search_read per 500 ids.
   */
  List<EventParties> eventParties(String model, Collection<Long> ids);

  /** Events by id, archived ones included; ids that no longer exist come back in {@link Found#missing()}. */
  Found<OdooEvent> events(Collection<Long> ids);

  /**
   * Creates all events in one call; returns their ids in the drafts' order. A draft's {@link OdooEventDraft#source()
   * source} is written only where {@link #sourceKeys()} holds.
   */
  List<Long> createEvents(List<OdooEventDraft> drafts);

  /**
   * Whether this Odoo keeps the sidecar's create keys: {@code calendar.event.outlook_sync_source}, a field of our
   * addon. Asked of Odoo once; without the addon, creates carry no key and {@link #eventsBySource} finds nothing.
   */
  boolean sourceKeys();

  /**
   * The ids of the events created with these create keys (archived ones included), by key, in one search_read
   * per 500 keys; empty when {@link #sourceKeys()} does not hold.
   */
  Map<String, Long> eventsBySource(Collection<String> keys);

  /** Writes the changes, one call per distinct set of changes. */
  void writeEvents(Map<Long, EventChanges> changes);

  /** Archives the events (active = False) in one call. */
  void archiveEvents(Collection<Long> ids);

  /**
   * Partner ids by e-mail (lower-cased keys), matched case-insensitively; with {@code createMissing}, the others
   * are created in one call. Blank addresses are skipped: an attendee without e-mail never blocks a sync.
   */
  Map<String, Long> partnersByEmail(Collection<String> emails, boolean createMissing);

  /** The attendees of these events. */
  List<OdooAttendee> attendees(Collection<Long> eventIds);

  /** Partners by id (archived ones too), for naming attendees; ids that no longer exist are left out. */
  Map<Long, OdooPartner> partners(Collection<Long> ids);

  /** Every reminder type defined in Odoo (a handful), to turn alarm ids into minutes and back. */
  List<OdooAlarm> alarms();

  /** The time zone of each of these recurrences ({@code event_tz}), for the wall-clock time of a series. */
  Map<Long, String> recurrenceZones(Collection<Long> recurrenceIds);

  /** Sets attendees' answers, one call per distinct state. */
  void setAttendeeStates(Map<Long, AttendeeState> states);

  /**
   * The first day of the week of the service user's language ({@code res.lang.week_start}): Odoo groups the
   * weeks of a weekly rule with it when this user writes the rule (en_US: Sunday; en_GB, fr_BE, de_DE: Monday).
   */
  java.time.DayOfWeek weekStart();

  /** Recurrences by id: their rule, dtstart, base event and active events. */
  Found<OdooRecurrence> recurrences(Collection<Long> recurrenceIds);

  /** Every event of these recurrences, archived ones included (a cancelled occurrence is an archived one). */
  List<OdooSeriesEvent> seriesEvents(Collection<Long> recurrenceIds);

  /**
   * Creates a series in one call: the first occurrence with {@code recurrency} and the rule; Odoo creates the
   * rule and the other occurrences (at most 720). Returns the first event's id. The draft should start on the
   * rule's first date: Odoo archives a first event the rule does not produce and starts at the next one. The
   * draft's create key is written on the first event where {@link #sourceKeys()} holds (Odoo does not copy it to
   * the others).
   */
  long createSeries(OdooEventDraft first, OdooRule rule);

  /**
   * Writes one event of a series with {@code recurrence_update}: {@code changes} and, unless null, a new rule.
   * One call; see {@link SeriesScope} and docs/recurrence.md for what Odoo does with each.
   */
  void writeSeries(long eventId, EventChanges changes, OdooRule rule, SeriesScope scope);
}
