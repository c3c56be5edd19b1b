package io.outlooksync.sidecar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.OccurrenceMatch.GraphInstance;
import io.outlooksync.sidecar.core.OccurrenceMatch.OdooOccurrence;
import io.outlooksync.sidecar.core.Recurrence.End;
import io.outlooksync.sidecar.core.Recurrence.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pairing Odoo's events of a recurrence with Graph's instances of a series, across DST. */
class OccurrenceMatchTest {
  static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

  /** A weekly Monday series of 10 from March 9 at 09:00 in {@code zone}: spans the spring DST change. */
  static List<Occurrences.Occurrence> weekly(ZoneId zone) {
    Recurrence r = new Recurrence(Pattern.WEEKLY, 1, Recurrence.days(java.time.DayOfWeek.MONDAY), null, 0, null, 0,
        null, LocalDate.parse("2026-03-02"), End.COUNT, null, 10, zone);
    Instant first = LocalDate.parse("2026-03-02").atTime(9, 0).atZone(zone).toInstant();
    return Occurrences.between(r, When.timed(first, first.plus(Duration.ofHours(1)), zone), FROM, TO);
  }

  static List<OdooOccurrence> odoo(List<Occurrences.Occurrence> occ) {
    List<OdooOccurrence> out = new ArrayList<>();
    for (int i = 0; i < occ.size(); i++) {
      out.add(OdooOccurrence.following(100 + i, occ.get(i).when().start()));
    }
    return out;
  }

  static List<GraphInstance> graph(List<Occurrences.Occurrence> occ) {
    List<GraphInstance> out = new ArrayList<>();
    for (int i = 0; i < occ.size(); i++) {
      Instant s = occ.get(i).when().start();
      out.add(new GraphInstance("g" + i, s, s, false));
    }
    return out;
  }

  @Test
  void aDstSpanningSeriesPairsOneToOneInBrusselsAndNewYork() {
    for (ZoneId zone : List.of(ZoneId.of("Europe/Brussels"), ZoneId.of("America/New_York"))) {
      List<Occurrences.Occurrence> occ = weekly(zone);
      assertEquals(10, occ.size());
      OccurrenceMatch.Result r = OccurrenceMatch.match(odoo(occ), graph(occ), zone, false, Map.of());
      assertEquals(10, r.pairs().size(), zone.toString());
      assertEquals(List.of(), r.onlyInOdoo());
      assertEquals(List.of(), r.onlyInOutlook());
      for (int i = 0; i < 10; i++) {
        OccurrenceMatch.Pair p = r.pairs().get(i);
        assertEquals(100 + i, p.odoo().id());
        assertEquals("g" + i, p.graph().id());
        assertEquals(9, p.originalStart().getHour(), "keyed by wall clock: 09:00 before and after DST");
        assertFalse(p.movedInOdoo() || p.movedInOutlook());
      }
    }
  }

  @Test
  void utcHoursDoNotPairAcrossDstWhenOneSideIgnoredTheZone() {
    ZoneId brussels = ZoneId.of("Europe/Brussels");
    List<Occurrences.Occurrence> occ = weekly(brussels);
    // A side that kept 08:00 UTC all along (no DST) is an hour off after March 29: those do not pair.
    List<GraphInstance> naive = new ArrayList<>();
    Instant first = occ.get(0).when().start();
    for (int i = 0; i < occ.size(); i++) {
      Instant s = first.plus(Duration.ofDays(7L * i));
      naive.add(new GraphInstance("g" + i, s, s, false));
    }
    OccurrenceMatch.Result r = OccurrenceMatch.match(odoo(occ), naive, brussels, false, Map.of());
    assertEquals(4, r.pairs().size(), "March 2, 9, 16, 23 are before the change");
    assertEquals(6, r.onlyInOdoo().size());
    assertEquals(6, r.onlyInOutlook().size());
  }

