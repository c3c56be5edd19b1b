package io.outlooksync.sidecar.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pairs the Odoo events of one recurrence with the Graph instances of one series master. Pure: the caller reads
 * both sides (and, from its mappings, the pairs it already knows) and acts on the result.
 *
 * <p>Occurrences are keyed by their original start as wall-clock time in the series' zone: Graph gives every
 * instance its {@code originalStart}; an Odoo event that still follows the rule starts at its original start,
 * and one moved in Odoo (an exception, {@code follow_recurrence} False) keeps no trace of where it was, so its
 * original start comes from the mapping that paired it before it moved, or it is unknown. Known pairs are taken
 * first, then equal keys. What is left is reported: an instance with no Odoo event is an occurrence Odoo lacks
 * (cancelled there, or new); an Odoo event with no instance is one Outlook lacks (cancelled in Outlook, which
 * leaves no trace but the gap, or moved in Odoo since the last sync without a known pair).
 */
public final class OccurrenceMatch {
  private OccurrenceMatch() {}

  /**
   * An Odoo event of the recurrence. {@code originalStart} is its start when it follows the rule, the mapping's
   * memory when it moved, or null when nobody knows.
   */
  public record OdooOccurrence(long id, Instant start, Instant originalStart, boolean follows) {
    public static OdooOccurrence following(long id, Instant start) {
      return new OdooOccurrence(id, start, start, true);
    }

    public static OdooOccurrence moved(long id, Instant start, Instant originalStartOrNull) {
      return new OdooOccurrence(id, start, originalStartOrNull, false);
    }
  }

  /** A Graph instance of the series: an occurrence, or an exception (moved or otherwise edited). */
  public record GraphInstance(String id, Instant start, Instant originalStart, boolean exception) {
    public GraphInstance {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(originalStart, "originalStart");
    }
  }

  /** One occurrence on both sides; {@code moved} says which side has it away from its original start. */
  public record Pair(OdooOccurrence odoo, GraphInstance graph, LocalDateTime originalStart) {
    public boolean movedInOdoo() {
      return !odoo.follows() || !odoo.start().equals(odoo.originalStart());
    }

    public boolean movedInOutlook() {
      return !graph.start().equals(graph.originalStart());
    }
  }

  public record Result(List<Pair> pairs, List<OdooOccurrence> onlyInOdoo, List<GraphInstance> onlyInOutlook) {
    public Result {
      pairs = List.copyOf(pairs);
      onlyInOdoo = List.copyOf(onlyInOdoo);
      onlyInOutlook = List.copyOf(onlyInOutlook);
    }
  }

  /**
   * @param zone the series' zone (the wall clock the keys are read in)
   * @param allDay an all-day series: keys are dates in {@code zone}, the time of day is ignored; callers pass
   *     each all-day start as its date's midnight in {@code zone} (Odoo stores them at 08:00 UTC, which is the
   *     previous day west of UTC-8)
   * @param knownPairs Odoo event id to Graph instance id, from the mappings
   */
  public static Result match(List<OdooOccurrence> odoo, List<GraphInstance> graph, ZoneId zone, boolean allDay,
                             Map<Long, String> knownPairs) {
    Map<String, GraphInstance> graphById = new HashMap<>();
    for (GraphInstance g : graph) {
      graphById.put(g.id(), g);
    }
    List<Pair> pairs = new ArrayList<>();
    Set<Long> pairedOdoo = new HashSet<>();
    Set<String> pairedGraph = new HashSet<>();
    for (OdooOccurrence o : odoo) {
      GraphInstance g = graphById.get(knownPairs.get(o.id()));
      if (g != null && !pairedGraph.contains(g.id())) {
        pairs.add(new Pair(o, g, key(g.originalStart(), zone, allDay)));
        pairedOdoo.add(o.id());
        pairedGraph.add(g.id());
      }
    }
    Map<LocalDateTime, GraphInstance> graphByKey = new HashMap<>();
    for (GraphInstance g : graph) {
      if (!pairedGraph.contains(g.id())) {
        graphByKey.putIfAbsent(key(g.originalStart(), zone, allDay), g);
      }
    }
    // Events that follow the rule first: a moved event claiming the same slot from a stale memory loses.
    List<OdooOccurrence> ordered = new ArrayList<>(odoo);
    ordered.sort(Comparator.comparing((OdooOccurrence o) -> !o.follows()));
    List<OdooOccurrence> onlyInOdoo = new ArrayList<>();
    for (OdooOccurrence o : ordered) {
      if (pairedOdoo.contains(o.id())) {
        continue;
      }
      LocalDateTime k = o.originalStart() == null ? null : key(o.originalStart(), zone, allDay);
      GraphInstance g = k == null ? null : graphByKey.remove(k);
      if (g == null) {
        onlyInOdoo.add(o);
      } else {
        pairs.add(new Pair(o, g, k));
        pairedGraph.add(g.id());
      }
    }
    List<GraphInstance> onlyInOutlook = new ArrayList<>();
    for (GraphInstance g : graph) {
      if (!pairedGraph.contains(g.id())) {
        onlyInOutlook.add(g);
      }
    }
    pairs.sort(Comparator.comparing(Pair::originalStart));
    onlyInOdoo.sort(Comparator.comparing(OdooOccurrence::start));
    onlyInOutlook.sort(Comparator.comparing(GraphInstance::originalStart));
    return new Result(pairs, onlyInOdoo, onlyInOutlook);
  }

  private static LocalDateTime key(Instant originalStart, ZoneId zone, boolean allDay) {
    LocalDateTime local = LocalDateTime.ofInstant(originalStart, zone);
    return allDay ? local.toLocalDate().atStartOfDay() : local;
  }
}
