package io.outlooksync.sidecar.core;

import java.util.List;
import java.util.Set;

/**
 * One step of a {@link Plan}, with the reason it was chosen. {@code id()} is stable for the same decision on the
 * same data, so a run repeated after a crash produces the same ids: Graph creates carry it as
 * {@code transactionId} and the outbox refuses to enqueue it twice.
 */
public sealed interface Action {
  String id();

  String reason();

  /** A new Odoo event gets its Outlook copy. {@code quiet}: written without attendees, so nobody is mailed. */
  record CreateInOutlook(String id, long odooEventId, CalEvent content, boolean quiet, String reason) implements Action {}

  /** A new Outlook event gets its Odoo copy. */
  record CreateInOdoo(String id, String graphId, String iCalUId, CalEvent content, String reason) implements Action {}

  /** Outlook's copy receives these fields of {@code target}; {@code changeKey} guards against a concurrent edit. */
  record UpdateOutlook(String id, long mappingId, String graphId, String changeKey, Set<Field> fields, CalEvent target,
                       boolean userIsOrganizer, String reason) implements Action {}

  record UpdateOdoo(String id, long mappingId, long odooEventId, Set<Field> fields, CalEvent target, String reason) implements Action {}

  /** The organizer's Outlook event is deleted (Outlook mails cancellations to its attendees). */
  record DeleteInOutlook(String id, long mappingId, String graphId, CalEvent last, String reason) implements Action {}

  /** An attendee's Outlook copy is declined (the organizer is told by a response, nobody else). */
  record DeclineInOutlook(String id, long mappingId, String graphId, String reason) implements Action {}

  /** The Odoo event is archived, never destroyed: an Outlook delete stays recoverable. */
  record ArchiveInOdoo(String id, long mappingId, long odooEventId, String reason) implements Action {}

  /** An event that exists on both sides is linked instead of being created again. */
  record Adopt(String id, long odooEventId, String graphId, String iCalUId, String reason) implements Action {}

  /** The user's own answer to a meeting, taken from the side where it changed to the other. */
  record Answer(String id, Side to, long mappingId, long odooEventId, String graphId, Response response, String reason) implements Action {}

  /** The mapping is forgotten (both sides are gone). */
  record Forget(String id, long mappingId, String reason) implements Action {}

  /** Nothing is done, and the plan says why (outside the window, quiet history, a side not owned, ...). */
  record Skip(String id, String subject, String reason) implements Action {}

  /** Both sides changed a field differently; the merge kept {@code conflict.winner()}'s value. */
  record Conflict(String id, long mappingId, FieldConflict conflict, String reason) implements Action {}

  // ---- recurring events (sync.SeriesSync, docs/recurrence.md): written to a series once, never per occurrence

  /** A new Odoo series becomes one Outlook series master with its rule (never one event per occurrence). */
  record CreateSeriesInOutlook(String id, long odooRecurrenceId, CalEvent first, Recurrence rule, boolean quiet, String reason)
      implements Action {}

  /** A new Outlook series becomes one Odoo recurring event; Odoo creates its occurrences. */
  record CreateSeriesInOdoo(String id, String graphMasterId, String iCalUId, CalEvent first, Recurrence rule, String reason)
      implements Action {}

  /**
   * "All events" in Outlook: the master gets these series fields of {@code target} and, when {@code rule} is not
   * null, the new rule and times. {@code exceptions}: instances edited on their own, which Outlook mails again.
   */
  record UpdateSeriesInOutlook(String id, long seriesId, String graphMasterId, Set<Field> fields, CalEvent target,
                               Recurrence rule, boolean userIsOrganizer, int exceptions, String reason) implements Action {}

  /** "All events" in Odoo, written once on the base event; with a rule, Odoo re-creates the occurrences. */
  record UpdateSeriesInOdoo(String id, long seriesId, long baseEventId, Set<Field> fields, CalEvent target, Recurrence rule,
                            String reason) implements Action {}

  /** The organizer's Outlook series is deleted (Outlook mails one cancellation per attendee). */
  record DeleteSeriesInOutlook(String id, long seriesId, String graphMasterId, CalEvent last, String reason) implements Action {}

  /** Occurrences of an Odoo series are archived: the series or those occurrences were deleted in Outlook. */
  record ArchiveOccurrencesInOdoo(String id, long seriesId, List<Long> odooEventIds, String reason) implements Action {
    public ArchiveOccurrencesInOdoo {
      odooEventIds = List.copyOf(odooEventIds);
    }
  }

  /** One occurrence of an Outlook series is cancelled (Outlook mails its attendees about that occurrence). */
  record CancelOccurrenceInOutlook(String id, long seriesId, String graphId, CalEvent last, String reason) implements Action {}

  /**
   * An Odoo occurrence moved onto or past a neighbour's day, which Outlook refuses for an occurrence
   * ({@code ErrorOccurrenceCrossingBoundary}): the Outlook occurrence is cancelled and {@code target} becomes its own
   * Outlook event (Outlook mails a cancellation for {@code last} and an invitation for {@code target}).
   */
  record DetachOccurrenceInOutlook(String id, long mappingId, String graphId, CalEvent last, CalEvent target, String reason)
      implements Action {}

  /**
   * An Odoo occurrence and an Outlook instance of a mapped series are the same occurrence (same original start):
   * linked. {@code authority}: the side whose differences the next run carries over, or null when neither.
   */
  record LinkOccurrence(String id, long seriesId, long odooEventId, String graphId, java.time.LocalDateTime originalStart,
                        Side authority, String reason) implements Action {}

  /**
   * A new Odoo series and a new Outlook series are the same (title, rule, first occurrence): linked instead of
   * created again on either side (a first sync where both sides hold it). Their occurrences are linked next run.
   */
  record AdoptSeries(String id, long odooRecurrenceId, String graphMasterId, String iCalUId, CalEvent first, Recurrence rule,
                     String reason) implements Action {}

  /**
   * The user's answer to a series they were invited to, given in Odoo for all events: one answer to the Outlook
   * series (Outlook tells the organizer once), instead of one per occurrence.
   */
  record AnswerSeriesInOutlook(String id, long seriesId, String graphMasterId, Response response, String reason) implements Action {}

  /**
   * A series without end reaches past the last event Odoo holds (720 per recurrence): "this and following" on that
   * event with {@code rule} (the series' rule from that date, counted 720) ends the last part the day before and
   * makes the event the first of a new part. An Odoo write, so nobody is mailed.
   */
  record ContinueSeriesInOdoo(String id, long seriesId, long lastEventId, Recurrence rule, String reason) implements Action {}

  /** The series mapping is forgotten (both sides are gone). */
  record ForgetSeries(String id, long seriesId, String reason) implements Action {}
}