  @Test
  void exceptionsCancellationsAndMovesAreReported() {
    ZoneId zone = ZoneId.of("America/New_York");
    List<Occurrences.Occurrence> occ = weekly(zone);
    List<OdooOccurrence> odoo = new ArrayList<>(odoo(occ));
    List<GraphInstance> graph = new ArrayList<>(graph(occ));
    // Outlook: occurrence 2 moved by two hours (an exception), occurrence 5 cancelled (gone from instances).
    GraphInstance moved = graph.get(2);
    graph.set(2, new GraphInstance(moved.id(), moved.start().plus(Duration.ofHours(2)), moved.originalStart(), true));
    graph.remove(5);
    // Odoo: occurrence 7 moved a day later (Odoo forgets where it was) and paired before; 8 moved, never paired.
    OdooOccurrence seven = odoo.get(7);
    odoo.set(7, OdooOccurrence.moved(seven.id(), seven.start().plus(Duration.ofDays(1)), null));
    OdooOccurrence eight = odoo.get(8);
    odoo.set(8, OdooOccurrence.moved(eight.id(), eight.start().plus(Duration.ofDays(1)), null));
    // Odoo: occurrence 9 archived (cancelled), so not in the list.
    odoo.remove(9);

    OccurrenceMatch.Result r = OccurrenceMatch.match(odoo, graph, zone, false, Map.of(107L, "g7"));
    assertEquals(7, r.pairs().size());
    OccurrenceMatch.Pair two = r.pairs().stream().filter(p -> p.graph().id().equals("g2")).findFirst().orElseThrow();
    assertTrue(two.movedInOutlook());
    assertFalse(two.movedInOdoo());
    OccurrenceMatch.Pair seven2 = r.pairs().stream().filter(p -> p.odoo().id() == 107).findFirst().orElseThrow();
    assertTrue(seven2.movedInOdoo());
    assertEquals(LocalDateTime.ofInstant(occ.get(7).when().start(), zone), seven2.originalStart());
    assertEquals(List.of(105L, 108L), r.onlyInOdoo().stream().map(OdooOccurrence::id).toList(),
        "105: cancelled in Outlook; 108: moved in Odoo without a known pair");
    assertEquals(List.of("g8", "g9"), r.onlyInOutlook().stream().map(GraphInstance::id).toList(),
        "g8: its Odoo event moved; g9: cancelled in Odoo");
  }

  @Test
  void aMovedEventRememberingItsSlotPairsButLosesToOneThatFollowsTheRule() {
    ZoneId zone = ZoneId.of("Europe/Brussels");
    List<Occurrences.Occurrence> occ = weekly(zone).subList(0, 2);
    Instant slot = occ.get(1).when().start();
    List<OdooOccurrence> odoo = List.of(
        OdooOccurrence.moved(1, slot.plus(Duration.ofHours(3)), slot), // remembered, but stale
        OdooOccurrence.following(2, slot),
        OdooOccurrence.following(3, occ.get(0).when().start()));
    OccurrenceMatch.Result r = OccurrenceMatch.match(odoo, graph(occ), zone, false, Map.of());
    assertEquals(List.of(3L, 2L), r.pairs().stream().map(p -> p.odoo().id()).toList());
    assertEquals(List.of(1L), r.onlyInOdoo().stream().map(OdooOccurrence::id).toList());
  }

  @Test
  void allDaySeriesPairByDate() {
    ZoneId zone = ZoneId.of("Pacific/Honolulu");
    LocalDate day = LocalDate.parse("2026-05-01");
    Instant midnight = day.atStartOfDay(zone).toInstant();
    // Graph's midnight and an Odoo caller's midnight of the same date, a few hours apart in UTC terms
    OccurrenceMatch.Result r = OccurrenceMatch.match(List.of(OdooOccurrence.following(1, midnight.plusSeconds(3600))),
        List.of(new GraphInstance("g", midnight, midnight, false)), zone, true, Map.of());
    assertEquals(1, r.pairs().size());
    assertEquals(day.atStartOfDay(), r.pairs().get(0).originalStart());
  }
}
