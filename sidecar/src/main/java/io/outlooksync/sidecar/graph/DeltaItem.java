package io.outlooksync.sidecar.graph;

import java.time.Instant;

/** One item of a delta page: an event, a stub of an occurrence, a removal, or an event that could not be read. */
public sealed interface DeltaItem permits GraphEvent, DeltaItem.OccurrenceStub, DeltaItem.Removed, GraphEventError {
  String id();

  /**
   * An occurrence as calendarView delta sends it: id, series and times only, no subject. The series' content
   * comes from {@link GraphGateway#event} of the master and {@link GraphGateway#instances}.
   */
  record OccurrenceStub(String id, String seriesMasterId, Instant start, Instant end) implements DeltaItem {}

  /**
   * Deleted, or moved out of the window, or created/changed outside it: Graph does not say which.
   * {@code reason} is Graph's ({@code deleted} or {@code changed}).
   */
  record Removed(String id, String reason) implements DeltaItem {}
}
