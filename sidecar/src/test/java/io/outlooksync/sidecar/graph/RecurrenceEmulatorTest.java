package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.sidecar.core.Occurrences;
import io.outlooksync.sidecar.core.Recurrence;
import io.outlooksync.sidecar.core.When;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Series written through our Graph client to the M365 emulator over HTTP, read back and mapped: the rule comes
 * back equal, and the emulator's own expansion (written independently) lists the instances the core computes.
 */
class RecurrenceEmulatorTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
  static final Instant TO = Instant.parse("2030-06-01T00:00:00Z");

  private GraphGateway gateway;

  @BeforeEach
  void signIn() throws Exception {
    EmulatorMailbox alice = new EmulatorMailbox(m365.emulator(), "alice@example.com");
    gateway = alice.gateway(alice.clients());
  }

  /** A series master at 09:00 (timed) on the rule's first date, or all day, written and read back. */
  private GraphEvent create(Recurrence rule, boolean allDay, String tx) {
    LocalDate first = rule.startDate();
    GraphEventDraft draft;
    if (allDay) {
      draft = GraphEventDraft.allDay("Series " + tx, first, first.plusDays(1), rule.zone());
    } else {
      Instant nine = first.atTime(9, 0).atZone(rule.zone()).toInstant();
      draft = GraphEventDraft.timed("Series " + tx, nine, nine.plus(Duration.ofMinutes(45)), rule.zone());
    }
    GraphEvent.Recurrence wire = RecurrenceMapping.write(rule).value();
    assertNotNull(wire, rule.toString());
    WriteResult r = gateway.write(List.of(new GraphWrite.Create(draft.withRecurrence(wire), tx))).get(0);
    assertEquals(WriteResult.Status.OK, r.status(), r.toString());
    GraphEvent master = gateway.event(r.id()).orElseThrow();
    assertEquals(GraphEvent.Kind.SERIES_MASTER, master.kind());
    return master;
  }

  @Test
  void everyPatternAndEndTypeComesBackEqualWithTheSameInstances() {
    int n = 0;
    for (ZoneId zone : List.of(ZoneId.of("Europe/Brussels"), ZoneId.of("America/New_York"))) {
      for (Recurrence rule : RecurrenceMappingTest.outlookRules(zone)) {
        String tx = "series-" + n++;
        GraphEvent master = create(rule, false, tx);
        Recurrence read = RecurrenceMapping.read(master.recurrence(), null, zone).value();
        assertEquals(rule, read, tx + " " + master.recurrence());

        When first = When.timed(master.start(), master.end(), zone);
        List<Instant> expected = Occurrences.between(read, first, FROM, TO).stream().map(o -> o.when().start()).toList();
        List<GraphEvent> instances = gateway.instances(master.id(), FROM, TO);
        assertEquals(expected, instances.stream().map(GraphEvent::start).toList(), tx + " " + rule);
        assertEquals(expected, instances.stream().map(GraphEvent::originalStart).toList(), tx);
      }
    }
  }

  @Test
  void aWeeklySeriesAcrossDstKeepsNineOClockInBrusselsAndNewYork() {
    for (ZoneId zone : List.of(ZoneId.of("Europe/Brussels"), ZoneId.of("America/New_York"))) {
      Recurrence weekly = new Recurrence(Recurrence.Pattern.WEEKLY, 1, Recurrence.days(java.time.DayOfWeek.TUESDAY),
          null, 0, null, 0, null, LocalDate.parse("2027-03-02"), Recurrence.End.COUNT, null, 6, zone);
      GraphEvent master = create(weekly, false, "dst-" + zone.getId().replace('/', '-'));
      List<GraphEvent> instances = gateway.instances(master.id(), FROM, TO);
      assertEquals(6, instances.size());
      for (GraphEvent i : instances) {
        assertEquals(9, i.start().atZone(zone).getHour(), zone + " " + i.start());
      }
      assertEquals(2, instances.stream().map(i -> i.start().atZone(zone).getOffset()).distinct().count(),
          "the UTC offset changes inside the series");
    }
  }

  @Test
  void allDaySeriesMapToo() {
    ZoneId zone = ZoneId.of("Europe/Brussels");
    Recurrence monthly = new Recurrence(Recurrence.Pattern.RELATIVE_MONTHLY, 1, Recurrence.days(java.time.DayOfWeek.FRIDAY),
        null, 0, Recurrence.WeekIndex.LAST, 0, null, LocalDate.parse("2027-01-01"), Recurrence.End.COUNT, null, 4, zone);
    GraphEvent master = create(monthly, true, "allday");
    assertEquals(monthly, RecurrenceMapping.read(master.recurrence(), null, zone).value());
    List<GraphEvent> instances = gateway.instances(master.id(), FROM, TO);
    assertEquals(List.of(LocalDate.parse("2027-01-29"), LocalDate.parse("2027-02-26"), LocalDate.parse("2027-03-26"),
        LocalDate.parse("2027-04-30")), instances.stream().map(GraphEvent::startDate).toList());
  }
}
